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

    public static AssetImage Training(StackSettings settings) => Build(settings, "training", "training/ChartBuster.Training/Dockerfile");

    public static AssetImage Web(StackSettings settings) => Build(settings, "webapp", "webapp/ChartBuster.Web/Dockerfile");

    private static AssetImage Build(StackSettings settings, string project, string dockerfile)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // The build context is the repository root, narrowed to what the Dockerfile copies: the image's fingerprint
        // then changes only with its own sources, so a README or infra edit does not rebuild and redeploy the service.
        return ContainerImage.FromAsset(settings.RepositoryRoot, new AssetImageProps
        {
            File = dockerfile,
            Platform = Platform_.LINUX_AMD64,
            Exclude = ["*", "!global.json", "!Directory.Build.props", "!Directory.Packages.props", "!.editorconfig", "!core", $"!{project}", "**/bin", "**/obj"],
        });
    }
}
