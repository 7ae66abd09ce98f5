using Amazon.CDK.AWS.EC2;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>
/// The network, and where Fargate tasks go in it. Without NAT (the default, no hourly NAT charge) tasks sit in public
/// subnets with a public IP and security groups that admit nothing from outside; S3 is reached through a free gateway
/// endpoint, SQS, ECR and CloudWatch Logs over their public HTTPS endpoints. With natGateways > 0 tasks move to
/// private subnets and leave through NAT.
/// </summary>
public sealed class TaskPlacement : Construct
{
    public TaskPlacement(Construct scope, string id, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var publicSubnets = new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 };
        SubnetConfiguration[] subnets = settings.NatGateways == 0
            ? [publicSubnets]
            : [publicSubnets, new SubnetConfiguration { Name = "tasks", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 22 }];
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = settings.NatGateways,
            SubnetConfiguration = subnets,
            GatewayEndpoints = new Dictionary<string, IGatewayVpcEndpointOptions>
            {
                ["S3"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 },
            },
        });
        AssignPublicIp = settings.NatGateways == 0;
        foreach (var subnet in Vpc.PublicSubnets)
        {
            LintFindings.Accept(subnet, "subnet_auto_assign_public_ip_disabled_check", "Public subnets hold the load balancer and, without NAT (the default), the tasks, which need a public address to reach ECR, SQS and CloudWatch; their security groups admit nothing from outside.");
        }
        Subnets = new SubnetSelection { SubnetType = AssignPublicIp ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS };
    }

    /// <summary>Without NAT, a service's tasks get public addresses by design; the linters' rule against that is answered here.</summary>
    public static void AcceptPublicAddresses(Amazon.CDK.AWS.ECS.FargateService service, TaskPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.AssignPublicIp)
        {
            LintFindings.Accept(service, "ecs_service_assign_public_ip_disabled_check", "No NAT gateway (natGateways=0, the default, about $33/month less per gateway): tasks reach ECR, SQS and CloudWatch through a public address, and their security groups admit nothing from outside (web: only the load balancer). natGateways=1 moves them to private subnets.");
        }
    }

    public Vpc Vpc { get; }

    public bool AssignPublicIp { get; }

    public SubnetSelection Subnets { get; }
}
