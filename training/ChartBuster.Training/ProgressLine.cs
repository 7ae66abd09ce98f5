namespace ChartBuster.Training;

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
