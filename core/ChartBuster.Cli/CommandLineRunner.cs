using System.CommandLine;
using System.CommandLine.Help;

namespace ChartBuster.Cli;

/// <summary>
/// Parses and runs a command tree the same way in every tool: a parse error (an unknown option or command, a missing
/// or invalid value) is written to stderr as one line, with a suggestion for a mistyped name, and exits <see cref="ExitCodes.Usage"/>
/// before any action runs; --help ends with the exit-code table.
/// </summary>
public static class CommandLineRunner
{
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        // No @response files: every token is an option or a value (a path may start with @).
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync(ParseErrorLine.For(parsed));
            return ExitCodes.Usage;
        }

        // Signals stay with the commands (the worker's host drains on SIGTERM; the wiring stops its loop), and an
        // unexpected exception stays an exception rather than a printed one with exit code 1.
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        var exit = await parsed.InvokeAsync(invocation, cancellationToken);
        if (parsed.Action is HelpAction)
        {
            await output.WriteLineAsync(ExitCodes.Table);
        }

        return exit;
    }
}
