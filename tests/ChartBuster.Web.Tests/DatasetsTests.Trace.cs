using System.Net.Http.Json;
using System.Text.Json;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.Web.Tests;

public sealed partial class DatasetsTests
{
    [Fact]
    public async Task The_dataset_page_and_api_show_the_trace_id_that_followed_the_upload()
    {
        var seeder = await Bucket();
        var (id, _) = await seeder.UploadAsync("traced.csv", File.ReadAllText(RepositoryPaths.DecadeFiles()[2]), JourneySeeder.Morning);
        await seeder.WriteAsync(JourneyRecords.TrainingStarted(id, 1, 3, JourneySeeder.Morning.AddMinutes(1)) with
        {
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01",
        });
        using var app = App(seeder);
        var client = app.CreateClient();

        var html = await client.GetStringAsync($"/datasets/{id}");
        var api = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");

        Assert.Contains("<code id=\"trace-id\">0af7651916cd43dd8448eb211c80319c</code>", html, StringComparison.Ordinal);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", api.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task A_dataset_recorded_before_traces_shows_no_trace_id()
    {
        var seeder = await Bucket();
        var (id, _) = await seeder.UploadAsync("untraced.csv", JourneySeeder.OneClass(50), JourneySeeder.Morning);
        using var app = App(seeder);

        var html = await app.CreateClient().GetStringAsync($"/datasets/{id}");

        Assert.DoesNotContain("trace-id", html, StringComparison.Ordinal);
    }
}
