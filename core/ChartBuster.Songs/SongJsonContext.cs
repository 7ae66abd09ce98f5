using System.Text.Json.Serialization;

namespace ChartBuster.Songs;

/// <summary>Source-generated JSON for the song library's documents (no reflection: AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CleaningReport))]
public sealed partial class SongJsonContext : JsonSerializerContext;
