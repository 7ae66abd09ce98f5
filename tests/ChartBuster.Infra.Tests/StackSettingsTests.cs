using Amazon.CDK;
using ChartBuster.Infra;

namespace ChartBuster.Infra.Tests;

public sealed class StackSettingsTests
{
    private static StackSettings FromContext(params (string Key, object Value)[] context) =>
        StackSettings.FromContext(new App(new AppProps { Context = context.ToDictionary(c => c.Key, c => c.Value) }), RepositoryPaths.Root);

    [Fact]
    public void Defaults_keep_data_and_cost_nothing_extra()
    {
        var settings = FromContext();

        Assert.False(settings.DestroyData);
        Assert.Equal(0, settings.NatGateways);
        Assert.Null(settings.CertificateArn);
        Assert.Equal((90, 180), (settings.RawRetentionDays, settings.ReadyRetentionDays));
        Assert.False(settings.BuildPreprocessInDocker);
    }

    [Theory]
    [InlineData("removalPolicy", "delete", "retain' or 'destroy")]
    [InlineData("natGateways", "many", "whole number")]
    [InlineData("natGateways", "9", "0..3")]
    [InlineData("rawRetentionDays", "0", "at least 1 day")]
    [InlineData("preprocessBootstrap", "/nonexistent", "holds no 'bootstrap'")]
    [InlineData("notifyEmail", "ops at example", "must be an email address")]
    [InlineData("preprocessBuild", "podman", "'host' or 'docker'")]
    public void Refuses_a_bad_context_value_with_its_name(string key, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => FromContext((key, value)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
