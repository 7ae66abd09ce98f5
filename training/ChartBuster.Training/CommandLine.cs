namespace ChartBuster.Training;

/// <summary>The few option shapes the commands take: --name value (repeatable) and --flag.</summary>
internal sealed class CommandLine(IReadOnlyList<string> args)
{
    public string? Value(string name) => All(name).LastOrDefault();

    public List<string> All(string name)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values.Add(args[i + 1]);
            }
        }

        return values;
    }

    public bool Has(string flag) => args.Contains(flag);
}

/// <summary>The exit codes of every command (README, "Train and score on your machine").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input cannot be used (a file that is not a model, a CSV without the audio features).</summary>
    public const int Failed = 1;

    /// <summary>Wrong or unsafe arguments: nothing was read or written.</summary>
    public const int Usage = 2;

    /// <summary>A file or folder cannot be read or written (permissions, a path through a file, a full disk).</summary>
    public const int IoError = 4;
}

/// <summary>Progress: one line rewritten in place on a terminal, plain timestamped lines otherwise.</summary>
internal sealed class ProgressLine(TextWriter output)
{
    private readonly bool _terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private int _width;

    public void Report(string message)
    {
        if (_terminal)
        {
            var text = $"  … {message}";
            output.Write('\r' + text.PadRight(_width));
            _width = text.Length;
        }
        else
        {
            output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {message}");
        }
    }

    public void Done(string message)
    {
        if (_terminal)
        {
            output.Write('\r' + new string(' ', _width) + '\r');
        }

        output.WriteLine(message);
    }
}
