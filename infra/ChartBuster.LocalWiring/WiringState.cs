using System.Text.Json;

namespace ChartBuster.LocalWiring;

/// <summary>
/// What the wiring has already announced, kept on disk beside the emulator's data so a second `up` resumes
/// instead of replaying every notification (S3 sends each one once; duplicates would be harmless but noisy).
/// </summary>
public sealed class WiringState
{
    public Dictionary<string, int> RawAttempts { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> RawDone { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> ReadyQueued { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Journey records already told in the terminal.</summary>
    public HashSet<string> JourneysReported { get; set; } = new(StringComparer.Ordinal);

    public string? CurrentModelETag { get; set; }

    public static WiringState Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<WiringState>(File.ReadAllText(path)) ?? new WiringState() : new WiringState();

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this));
        File.Move(temporary, path, overwrite: true);
    }
}
