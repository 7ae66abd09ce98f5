namespace ChartBuster.Songs.Journeys;

/// <summary>Turns an exception into the words a journey record shows a person, and the detail it keeps for the operator.</summary>
public static class JourneyErrors
{
    private const int MaxLength = 300;

    public static string PlainWords(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OutOfMemoryException or InsufficientMemoryException => "out of memory",
            TimeoutException => "timed out",
            HttpRequestException e => $"network error: {FirstLine(e.Message)}",
            _ => FirstLine(exception.Message),
        };
    }

    public static string Detail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().FullName}: {FirstLine(exception.Message)}";
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= MaxLength ? line : line[..MaxLength] + "…";
    }
}
