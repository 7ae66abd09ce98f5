namespace ChartBuster.Infra;

/// <summary>Something the deploying machine lacks; Program prints the message alone (one sentence saying what to install).</summary>
public sealed class PrerequisiteMissingException : Exception
{
    public PrerequisiteMissingException()
    {
    }

    public PrerequisiteMissingException(string message)
        : base(message)
    {
    }

    public PrerequisiteMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
