using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ChartBuster.Infra;

namespace ChartBuster.Infra.Tests;

/// <summary>One synthesized template per configuration (synthesis runs the jsii engine, so once per test run).</summary>
public sealed class SynthesizedTemplates
{
    public const string NotifyEmail = "ops@example.com";

    public const string CertificateArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    private readonly Lazy<SynthesizedTemplate> _default = new(() => Synthesize(new Dictionary<string, object>()));

    private readonly Lazy<SynthesizedTemplate> _customized = new(() => Synthesize(new Dictionary<string, object>
    {
        ["certificateArn"] = CertificateArn,
        ["removalPolicy"] = "destroy",
        ["natGateways"] = "1",
        ["notifyEmail"] = NotifyEmail,
    }));

    /// <summary>What `cdk deploy` builds with no context: retained data, HTTP, no NAT.</summary>
    public SynthesizedTemplate Default => _default.Value;

    /// <summary>With a certificate, removalPolicy=destroy, one NAT gateway and an email subscribed to the events.</summary>
    public SynthesizedTemplate Customized => _customized.Value;

    public static SynthesizedTemplate Synthesize(Dictionary<string, object> context)
    {
        // No bundling: synthesis must need neither Docker nor the AOT toolchain (`cdk deploy` bundles).
        context["aws:cdk:bundling-stacks"] = Array.Empty<string>();
        var app = new App(new AppProps { Context = context });
        var stack = new ChartBusterPipeline(app, "ChartBuster", StackSettings.FromContext(app, RepositoryPaths.Root));
        var template = Template.FromStack(stack);
        var assembly = app.Synth();
        var path = assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath;
        return new SynthesizedTemplate(template, JsonDocument.Parse(File.ReadAllText(path)).RootElement, assembly.Directory);
    }
}

public sealed record SynthesizedTemplate(Template Template, JsonElement Json, string AssemblyDirectory)
{
    public IEnumerable<(string Id, JsonElement Properties)> Resources(string type) =>
        Json.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var p) ? p : default));

    public (string Id, JsonElement Properties) One(string type, Func<JsonElement, bool>? where = null) =>
        Assert.Single(Resources(type), r => where?.Invoke(r.Properties) ?? true);

    /// <summary>Every IAM statement of every inline policy, with the logical id of the policy.</summary>
    public IEnumerable<(string Policy, string[] Actions, JsonElement Resource)> Statements() =>
        Resources("AWS::IAM::Policy").SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()
            .Select(s => (p.Id, Strings(s.GetProperty("Action")), s.GetProperty("Resource"))));

    /// <summary>The statements of the policies attached to the role whose logical id starts with <paramref name="rolePrefix"/>.</summary>
    public IEnumerable<(string[] Actions, JsonElement Resource)> StatementsOf(string rolePrefix) =>
        Resources("AWS::IAM::Policy")
            .Where(p => p.Properties.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("Ref").GetString()!.StartsWith(rolePrefix, StringComparison.Ordinal)))
            .SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()
                .Select(s => (Strings(s.GetProperty("Action")), s.GetProperty("Resource"))));

    /// <summary>The logical id of the only resource of a type whose id starts with a prefix.</summary>
    public string Id(string type, string prefix) => Assert.Single(Resources(type), r => r.Id.StartsWith(prefix, StringComparison.Ordinal)).Id;

    /// <summary>The staged build context of each container image, by its Dockerfile.</summary>
    public Dictionary<string, string> ImageContexts()
    {
        var manifest = Directory.GetFiles(AssemblyDirectory, "*.assets.json").Single();
        return JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("dockerImages").EnumerateObject()
            .Select(i => i.Value.GetProperty("source"))
            .ToDictionary(s => s.GetProperty("dockerFile").GetString()!, s => Path.Combine(AssemblyDirectory, s.GetProperty("directory").GetString()!));
    }

    public static string[] Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray().Select(e => e.ToString())] : [element.ToString()];
}
