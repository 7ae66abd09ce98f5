using System.Text.Json.Serialization;

namespace ChartBuster.Preprocess;

/// <summary>What the function answers for one invocation: one result per record.</summary>
public sealed record PreprocessResponse(IReadOnlyList<PreprocessResult> Results);

public sealed record PreprocessResult(string Bucket, string Key, string Outcome, string? DatasetId, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PreprocessResponse))]
[JsonSerializable(typeof(ChartBuster.Preprocess.Runtime.LambdaError))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;
