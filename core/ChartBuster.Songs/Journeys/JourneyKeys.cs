using System.Globalization;
using System.Text.RegularExpressions;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Songs.Journeys;

/// <summary>
/// Every key of a dataset's life in the ready bucket, in one place (a contract between the function, the worker, the
/// web app, the local wiring and the CDK stack):
/// <list type="bullet">
/// <item><c>datasets/{datasetId}/</c>: the prepared files (cleaned.csv, rejects.csv, report.json, ready.csv).</item>
/// <item><c>journeys/datasets/{datasetId}/{record}.json</c>: one immutable record per stage. A record's name is its
/// stage, plus the SQS receive count for per-attempt stages or a time stamp for repeatable ones, so two stages never
/// write the same key and a duplicate delivery rewrites its own record with the same facts.</item>
/// <item><c>journeys/index/{inverted upload time}-{datasetId}.json</c>: one entry per dataset. The inverted time makes
/// S3's lexical listing newest first, so a page of datasets is one ListObjectsV2 with MaxKeys and StartAfter.</item>
/// </list>
/// </summary>
public static partial class JourneyKeys
{
    public const string PreparedRoot = StorageLayout.DatasetsRoot;
    public const string Root = StorageLayout.JourneysRoot;
    public const string IndexPrefix = Root + "index/";
    public const string RecordsRoot = Root + "datasets/";
    public const string Extension = ".json";

    /// <summary>Stamps of repeatable records: sortable, lower case, no characters that need escaping in a key or URL.</summary>
    private const string StampFormat = "yyyyMMdd'-'HHmmssfff";

    private static readonly long s_maxTicks = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>datasets/{datasetId}/{fileName}: a prepared file (DatasetFileNames).</summary>
    public static string PreparedFile(string datasetId, string fileName) => $"{PreparedPrefix(datasetId)}{fileName}";

    public static string PreparedPrefix(string datasetId) => $"{PreparedRoot}{datasetId}/";

    /// <summary>datasets/{datasetId}/ready.csv → datasetId; any other key is not a dataset to train.</summary>
    public static string? DatasetIdOfReadyFile(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        return parts is ["datasets", var id, DatasetFileNames.Ready] && id.Length > 0 ? id : null;
    }

    /// <summary>journeys/datasets/{datasetId}/: every record of one dataset (a handful of small objects).</summary>
    public static string RecordsPrefix(string datasetId) => $"{RecordsRoot}{datasetId}/";

    public static string Record(string datasetId, string recordName) => $"{RecordsPrefix(datasetId)}{recordName}{Extension}";

    /// <summary>The name of a per-attempt record: training-failed-2.</summary>
    public static string PerAttempt(string stage, int attempt) => string.Create(CultureInfo.InvariantCulture, $"{stage}-{attempt}");

    /// <summary>The name of a repeatable record: already-trained-20261123-120000123.</summary>
    public static string Stamped(string stage, DateTimeOffset at) => $"{stage}-{at.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture)}";

    /// <summary>journeys/datasets/{datasetId}/{name}.json → (datasetId, name).</summary>
    public static bool TryParseRecord(string key, out string datasetId, out string recordName)
    {
        ArgumentNullException.ThrowIfNull(key);
        datasetId = recordName = "";
        if (!key.StartsWith(RecordsRoot, StringComparison.Ordinal) || !key.EndsWith(Extension, StringComparison.Ordinal)
            || key[RecordsRoot.Length..^Extension.Length].Split('/') is not [var id, var name]
            || !IsDatasetId(id) || !IsRecordName(name))
        {
            return false;
        }

        (datasetId, recordName) = (id, name);
        return true;
    }

    /// <summary>The dataset's entry in the newest-first index, keyed on when the file was uploaded.</summary>
    public static string IndexEntry(string datasetId, DateTimeOffset uploadedAt) => $"{IndexPrefix}{Cursor(datasetId, uploadedAt)}{Extension}";

    /// <summary>The position of a dataset in the index, as paging hands it out: {inverted ticks, 19 digits}-{datasetId}.</summary>
    public static string Cursor(string datasetId, DateTimeOffset uploadedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{s_maxTicks - uploadedAt.UtcTicks:D19}-{datasetId}");

    /// <summary>The StartAfter of the page that follows <paramref name="cursor"/>.</summary>
    public static string IndexStartAfter(string cursor) => $"{IndexPrefix}{cursor}{Extension}";

    public static bool TryParseIndexEntry(string key, out string datasetId, out DateTimeOffset uploadedAt, out string cursor)
    {
        ArgumentNullException.ThrowIfNull(key);
        datasetId = cursor = "";
        uploadedAt = default;
        if (!key.StartsWith(IndexPrefix, StringComparison.Ordinal) || !key.EndsWith(Extension, StringComparison.Ordinal)
            || !IsCursor(key[IndexPrefix.Length..^Extension.Length]))
        {
            return false;
        }

        cursor = key[IndexPrefix.Length..^Extension.Length];
        datasetId = cursor[20..];
        uploadedAt = new DateTimeOffset(s_maxTicks - long.Parse(cursor[..19], CultureInfo.InvariantCulture), TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// What a dataset id may be (DatasetIds makes {file-name-slug}-{16 hex}): lower-case letters, digits and hyphens, so an
    /// id from a URL can never reach another prefix of the bucket.
    /// </summary>
    public static bool IsDatasetId(string? value) => value is { Length: > 0 and <= 100 } && DatasetIdPattern().IsMatch(value);

    public static bool IsRecordName(string? value) => value is { Length: > 0 and <= 100 } && RecordNamePattern().IsMatch(value);

    public static bool IsCursor(string? value) =>
        value is { Length: > 20 and <= 120 } && CursorPattern().IsMatch(value) && IsDatasetId(value[20..]);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordNamePattern();

    [GeneratedRegex("^[0-9]{19}-", RegexOptions.CultureInvariant)]
    private static partial Regex CursorPattern();
}
