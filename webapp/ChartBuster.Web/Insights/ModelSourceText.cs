namespace ChartBuster.Web.Insights;

/// <summary>Where the serving model came from, in words that name no server path or bucket.</summary>
public static class ModelSourceText
{
    public static string Describe(string source) =>
        source.StartsWith("s3://", StringComparison.Ordinal) ? "the model registry" : "a local model file";
}
