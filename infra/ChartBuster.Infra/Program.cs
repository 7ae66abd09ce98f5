using Amazon.CDK;
using ChartBuster.Infra;

// cdk.json runs this from the repository root, the source of the function asset and the container images.
var app = new App();
var settings = StackSettings.FromContext(app, Directory.GetCurrentDirectory());
_ = new ChartBusterPipeline(app, "ChartBuster", settings, new StackProps
{
    Description = "ChartBuster: raw song CSVs → preprocess Lambda → training on Fargate → prediction site",
    AnalyticsReporting = false,
});
app.Synth();
