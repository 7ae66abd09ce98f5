using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>
/// `./local.sh up --containers`: the training worker and the web app as the images ./test.sh built with
/// `./local.sh images` (the Dockerfiles the CDK app deploys), against the emulator; a real decade file trained by the
/// containerized worker and served by the containerized site.
/// </summary>
public sealed class ContainerStackFixture() : LocalStackFixture(["--containers"]);

public sealed partial class ContainerPipelineTests(ContainerStackFixture stack) : IClassFixture<ContainerStackFixture>
{
    [Fact]
    public async Task The_containerized_worker_trains_the_site_serves_it_healthy_and_both_stop_on_SIGTERM_with_exit_code_0()
    {
        var (_, status) = await stack.LocalSh(TimeSpan.FromMinutes(1), "status");
        var containers = ContainerNames().Matches(status).ToDictionary(m => m.Groups["part"].Value, m => m.Groups["name"].Value);

        using var response = await stack.Web.PostAsJsonAsync(new Uri("/api/predictions", UriKind.Relative), new
        {
            danceability = 0.72, energy = 0.81, key = 5, loudness = -5.2, mode = 1, speechiness = 0.05, acousticness = 0.08,
            instrumentalness = 0.0, liveness = 0.11, valence = 0.64, tempo = 118.0, duration_ms = 212_000, time_signature = 4,
            chorus_hit = 31.5, sections = 9,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prediction = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(stack.FirstModelVersion, prediction.GetProperty("modelVersion").GetString());
        Assert.Contains("promoted", stack.ReadLog("worker"), StringComparison.Ordinal);

        Assert.Equal(["web", "worker"], containers.Keys.Order());
        Assert.Contains("web: running (container", status, StringComparison.Ordinal);
        Assert.Contains(", healthy)", status, StringComparison.Ordinal);
        foreach (var name in containers.Values)
        {
            Assert.Equal("1654 true", await Podman("inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", name));
        }

        Assert.Contains("/health/ready", await Podman("image", "inspect", "--format", "{{json .Config.Healthcheck}}", "chartbuster-web:local"), StringComparison.Ordinal);

        var (code, down) = await stack.LocalSh(TimeSpan.FromMinutes(2), "down");
        Assert.Equal(0, code);
        Assert.Contains("stopped     web (container, SIGTERM, exit code 0)", down, StringComparison.Ordinal);
        Assert.Contains("stopped     worker (container, SIGTERM, exit code 0)", down, StringComparison.Ordinal);
    }

    private static async Task<string> Podman(params string[] arguments)
    {
        using var podman = Process.Start(new ProcessStartInfo("podman", ["--runtime", "runc", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await podman.StandardOutput.ReadToEndAsync();
        var error = await podman.StandardError.ReadToEndAsync();
        await podman.WaitForExitAsync();
        Assert.True(podman.ExitCode == 0, $"podman {string.Join(' ', arguments)}: {error}");
        return output.Trim();
    }

    [GeneratedRegex(@"^(?<part>worker|web): running \(container (?<name>[^,)]+)", RegexOptions.Multiline)]
    private static partial Regex ContainerNames();
}
