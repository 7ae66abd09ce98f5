namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class NetworkAndOutputTests(SynthesizedTemplates templates)
{
    [Fact]
    public void By_default_there_is_no_NAT_gateway_tasks_get_public_IPs_and_S3_is_reached_through_a_gateway_endpoint()
    {
        Assert.Empty(templates.Default.Resources("AWS::EC2::NatGateway"));
        Assert.All(templates.Default.Resources("AWS::ECS::Service"), s =>
            Assert.Equal("ENABLED", s.Properties.GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration").GetProperty("AssignPublicIp").GetString()));
        var (_, endpoint) = templates.Default.One("AWS::EC2::VPCEndpoint");
        Assert.Equal("Gateway", endpoint.GetProperty("VpcEndpointType").GetString());
        Assert.Contains("\".s3\"", endpoint.GetProperty("ServiceName").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_natGateways_tasks_move_to_private_subnets_without_public_IPs()
    {
        Assert.Single(templates.Customized.Resources("AWS::EC2::NatGateway"));
        Assert.All(templates.Customized.Resources("AWS::ECS::Service"), s =>
            Assert.Equal("DISABLED", s.Properties.GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration").GetProperty("AssignPublicIp").GetString()));
    }

    [Theory]
    [InlineData("RawBucketName", "BucketsRaw")]
    [InlineData("ReadyBucketName", "BucketsReady")]
    [InlineData("ArtifactsBucketName", "BucketsArtifacts")]
    [InlineData("TrainingQueueUrl", "TrainingQueue")]
    [InlineData("SiteUrl", "SiteServiceLB")]
    [InlineData("EventsTopicArn", "NotificationsTopic")]
    public void Outputs_name_what_the_user_needs(string output, string resource)
    {
        var value = templates.Default.Json.GetProperty("Outputs").GetProperty(output).GetProperty("Value").ToString();

        Assert.Contains(resource, value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_site_url_says_https_when_a_certificate_is_given()
    {
        Assert.StartsWith("{\"Fn::Join\":[\"\",[\"http://\"", Compact(templates.Default.Json.GetProperty("Outputs").GetProperty("SiteUrl").GetProperty("Value").ToString()), StringComparison.Ordinal);
        Assert.StartsWith("{\"Fn::Join\":[\"\",[\"https://\"", Compact(templates.Customized.Json.GetProperty("Outputs").GetProperty("SiteUrl").GetProperty("Value").ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void Function_and_images_are_assets_built_at_deploy_time()
    {
        var (_, function) = templates.Default.One("AWS::Lambda::Function", f => f.GetProperty("Handler").GetString() == "bootstrap");
        var images = templates.Default.Resources("AWS::ECS::TaskDefinition")
            .Select(t => t.Properties.GetProperty("ContainerDefinitions")[0].GetProperty("Image").ToString())
            .ToList();

        Assert.Contains("cdk-hnb659fds-assets", function.GetProperty("Code").ToString(), StringComparison.Ordinal);
        Assert.Equal(2, images.Count);
        Assert.All(images, image => Assert.Contains("cdk-hnb659fds-container-assets", image, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("training/ChartBuster.Training/Dockerfile", "training")]
    [InlineData("webapp/ChartBuster.Web/Dockerfile", "webapp")]
    public void Each_image_is_built_from_what_its_Dockerfile_copies_so_other_edits_do_not_rebuild_it(string dockerfile, string project)
    {
        var context = templates.Default.ImageContexts()[dockerfile];

        var entries = Directory.GetFileSystemEntries(context).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([".dockerignore", ".editorconfig", "Directory.Build.props", "Directory.Packages.props", "core", "global.json", project], entries);
        Assert.True(File.Exists(Path.Combine(context, dockerfile)));
        Assert.Empty(Directory.GetDirectories(context, "bin", SearchOption.AllDirectories).Concat(Directory.GetDirectories(context, "obj", SearchOption.AllDirectories)));
    }

    private static string Compact(string json) => json.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
}
