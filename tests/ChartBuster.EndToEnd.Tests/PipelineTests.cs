using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>The pipeline end to end on the local stack: upload → clean → train → serve, and every failure path.</summary>
public sealed partial class PipelineTests(LocalStackFixture stack) : IClassFixture<LocalStackFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(8);

    private static readonly object Song = new
    {
        danceability = 0.72, energy = 0.81, key = 5, loudness = -5.2, mode = 1, speechiness = 0.05, acousticness = 0.08,
        instrumentalness = 0.0, liveness = 0.11, valence = 0.64, tempo = 118.0, duration_ms = 212_000, time_signature = 4,
        chorus_hit = 31.5, sections = 9,
    };

    private async Task<List<string>> KeysAsync(string bucket, string prefix) =>
        [.. ((await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix })).S3Objects ?? []).Select(o => o.Key)];

    private async Task<int> MessagesAsync(string queueName)
    {
        var url = (await stack.Sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var attributes = await stack.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    private async Task<JsonElement> PredictAsync()
    {
        using var response = await stack.Web.PostAsJsonAsync(new Uri("/api/predictions", UriKind.Relative), Song);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string WriteTemporaryCsv(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("chartbuster-upload-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task An_uploaded_real_decade_file_is_cleaned_trained_and_served()
    {
        var prediction = await PredictAsync();

        Assert.Equal(stack.FirstModelVersion, prediction.GetProperty("modelVersion").GetString());
        Assert.InRange(prediction.GetProperty("hitProbability").GetDouble(), 0, 1);
        var model = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri("/api/model", UriKind.Relative));
        Assert.StartsWith("dataset-of-80s-", model.GetProperty("datasetId").GetString(), StringComparison.Ordinal);
        Assert.Contains("preprocess  dataset-of-80s.csv: prepared, cleaned", stack.WiringLog, StringComparison.Ordinal);
        Assert.Contains($"model       {stack.FirstModelVersion} promoted", stack.WiringLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_upload_trains_nothing()
    {
        var trainedBefore = await KeysAsync(LocalStackFixture.ArtifactsBucket, "trained/");
        var serving = await stack.ServingVersionAsync();

        await stack.UploadAsync(RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("-80s.csv", StringComparison.Ordinal)));
        await Waiting.Until(
            () => Task.FromResult(stack.WiringLog.Contains("preprocess  dataset-of-80s.csv: already_prepared", StringComparison.Ordinal)),
            "the repeated upload to reach the function", TimeSpan.FromSeconds(30));
        await Task.Delay(Settle);

        Assert.Equal(trainedBefore, await KeysAsync(LocalStackFixture.ArtifactsBucket, "trained/"));
        Assert.Equal(serving, await stack.ServingVersionAsync());
        Assert.Equal(0, await MessagesAsync("chartbuster-training"));
    }

    [Fact]
    public async Task A_file_missing_a_column_gets_a_report_and_no_training()
    {
        var trainedBefore = await KeysAsync(LocalStackFixture.ArtifactsBucket, "trained/");
        var file = WriteTemporaryCsv("no-energy.csv", "track,artist,uri,danceability,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,target\nA,B,spotify:track:1,0.5,1,-5,1,0.05,0.1,0,0.1,0.5,120,200000,4,30,8,1\n");

        await stack.UploadAsync(file);
        await Waiting.Until(
            () => Task.FromResult(stack.WiringLog.Contains("preprocess  no-energy.csv: file_refused", StringComparison.Ordinal)),
            "the refusal", TimeSpan.FromSeconds(30));
        await Task.Delay(Settle);

        var outputs = await KeysAsync(LocalStackFixture.ReadyBucket, "datasets/no-energy-");
        var report = Assert.Single(outputs);
        Assert.EndsWith("/report.json", report, StringComparison.Ordinal);
        using var body = await stack.S3.GetObjectAsync(LocalStackFixture.ReadyBucket, report);
        var json = await JsonDocument.ParseAsync(body.ResponseStream);
        Assert.Contains("energy", json.RootElement.GetProperty("missingColumns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(trainedBefore, await KeysAsync(LocalStackFixture.ArtifactsBucket, "trained/"));
        Assert.Equal(0, await MessagesAsync("chartbuster-training"));
    }

    [Fact]
    public async Task A_failing_training_keeps_the_old_model_serving_and_ends_in_the_dead_letter_queue_after_three_tries()
    {
        var serving = await stack.ServingVersionAsync();
        var deadBefore = await MessagesAsync("chartbuster-training-dlq");
        await stack.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = LocalStackFixture.ReadyBucket,
            Key = "datasets/poison-0001/ready.csv",
            ContentBody = "uri,danceability\nspotify:track:x,0.5\n",
        });

        await Waiting.Until(async () => await MessagesAsync("chartbuster-training-dlq") == deadBefore + 1, "the dead-letter queue", TimeSpan.FromSeconds(90));

        Assert.Equal(0, await MessagesAsync("chartbuster-training"));
        Assert.True(CountOf(stack.ReadLog("worker"), "failed (receive") >= 3, "the worker must have tried three times");
        Assert.Equal(serving, await stack.ServingVersionAsync());
        Assert.Equal(serving, (await PredictAsync()).GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task A_corrupt_model_zip_is_refused_while_the_site_keeps_answering()
    {
        var serving = await stack.ServingVersionAsync();
        var pointerBefore = await ReadArtifactAsync("models/current.json");
        var pointer = JsonSerializer.Deserialize<Dictionary<string, object?>>(pointerBefore)!;
        pointer["modelVersion"] = "corrupt-0001";
        await stack.S3.PutObjectAsync(new PutObjectRequest { BucketName = LocalStackFixture.ArtifactsBucket, Key = "models/corrupt-0001/model.zip", ContentBody = "this is not a zip file" });
        try
        {
            await stack.S3.PutObjectAsync(new PutObjectRequest { BucketName = LocalStackFixture.ArtifactsBucket, Key = "models/current.json", ContentBody = JsonSerializer.Serialize(pointer) });

            await Waiting.Until(
                () => Task.FromResult(stack.ReadLog("web").Contains("refused model corrupt-0001", StringComparison.Ordinal)),
                "the web app to refuse the model", TimeSpan.FromSeconds(30));

            Assert.Equal(serving, await stack.ServingVersionAsync());
            Assert.Equal(serving, (await PredictAsync()).GetProperty("modelVersion").GetString());
            using var ready = await stack.Web.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await stack.S3.PutObjectAsync(new PutObjectRequest { BucketName = LocalStackFixture.ArtifactsBucket, Key = "models/current.json", ContentBody = pointerBefore });
        }
    }

    [Fact]
    public async Task Another_upload_retrains_and_swaps_the_model_while_the_site_keeps_answering()
    {
        var serving = await stack.ServingVersionAsync();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var answers = 0;
        var asking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await stack.Web.PostAsJsonAsync(new Uri("/api/predictions", UriKind.Relative), Song);
                _ = response.IsSuccessStatusCode ? Interlocked.Increment(ref answers) : Interlocked.Increment(ref failures);
                await Task.Delay(20);
            }
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stack.UploadAsync(RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("-90s.csv", StringComparison.Ordinal)));
        var swapped = await stack.WaitForNewModelAsync(serving, TimeSpan.FromMinutes(3));
        var uploadToSwap = clock.Elapsed;
        await stop.CancelAsync();
        await asking;

        Assert.NotEqual(serving, swapped);
        Assert.Equal(0, failures);
        Assert.True(answers > 10, $"{answers} answers during the retraining");
        Console.WriteLine($"end-to-end: up {stack.UpTime.TotalSeconds:0.0} s; first upload → model {stack.FirstModelTime.TotalSeconds:0.0} s; upload → swapped model {uploadToSwap.TotalSeconds:0.0} s");
    }

    private async Task<string> ReadArtifactAsync(string key)
    {
        using var response = await stack.S3.GetObjectAsync(LocalStackFixture.ArtifactsBucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private static int CountOf(string text, string value) =>
        text.Split('\n').Count(line => line.Contains(value, StringComparison.Ordinal));
}
