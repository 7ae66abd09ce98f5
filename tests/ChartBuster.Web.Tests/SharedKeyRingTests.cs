using System.Net;
using Amazon.S3.Model;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Tests;

/// <summary>
/// Two web tasks as ECS runs them: separate processes with their own file systems (HOME), one artifacts bucket.
/// A form rendered by one must post to the other, as it does when the load balancer sends the post elsewhere.
/// </summary>
public sealed class SharedKeyRingTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    private async Task<(ServiceProcess Process, Uri Address, string Home)> StartTask(string bucket)
    {
        var home = Directory.CreateTempSubdirectory("chartbuster-task-home-").FullName;
        var port = ServiceProcess.FreePort();
        var environment = new Dictionary<string, string>(emulator.Environment)
        {
            ["HOME"] = home,
            ["CHARTBUSTER_ARTIFACTS_BUCKET"] = bucket,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        var process = ServiceProcess.Start(ServiceProcess.Program("webapp/ChartBuster.Web"), [], environment);
        var address = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient { BaseAddress = address };
        await Waiting.Until(
            async () =>
            {
                Assert.False(process.HasExited, process.Output);
                try
                {
                    return (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "a web task to serve the model",
            TimeSpan.FromSeconds(60));
        return (process, address, home);
    }

    [Fact]
    public async Task A_form_rendered_by_one_task_posts_to_another()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        foreach (var file in Directory.GetFiles(models.First))
        {
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"models/v1/{Path.GetFileName(file)}", FilePath = file });
        }

        await new ModelRegistry(emulator.S3, bucket).PointToAsync(new ModelPointer("v1", "ds", DateTimeOffset.UtcNow, 0.9, "test", null), CancellationToken.None);
        var (a, addressA, homeA) = await StartTask(bucket);
        await using var _ = a;
        var (b, addressB, homeB) = await StartTask(bucket);
        await using var __ = b;
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });

        var token = await Forms.TokenAsync(browser, new Uri(addressA, "/").ToString());
        var response = await browser.PostAsync(new Uri(addressB, "/"), PredictPageTests.Form(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"hit-probability\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(await emulator.ListAsync(bucket, "web/data-protection/"));
        Assert.Empty(Directory.GetFiles(homeA, "*.xml", SearchOption.AllDirectories).Concat(Directory.GetFiles(homeB, "*.xml", SearchOption.AllDirectories)));
    }
}
