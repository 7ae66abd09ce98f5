using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Web.Following;

/// <summary>Where the serving model comes from: the registry in the artifacts bucket, or one local model.zip.</summary>
public sealed class ModelSourceOptions : IValidatableObject
{
    /// <summary>CHARTBUSTER_ARTIFACTS_BUCKET: follow models/current.json there.</summary>
    public string? ArtifactsBucket { get; set; }

    /// <summary>CHARTBUSTER_MODEL_PATH: serve this model.zip (offline use); reloaded when the file changes.</summary>
    public string? ModelPath { get; set; }

    /// <summary>How often the pointer (or the file) is checked for a new model.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 30;

    /// <summary>
    /// The first wait after a check failed for a reason that may pass (S3 503, a timeout); it doubles with each
    /// failure in a row, with jitter, up to <see cref="PollSeconds"/>.
    /// </summary>
    [Range(0.01, 3600)]
    public double RetrySeconds { get; set; } = 1;

    /// <summary>One check (pointer, model.zip, card, metrics) gives up after this long and is retried.</summary>
    [Range(0.5, 3600)]
    public double CheckTimeoutSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ArtifactsBucket) == string.IsNullOrWhiteSpace(ModelPath))
        {
            yield return new ValidationResult(
                "Set exactly one of CHARTBUSTER_ARTIFACTS_BUCKET (follow the registry) and CHARTBUSTER_MODEL_PATH (one local model.zip).",
                [nameof(ArtifactsBucket), nameof(ModelPath)]);
        }
    }
}
