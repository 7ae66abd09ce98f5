using System.Globalization;
using System.Text.Json;
using ChartBuster.Songs;

namespace ChartBuster.Web.Api;

/// <summary>
/// The songs of an API request, read from the body itself rather than bound: the songs are counted on the raw
/// bytes first, so an array of more songs than the limit is refused before any document, error list or song is
/// built for it. Either the valid songs, or the answer that refuses the request (415, 413, 400).
/// </summary>
public static class SongRequest
{
    public sealed record Outcome(SongJson.Parsed? Parsed, IResult? Refusal);

    public static async Task<Outcome> ReadAsync(HttpRequest request, StructureImputation? imputation, RequestLimitOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return Refuse(NotJson());
        }

        using var body = await RequestBody.ReadAsync(request, cancellationToken);
        return Read(body.Memory, imputation, limits);
    }

    /// <summary>The songs of a body already read (the caller checked that it was sent as JSON).</summary>
    public static Outcome Read(ReadOnlyMemory<byte> body, StructureImputation? imputation, RequestLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            if (SongJson.CountSongs(body.Span, limits.MaxSongsPerRequest) > limits.MaxSongsPerRequest)
            {
                return Refuse(Results.Problem(
                    string.Create(CultureInfo.InvariantCulture, $"Send at most {limits.MaxSongsPerRequest:N0} songs per request; split larger arrays into several requests."),
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Too many songs"));
            }

            using var document = JsonDocument.Parse(body);
            var parsed = SongJson.Read(document.RootElement, imputation, limits.MaxErrorsReported);
            return parsed.ErrorCount > 0 ? Refuse(Invalid(parsed.Errors, parsed.ErrorCount)) : new Outcome(parsed, null);
        }
        catch (JsonException e)
        {
            return Refuse(Results.Problem($"The body is not valid JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON"));
        }
    }

    public static IResult NotJson() =>
        Results.Problem("Send the songs as JSON (Content-Type: application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not JSON");

    /// <summary>400 with the listed field errors and, when some were left out, their total.</summary>
    public static IResult Invalid(Dictionary<string, string[]> errors, int errorCount)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var detail = errorCount > errors.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{errorCount:N0} field errors; the first {errors.Count} are listed.")
            : null;
        return Results.ValidationProblem(errors, detail, title: "Some song fields are invalid.", extensions: new Dictionary<string, object?> { ["errorCount"] = errorCount });
    }

    private static Outcome Refuse(IResult refusal) => new(null, refusal);
}
