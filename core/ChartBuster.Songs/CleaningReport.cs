using System.Text.Json.Serialization;

namespace ChartBuster.Songs;

/// <summary>report.json: what cleaning read, kept and rejected, and whether the file may train a model.</summary>
public sealed class CleaningReport
{
    public const string Ready = "ready";
    public const string Rejected = "rejected";

    public string Source { get; set; } = "";

    public string? DatasetId { get; set; }

    /// <summary><see cref="Ready"/> when ready.csv was written, <see cref="Rejected"/> when the file was refused.</summary>
    public string Status { get; set; } = Ready;

    /// <summary>Why the file was refused, in words a user can act on.</summary>
    public string? Error { get; set; }

    public long RowsRead { get; set; }

    public long RowsKept { get; set; }

    /// <summary>Rows with an invalid value (the ones the rejected-share limit counts).</summary>
    public long RowsRejected { get; set; }

    public long DuplicatesRemoved { get; set; }

    /// <summary>Rows dropped because copies of the same song and decade disagree on target.</summary>
    public long ConflictingTargetRowsRemoved { get; set; }

    public long BlankLinesSkipped { get; set; }

    public SortedDictionary<string, long> RejectedByReason { get; set; } = new(StringComparer.Ordinal);

    public double RejectedShare { get; set; }

    public double MaxRejectedShare { get; set; }

    public List<string> MissingColumns { get; set; } = [];

    /// <summary>The first columns outside the contract (ignored); <see cref="ExtraColumnCount"/> counts them all.</summary>
    public List<string> ExtraColumns { get; set; } = [];

    public int ExtraColumnCount { get; set; }

    /// <summary>"column", "file name" or "unknown".</summary>
    public string DecadeSource { get; set; } = "unknown";

    public long BytesRead { get; set; }

    public long ElapsedMilliseconds { get; set; }

    public List<string> Outputs { get; set; } = [];

    [JsonIgnore]
    public bool IsReady => Status == Ready;

    /// <summary>True when every row read is accounted for exactly once.</summary>
    [JsonIgnore]
    public bool AddsUp =>
        RowsRead == RowsKept + RowsRejected + DuplicatesRemoved + ConflictingTargetRowsRemoved
        && RowsRejected + DuplicatesRemoved + ConflictingTargetRowsRemoved == RejectedByReason.Values.Sum();

    public void Refuse(string error)
    {
        Status = Rejected;
        Error = error;
    }
}
