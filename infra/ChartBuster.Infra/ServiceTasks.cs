using Amazon.CDK.AWS.ECS;

namespace ChartBuster.Infra;

/// <summary>
/// What every Fargate task of the stack runs as: the images' unprivileged user, a read-only root filesystem with an
/// ephemeral, task-private /tmp (Fargate has no tmpfs), and a hard memory limit on the container equal to the task's.
/// ./local.sh up --containers runs the images the same way (read-only, tmpfs /tmp, the same user).
/// </summary>
public static class ServiceTasks
{
    /// <summary>The uid of the <c>app</c> user of the .NET base images (APP_UID), which both Dockerfiles switch to.</summary>
    public const string UnprivilegedUser = "1654";

    public static void Harden(TaskDefinition task, int memoryMiB)
    {
        ArgumentNullException.ThrowIfNull(task);
        var container = task.DefaultContainer ?? throw new ArgumentException("The task has no container yet.", nameof(task));
        task.AddVolume(new Volume { Name = "tmp" });
        container.AddMountPoints(new MountPoint { SourceVolume = "tmp", ContainerPath = "/tmp", ReadOnly = false });

        // The patterns build the container definition themselves, without these three properties.
        var definition = (CfnTaskDefinition)task.Node.DefaultChild!;
        definition.AddPropertyOverride("ContainerDefinitions.0.User", UnprivilegedUser);
        definition.AddPropertyOverride("ContainerDefinitions.0.ReadonlyRootFilesystem", true);
        definition.AddPropertyOverride("ContainerDefinitions.0.Memory", memoryMiB);

        LintFindings.Accept(task, "AwsSolutions-ECS2", "The environment holds bucket names and a queue URL, not secrets; the task role grants the access.");
    }
}
