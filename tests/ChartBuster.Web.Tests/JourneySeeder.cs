using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.Web.Tests;

/// <summary>
/// Puts datasets into an emulator bucket the way the pipeline leaves them: the files cleaning writes (by the production
/// cleaner), and the journey records of each stage (by the production record factories and recorder).
/// </summary>
public sealed class JourneySeeder(IAmazonS3 s3, string bucket)
{
    public static readonly DateTimeOffset Morning = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly JourneyRecorder _recorder = new((key, content, ct) => PutAsync(s3, bucket, key, content, ct), (key, e) => throw new InvalidOperationException(key, e));

    public string Bucket => bucket;

    /// <summary>Cleans <paramref name="csv"/>, stores its prepared files (not ready.csv) and records received, indexed, prepared or refused.</summary>
    public async Task<(string Id, CleaningReport Report)> UploadAsync(string fileName, string csv, DateTimeOffset uploadedAt)
    {
        var id = $"{Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant()}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 8)}";
        var bytes = Encoding.UTF8.GetBytes(csv);
        var store = new MemoryDatasetStore();
        var report = await new DatasetPreparer(new CleaningOptions()).PrepareAsync(
            _ => Task.FromResult<Stream>(new MemoryStream(bytes)), fileName, id, store, CancellationToken.None, bytes.Length);
        foreach (var (name, content) in store.Files.Where(f => f.Key != DatasetFileNames.Ready))
        {
            await PutAsync(s3, bucket, JourneyKeys.PreparedFile(id, name), content, CancellationToken.None);
        }

        var upload = new UploadFacts("chartbuster-raw", fileName, fileName, bytes.Length, "0123456789abcdef0123456789abcdef", uploadedAt);
        await WriteAsync(JourneyRecords.Received(id, upload, uploadedAt.AddSeconds(1)));
        await _recorder.WriteIndexAsync(id, upload, CancellationToken.None);
        await WriteAsync(JourneyRecords.Prepared(id, report, uploadedAt.AddSeconds(2)));
        return (id, report);
    }

    public async Task WriteAsync(JourneyRecord record) => Assert.True(await _recorder.WriteAsync(record, CancellationToken.None));

    /// <summary>Three failed attempts and the dead letter, as the worker records a poison dataset.</summary>
    public async Task DeadLetterAsync(string id, DateTimeOffset at, string error)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await WriteAsync(JourneyRecords.TrainingStarted(id, attempt, 3, at.AddSeconds(10 * attempt)));
            await WriteAsync(JourneyRecords.TrainingFailed(id, attempt, 3, error, "System.IO.InvalidDataException: " + error, at.AddSeconds((10 * attempt) + 5)));
        }

        await WriteAsync(JourneyRecords.DeadLettered(id, 3, error, at.AddSeconds(36)));
    }

    /// <summary>One attempt that produced a model, promoted or rejected by the gate.</summary>
    public async Task TrainAsync(string id, DateTimeOffset at, string version, bool promoted, double auc, double? servingAuc, string? servingVersion)
    {
        await WriteAsync(JourneyRecords.TrainingStarted(id, 1, 3, at));
        var reason = promoted
            ? $"validation AUC {auc:F4} against the serving model's {servingAuc ?? 0:F4} on the same songs"
            : $"validation AUC {auc:F4} is worse than the serving model's {servingAuc:F4} on the same songs (tolerance 0.0050)";
        var facts = new ModelOutcomeFacts(
            version, promoted, auc, servingVersion, servingAuc, reason, promoted ? null : "no worse than the serving model on the same songs (tolerance 0.0050)",
            0.8, 0.005, 4000, 1000, new Dictionary<string, double> { ["auc"] = auc, ["accuracy"] = 0.79, ["logLoss"] = 0.45 });
        await WriteAsync(JourneyRecords.ModelOutcome(id, facts, at.AddSeconds(30)));
    }

    /// <summary>A real decade file with one column renamed: refused for the missing column.</summary>
    public static string WithoutColumn(string column) =>
        File.ReadAllText(RepositoryPaths.DecadeFiles()[1]).Replace($",{column},", ",renamed,", StringComparison.Ordinal);

    /// <summary>The first rows of a real decade file with target 0 only: cleaning keeps them, training cannot use them.</summary>
    public static string OneClass(int rows)
    {
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[2]);
        return string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(l => l.EndsWith(",0", StringComparison.Ordinal)).Take(rows))) + "\n";
    }

    private static async Task PutAsync(IAmazonS3 s3, string bucket, string key, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body }, cancellationToken);
    }
}
