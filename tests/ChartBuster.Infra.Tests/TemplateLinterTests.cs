using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChartBuster.Infra.Tests;

/// <summary>
/// cdk-nag's AwsSolutions rules and the Control Tower guard rules (infra/lint/lint-template.mjs) over the synthesized
/// templates: every finding is fixed or accepted on its resource with a reason, in both configurations.
/// </summary>
[Collection(SharedTemplates.Name)]
public sealed class TemplateLinterTests(SynthesizedTemplates templates)
{
    [Fact]
    public async Task The_default_template_has_no_unexplained_finding()
    {
        var (code, output) = await Lint(TemplatePath(templates.Default));

        Assert.True(code == 0, output);
        Assert.Contains(" 0 unexplained", output, StringComparison.Ordinal);
        Assert.Contains("accepted     AwsSolutions-IAM5", output, StringComparison.Ordinal);
        Assert.Contains("accepted     CT.ECS.PR.9", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_template_with_a_certificate_NAT_and_destroy_has_no_unexplained_finding()
    {
        var (code, output) = await Lint(TemplatePath(templates.Customized));

        Assert.True(code == 0, output);
        Assert.DoesNotContain("alb_http_to_https_redirection_check", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finding_that_is_neither_fixed_nor_accepted_fails_the_lint()
    {
        var template = JsonNode.Parse(File.ReadAllText(TemplatePath(templates.Default)))!;
        var raw = template["Resources"]!.AsObject().Single(r => r.Key.StartsWith("BucketsRaw", StringComparison.Ordinal) && r.Value!["Type"]!.GetValue<string>() == "AWS::S3::Bucket").Value!;
        raw["Properties"]!.AsObject().Remove("LoggingConfiguration");

        var (code, output) = await Lint(Write(template));

        Assert.Equal(1, code);
        Assert.Contains("UNEXPLAINED  AwsSolutions-S1 BucketsRaw", output, StringComparison.Ordinal);
        Assert.Contains("UNEXPLAINED  CT.S3.PR.2 BucketsRaw", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acceptance_without_a_reason_does_not_count()
    {
        var template = JsonNode.Parse(File.ReadAllText(TemplatePath(templates.Default)))!;
        var failures = template["Resources"]!.AsObject().Single(r => r.Key.StartsWith("PreprocessFailures", StringComparison.Ordinal) && r.Value!["Type"]!.GetValue<string>() == "AWS::SQS::Queue").Value!;
        failures["Metadata"]!["cdk_nag"]!["rules_to_suppress"]![0]!["reason"] = "";

        var (code, output) = await Lint(Write(template));

        Assert.Equal(1, code);
        Assert.Contains("UNEXPLAINED  cdk-nag stopped: PreprocessFailures", output, StringComparison.Ordinal);
        Assert.Contains("AwsSolutions-SQS3. The suppression must have a 'reason'", output, StringComparison.Ordinal);
    }

    private static string TemplatePath(SynthesizedTemplate template) => Path.Combine(template.AssemblyDirectory, "ChartBuster.template.json");

    private static string Write(JsonNode template)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("chartbuster-lint-").FullName, "ChartBuster.template.json");
        File.WriteAllText(path, template.ToJsonString());
        return path;
    }

    private static async Task<(int Code, string Output)> Lint(string template)
    {
        var node = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "node");
        var start = new ProcessStartInfo(File.Exists(node) ? node : "node", [Path.Combine(RepositoryPaths.Root, "infra", "lint", "lint-template.mjs"), template])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
