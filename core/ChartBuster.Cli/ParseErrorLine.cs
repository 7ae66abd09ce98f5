using System.CommandLine;
using System.CommandLine.Parsing;

namespace ChartBuster.Cli;

/// <summary>
/// A parse error as the one line a user (or a log) needs: each unknown option or command with the nearest known name,
/// the other errors (a missing required option, an invalid value) as System.CommandLine words them, then where help is.
/// </summary>
internal static class ParseErrorLine
{
    public static string For(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed);
        var unmatched = parsed.UnmatchedTokens;
        var problems = new List<string>();
        var suggested = new List<string>();
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            // A command was expected: a mistyped one swallows what follows it, which belongs to the command meant.
            var commands = command.Subcommands.Select(c => c.Name).ToList();
            problems.Add(unmatched.Count > 0 && !unmatched[0].StartsWith('-')
                ? $"Unknown command '{unmatched[0]}'.{Suggestion(unmatched[0], commands, suggested)}"
                : $"A command is required: {string.Join(", ", commands)}.");
        }
        else
        {
            var afterUnknownOption = false;
            foreach (var token in unmatched)
            {
                if (token.StartsWith('-'))
                {
                    problems.Add($"Unknown option '{token}'.{Suggestion(token, OptionNames(parsed), suggested)}");
                }
                else if (!afterUnknownOption)
                {
                    problems.Add($"Unexpected argument '{token}'.");
                }

                afterUnknownOption = token.StartsWith('-') && !afterUnknownOption; // the next token is most likely its value
            }

            // Not the errors already told above: an unmatched token's, or "--output-dir is required" after "did you mean --output-dir?".
            problems.AddRange(parsed.Errors.Select(e => e.Message)
                .Where(m => !unmatched.Concat(suggested).Any(t => m.Contains($"'{t}'", StringComparison.Ordinal))));
        }

        var help = path.Count == 0 ? "--help" : $"{string.Join(' ', path.Select(c => c.Name))} --help";
        return string.Join(' ', problems.Select(OneLine)) + $" See '{help}'.";
    }

    /// <summary>System.CommandLine lists allowed values on tabbed lines; a log wants one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The commands below the root that were given, in order (the root's name is the executable's).</summary>
    private static List<Command> CommandPath(ParseResult parsed)
    {
        var path = new List<Command>();
        for (var result = parsed.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command);
        }

        return path;
    }

    /// <summary>The options the parsed command accepts: its own and its ancestors' recursive ones (--help).</summary>
    private static IEnumerable<string> OptionNames(ParseResult parsed)
    {
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult command; result = command.Parent)
        {
            foreach (var option in command.Command.Options.Where(o => ReferenceEquals(command, parsed.CommandResult) || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    /// <summary>" Did you mean --output?" for the closest names (edit distance, ignoring case; or a name the token begins), or nothing.</summary>
    private static string Suggestion(string token, IEnumerable<string> names, List<string> suggested)
    {
        var scored = names.Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Distance: n.StartsWith(token, StringComparison.OrdinalIgnoreCase) && token.TrimStart('-').Length >= 2
                ? 1
                : Distance(token.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(s => s.Distance <= Math.Max(1, token.TrimStart('-').Length / 3)) // "--x" is no slip from "-h"
            .ToList();
        if (scored.Count == 0)
        {
            return "";
        }

        var best = scored.Where(s => s.Distance == scored.Min(s => s.Distance)).Select(s => s.Name).ToList();
        suggested.AddRange(best);
        return $" Did you mean {string.Join(" or ", best)}?";
    }

    /// <summary>Levenshtein distance, an adjacent swap counting as one edit (--outptu-dir is one slip from --output-dir).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
