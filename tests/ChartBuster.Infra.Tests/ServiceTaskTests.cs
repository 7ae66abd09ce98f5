using System.Text.Json;

namespace ChartBuster.Infra.Tests;

/// <summary>Both services' tasks as ECS runs them: the images' unprivileged user, read-only root, a private /tmp, a memory limit.</summary>
[Collection(SharedTemplates.Name)]
public sealed class ServiceTaskTests(SynthesizedTemplates templates)
{
    [Theory]
    [InlineData("TrainingWorker", 8192)]
    [InlineData("SiteService", 1024)]
    public void Runs_as_the_unprivileged_user_on_a_read_only_root_filesystem_with_a_private_tmp_and_a_hard_memory_limit(string prefix, int memory)
    {
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id.StartsWith(prefix, StringComparison.Ordinal));

        var container = Assert.Single(definition.GetProperty("ContainerDefinitions").EnumerateArray());
        Assert.Equal("1654", container.GetProperty("User").GetString());
        Assert.True(container.GetProperty("ReadonlyRootFilesystem").GetBoolean());
        Assert.Equal(memory, container.GetProperty("Memory").GetInt32());
        var mount = Assert.Single(container.GetProperty("MountPoints").EnumerateArray());
        Assert.Equal("/tmp", mount.GetProperty("ContainerPath").GetString());
        Assert.False(mount.GetProperty("ReadOnly").GetBoolean());
        var volume = Assert.Single(definition.GetProperty("Volumes").EnumerateArray());
        Assert.Equal(mount.GetProperty("SourceVolume").GetString(), volume.GetProperty("Name").GetString());
        Assert.False(volume.TryGetProperty("Host", out _), "an ephemeral task volume, not a host path");
        Assert.False(container.TryGetProperty("Privileged", out var privileged) && privileged.ValueKind == JsonValueKind.True);
    }
}
