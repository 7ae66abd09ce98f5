using System.Text.Json;

namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class PredictionSiteTests(SynthesizedTemplates templates)
{
    private static (string Id, JsonElement Properties) WebService(SynthesizedTemplate template) =>
        template.One("AWS::ECS::Service", s => s.TryGetProperty("LoadBalancers", out _));

    [Fact]
    public void Sends_traffic_only_to_tasks_whose_model_is_loaded()
    {
        var (_, group) = templates.Default.One("AWS::ElasticLoadBalancingV2::TargetGroup");

        Assert.Equal("/health/ready", group.GetProperty("HealthCheckPath").GetString());
        Assert.Equal("200", group.GetProperty("Matcher").GetProperty("HttpCode").GetString());
        var link = Assert.Single(WebService(templates.Default).Properties.GetProperty("LoadBalancers").EnumerateArray());
        Assert.Equal(8080, link.GetProperty("ContainerPort").GetInt32());
    }

    [Fact]
    public void Without_a_certificate_it_answers_HTTP_on_port_80()
    {
        var (_, listener) = templates.Default.One("AWS::ElasticLoadBalancingV2::Listener");

        Assert.Equal("HTTP", listener.GetProperty("Protocol").GetString());
        Assert.Equal(80, listener.GetProperty("Port").GetInt32());
    }

    [Fact]
    public void With_a_certificate_it_answers_HTTPS_with_a_recommended_TLS_policy_and_redirects_HTTP()
    {
        var listeners = templates.Customized.Resources("AWS::ElasticLoadBalancingV2::Listener").ToDictionary(l => l.Properties.GetProperty("Port").GetInt32(), l => l.Properties);

        Assert.Equal([80, 443], listeners.Keys.Order());
        var https = listeners[443];
        Assert.Equal("HTTPS", https.GetProperty("Protocol").GetString());
        Assert.Equal(SynthesizedTemplates.CertificateArn, https.GetProperty("Certificates")[0].GetProperty("CertificateArn").GetString());
        Assert.StartsWith("ELBSecurityPolicy-TLS13", https.GetProperty("SslPolicy").GetString(), StringComparison.Ordinal);
        var redirect = Assert.Single(listeners[80].GetProperty("DefaultActions").EnumerateArray());
        Assert.Equal("redirect", redirect.GetProperty("Type").GetString());
        Assert.Equal("HTTPS", redirect.GetProperty("RedirectConfig").GetProperty("Protocol").GetString());
        Assert.Equal("HTTP_301", redirect.GetProperty("RedirectConfig").GetProperty("StatusCode").GetString());
    }

    [Fact]
    public void The_load_balancer_is_public_and_drops_invalid_headers()
    {
        var (_, balancer) = templates.Default.One("AWS::ElasticLoadBalancingV2::LoadBalancer");

        Assert.Equal("internet-facing", balancer.GetProperty("Scheme").GetString());
        Assert.Contains(balancer.GetProperty("LoadBalancerAttributes").EnumerateArray(), a =>
            a.GetProperty("Key").GetString() == "routing.http.drop_invalid_header_fields.enabled" && a.GetProperty("Value").GetString() == "true");
    }

    [Fact]
    public void Scales_from_one_to_four_tasks_on_CPU_and_on_requests_per_target()
    {
        var (serviceId, service) = WebService(templates.Default);
        var (targetId, target) = templates.Default.One("AWS::ApplicationAutoScaling::ScalableTarget", t => t.GetProperty("ResourceId").ToString().Contains(serviceId, StringComparison.Ordinal));

        Assert.Equal(1, service.GetProperty("DesiredCount").GetInt32());
        Assert.Equal(1, target.GetProperty("MinCapacity").GetInt32());
        Assert.Equal(4, target.GetProperty("MaxCapacity").GetInt32());
        var metrics = templates.Default.Resources("AWS::ApplicationAutoScaling::ScalingPolicy")
            .Where(p => p.Properties.GetProperty("ScalingTargetId").GetProperty("Ref").GetString() == targetId)
            .ToDictionary(
                p => p.Properties.GetProperty("TargetTrackingScalingPolicyConfiguration").GetProperty("PredefinedMetricSpecification").GetProperty("PredefinedMetricType").GetString()!,
                p => p.Properties.GetProperty("TargetTrackingScalingPolicyConfiguration").GetProperty("TargetValue").GetDouble());
        Assert.Equal(60, metrics["ECSServiceAverageCPUUtilization"]);
        Assert.Equal(3000, metrics["ALBRequestCountPerTarget"]);
    }

    [Fact]
    public void Tasks_admit_traffic_only_from_the_load_balancer()
    {
        var ingress = templates.Default.Resources("AWS::EC2::SecurityGroupIngress").ToList();
        var inline = templates.Default.Resources("AWS::EC2::SecurityGroup")
            .Where(g => g.Properties.TryGetProperty("SecurityGroupIngress", out _))
            .ToList();

        var rule = Assert.Single(ingress).Properties;
        Assert.Equal(8080, rule.GetProperty("FromPort").GetInt32());
        Assert.StartsWith("SiteServiceLBSecurityGroup", rule.GetProperty("SourceSecurityGroupId").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
        var (id, open) = Assert.Single(inline);
        Assert.StartsWith("SiteServiceLBSecurityGroup", id, StringComparison.Ordinal);
        Assert.Equal(80, open.GetProperty("SecurityGroupIngress")[0].GetProperty("FromPort").GetInt32());
    }

    [Fact]
    public void The_web_tasks_take_client_addresses_from_X_Forwarded_For_only_from_inside_the_VPC()
    {
        var (_, definition) = templates.Default.One("AWS::ECS::TaskDefinition", t => t.GetProperty("ContainerDefinitions")[0].TryGetProperty("PortMappings", out var ports) && ports.GetArrayLength() > 0);
        var environment = definition.GetProperty("ContainerDefinitions")[0].GetProperty("Environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("Value"));

        var network = environment["ForwardedHeaders__KnownNetworks__0"].GetProperty("Fn::GetAtt");
        Assert.StartsWith("NetworkVpc", network[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("CidrBlock", network[1].GetString());
    }
}
