using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.ECS;

namespace ChartBuster.Infra;

/// <summary>The two service images, built from the repository by `cdk deploy` (Docker on the deploying machine), never by synthesis.</summary>
public static class ContainerImages
{
    public static readonly RuntimePlatform LinuxX64 = new()
    {
        OperatingSystemFamily = OperatingSystemFamily.LINUX,
        CpuArchitecture = CpuArchitecture.X86_64,
    };

    public static AssetImage Training(StackSettings settings) => Build(settings, "training/ChartBuster.Training/Dockerfile");

    public static AssetImage Web(StackSettings settings) => Build(settings, "webapp/ChartBuster.Web/Dockerfile");

    private static AssetImage Build(StackSettings settings, string dockerfile)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // The build context is the repository root; .dockerignore keeps bin/obj, node_modules, tests and data out.
        return ContainerImage.FromAsset(settings.RepositoryRoot, new AssetImageProps
        {
            File = dockerfile,
            Platform = Platform_.LINUX_AMD64,
        });
    }
}
