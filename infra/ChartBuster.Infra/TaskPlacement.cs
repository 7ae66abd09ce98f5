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
        Subnets = new SubnetSelection { SubnetType = AssignPublicIp ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS };
    }

    public Vpc Vpc { get; }

    public bool AssignPublicIp { get; }

    public SubnetSelection Subnets { get; }
}
