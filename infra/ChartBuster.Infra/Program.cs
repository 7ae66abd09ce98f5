using Amazon.CDK;
using ChartBuster.Infra;

// cdk.json runs this from the repository root, the source of the function asset and the container images.
try
{
    var app = new App();
    var settings = StackSettings.FromContext(app, Directory.GetCurrentDirectory());
    _ = new ChartBusterPipeline(app, "ChartBuster", settings, new StackProps
    {
        Description = "ChartBuster: raw song CSVs → preprocess Lambda → training on Fargate → prediction site",
        AnalyticsReporting = false,
    });
    app.Synth();
}
catch (Exception error) when (Unwrap(error) is PrerequisiteMissingException or ArgumentException)
{
    // What the machine lacks, or a bad context value: the sentence alone, not a stack trace through the jsii engine.
    Console.Error.WriteLine(Unwrap(error).Message);
    return 1;
}

return 0;

// A failure inside bundling reaches here wrapped by the jsii engine, with the original message in its text.
static Exception Unwrap(Exception error) =>
    error is PrerequisiteMissingException or ArgumentException ? error
    : error.InnerException is { } inner ? Unwrap(inner)
    : error;
