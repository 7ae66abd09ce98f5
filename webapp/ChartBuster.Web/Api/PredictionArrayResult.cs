using System.IO.Pipelines;
using System.Text.Json;
using ChartBuster.Model;

namespace ChartBuster.Web.Api;

/// <summary>
/// The answer to an array of songs, written with a <see cref="Utf8JsonWriter"/> straight into the response: the same
/// JSON as serializing a <see cref="PredictionResponse"/> per song (hitProbability rounded to 6 places, predictedHit,
/// modelVersion), without an object per song.
/// </summary>
public sealed class PredictionArrayResult(double[] probabilities, string modelVersion) : IResult
{
    private static readonly JsonEncodedText s_probability = JsonEncodedText.Encode("hitProbability");
    private static readonly JsonEncodedText s_predictedHit = JsonEncodedText.Encode("predictedHit");
    private static readonly JsonEncodedText s_modelVersion = JsonEncodedText.Encode("modelVersion");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        Write(response.BodyWriter);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>The answer's JSON into <paramref name="output"/> (flushed into it, not yet sent).</summary>
    public void Write(PipeWriter output)
    {
        using var json = new Utf8JsonWriter(output);
        var version = JsonEncodedText.Encode(modelVersion);
        json.WriteStartArray();
        foreach (var probability in probabilities)
        {
            json.WriteStartObject();
            json.WriteNumber(s_probability, Math.Round(probability, 6));
            json.WriteBoolean(s_predictedHit, HitThreshold.IsHit(probability));
            json.WriteString(s_modelVersion, version);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
