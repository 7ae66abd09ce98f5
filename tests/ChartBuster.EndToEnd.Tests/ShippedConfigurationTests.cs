using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Songs.Events;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>
/// The web app and the training worker started with exactly the environment the CDK app gives their containers,
/// read back from the synthesized template (`.build/cdk.out`, written by ./test.sh before the tests), every
/// reference to a bucket, queue or network replaced by its stand-in on the emulator; plus only what the platform
/// adds (the task role's credentials and the S3/SQS endpoint, the listening port, a home folder). They start and
/// do their work: the worker consumes its queue against its buckets, the site serves the model in its bucket.
/// </summary>
public sealed class ShippedConfigurationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly Lazy<JsonElement> s_template = new(() =>
    {
        var path = Path.Combine(RepositoryPaths.Root, ".build", "cdk.out", "ChartBuster.template.json");
        return File.Exists(path)
            ? JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("Resources").Clone()
            : throw new InvalidOperationException($"{path} is missing: ./test.sh synthesizes it before the tests (npx cdk synth -o .build/cdk.out).");
    });

    private readonly Dictionary<string, string> _standIns = [];

    /// <summary>The container environment of the task definition whose container satisfies <paramref name="which"/>.</summary>
    private static List<(string Name, JsonElement Value)> ContainerEnvironment(Func<JsonElement, bool> which)
    {
        var container = s_template.Value.EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == "AWS::ECS::TaskDefinition")
            .Select(r => r.Value.GetProperty("Properties").GetProperty("ContainerDefinitions")[0])
            .Single(which);
        return [.. container.GetProperty("Environment").EnumerateArray().Select(e => (e.GetProperty("Name").GetString()!, e.GetProperty("Value")))];
    }

    private static bool Serves(JsonElement container) => container.TryGetProperty("PortMappings", out var ports) && ports.GetArrayLength() > 0;

    /// <summary>Resolves a template value: text as it is, a reference to a resource by its stand-in on the emulator.</summary>
    private async Task<string> Resolve(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        var (id, attribute) = value.TryGetProperty("Ref", out var reference)
            ? (reference.GetString()!, "Ref")
            : (value.GetProperty("Fn::GetAtt")[0].GetString()!, value.GetProperty("Fn::GetAtt")[1].GetString()!);
        var resource = s_template.Value.GetProperty(id);
        var key = $"{id}.{attribute}";
        if (_standIns.TryGetValue(key, out var known))
        {
            return known;
        }

        var type = resource.GetProperty("Type").GetString();
        var resolved = (type, attribute) switch
        {
            ("AWS::S3::Bucket", "Ref") => await emulator.CreateBucketAsync(id.ToLowerInvariant()[..Math.Min(20, id.Length)]),
            ("AWS::SQS::Queue", "Ref") => (await emulator.CreateQueueAsync(id.ToLowerInvariant()[..Math.Min(20, id.Length)], 300)).QueueUrl,
            ("AWS::SQS::Queue", "QueueName") => (await Resolve(name, JsonDocument.Parse($"{{\"Ref\":\"{id}\"}}").RootElement)).Split('/')[^1],
            ("AWS::EC2::VPC", "CidrBlock") => resource.GetProperty("Properties").GetProperty("CidrBlock").GetString()!,
            _ => throw new InvalidOperationException($"The template gives {name} = {value}; this test has no stand-in for {type} {attribute}: add one."),
        };
        _standIns[key] = resolved;
        return resolved;
    }

    private async Task<Dictionary<string, string>> Shipped(Func<JsonElement, bool> which)
    {
        var environment = new Dictionary<string, string>(emulator.Environment) // the task role and the endpoint
        {
            ["HOME"] = Directory.CreateTempSubdirectory("chartbuster-container-home-").FullName,
        };
        foreach (var (name, value) in ContainerEnvironment(which))
        {
            environment[name] = await Resolve(name, value);
        }

        return environment;
    }

    /// <summary>A small real model (quick candidate, the 1980s songs), trained once for the class.</summary>
    private static class TrainedModel
    {
        public static readonly Lazy<string> Folder = new(() =>
        {
            var decade = RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("80s.csv", StringComparison.Ordinal));
            var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 })
                .Train(ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(decade)), decade));
            var folder = Directory.CreateTempSubdirectory("chartbuster-shipped-model-").FullName;
            var model = ModelFiles.ModelBytes(trained);
            File.WriteAllBytes(Path.Combine(folder, ModelFiles.Model), model);
            File.WriteAllBytes(Path.Combine(folder, ModelFiles.Metrics), ModelFiles.MetricsBytes(trained.Metrics));
            File.WriteAllBytes(Path.Combine(folder, ModelFiles.Card), ModelFiles.CardBytes(
                ModelFiles.CardFor(trained, "v-shipped", "eighties-shipped", DateTimeOffset.UtcNow, 42) with { ModelSha256 = ModelFiles.Sha256(model) }));
            return folder;
        });
    }

    [Fact]
    public async Task The_worker_and_the_web_app_with_the_template_environment_start_and_serve()
    {
        var web = await Shipped(Serves);
        var worker = await Shipped(c => !Serves(c));
        var port = ServiceProcess.FreePort();
        web["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}"; // the image's http://+:8080, on a free loopback port

        await using var site = ServiceProcess.Start(ServiceProcess.Program("webapp/ChartBuster.Web"), [], web);
        await using var training = ServiceProcess.Start(ServiceProcess.Program("training/ChartBuster.Training"), ["worker"], worker);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Waiting.Until(async () => await StatusAsync(client, "/health/live") == HttpStatusCode.OK, "the site to start", TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health/ready"));

        // The worker: a request for a dataset the registry already trained, read from the template's queue, checked
        // against the template's artifacts bucket, recorded in the template's ready bucket, and deleted.
        var artifacts = worker["CHARTBUSTER_ARTIFACTS_BUCKET"];
        var registry = new ModelRegistry(emulator.S3, artifacts);
        await registry.MarkTrainedAsync(new TrainedDataset("eighties-shipped", "v-shipped", "promoted", DateTimeOffset.UtcNow), CancellationToken.None);
        var ready = worker["CHARTBUSTER_READY_BUCKET"];
        const string key = "datasets/eighties-shipped/ready.csv";
        await emulator.Sqs.SendMessageAsync(worker["CHARTBUSTER_TRAINING_QUEUE_URL"], Encoding.UTF8.GetString(
            S3EventJson.ObjectCreated([new S3ObjectCreated(ready, key, 1, "d41d8cd98f00b204e9800998ecf8427e")], DateTimeOffset.UtcNow)));

        // The site: a model published where the template says, as the worker would.
        foreach (var file in Directory.GetFiles(TrainedModel.Folder.Value))
        {
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = artifacts, Key = $"models/v-shipped/{Path.GetFileName(file)}", FilePath = file });
        }

        await registry.PointToAsync(new ModelPointer("v-shipped", "eighties-shipped", DateTimeOffset.UtcNow, 0.9, "test", null), CancellationToken.None);

        await Waiting.Until(
            async () =>
            {
                Assert.False(training.HasExited, training.Output);
                Assert.False(site.HasExited, site.Output);
                return training.Logged("was already trained") && await StatusAsync(client, "/health/ready") == HttpStatusCode.OK;
            },
            "the worker to handle its queue's message and the site to serve the model",
            TimeSpan.FromMinutes(2));
        var prediction = await client.PostAsJsonAsync("/api/predictions", new
        {
            danceability = 0.7, energy = 0.8, key = 5, loudness = -5.2, mode = 1, speechiness = 0.05, acousticness = 0.1, instrumentalness = 0,
            liveness = 0.1, valence = 0.6, tempo = 120, duration_ms = 210000, time_signature = 4, chorus_hit = 35, sections = 9,
        });
        var queue = await emulator.Sqs.GetQueueAttributesAsync(worker["CHARTBUSTER_TRAINING_QUEUE_URL"], ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);

        Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
        Assert.Equal("v-shipped", (await prediction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("modelVersion").GetString());
        Assert.Equal(0, queue.ApproximateNumberOfMessages + queue.ApproximateNumberOfMessagesNotVisible);
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
