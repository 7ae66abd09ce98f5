using System.Diagnostics;
using System.Text.Json;
using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using ChartBuster.Web.Insights;
using ChartBuster.Web.Telemetry;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Api;

public sealed record ModelResponse(
    string ModelVersion,
    DateTimeOffset? TrainedAt,
    string? DatasetId,
    string Source,
    DateTimeOffset LoadedAt,
    object? Metrics);

/// <summary>The JSON API: predictions (with explanations and what-if curves), the training songs, the serving model, health.</summary>
public static class PredictionsApi
{
    /// <summary>An explanation scores about <see cref="ShapleyExplanation.DefaultBudget"/> songs, so one request explains only a few.</summary>
    public const int MaxExplainedSongs = 10;

    public const int MaxSearchResults = 25;

    /// <summary>
    /// What an explained song costs from the client's song budget (<see cref="SongBudget"/>): the sampled explanation
    /// scores about 500 songs (bench/README "What-if requests").
    /// </summary>
    public const int ExplainedSongCost = 500;

    /// <summary>What a curves request costs from the song budget: its one batch scores about 300 songs.</summary>
    public const int CurvesCost = 300;

    private static readonly JsonSerializerOptions s_health = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static IEndpointRouteBuilder MapChartBusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireRateLimiting(RateLimiting.Api).DisableAntiforgery();
        api.MapPost("/predictions", PredictAsync)
            .WithSummary("Predicts whether songs will chart")
            .WithDescription(
                "One song as a JSON object, or several (up to the configured limit, 10,000 by default) as an array, with the data contract's raw feature names (Spotify's audio-features " +
                "response works as it is: extra fields are ignored, and {\"audio_features\": [...]} is read as an array). Relaxations: key may be " +
                "a note name (\"F#\", \"Bb\"), mode \"major\" or \"minor\", the length may be given as duration \"m:ss\" instead of duration_ms, and " +
                "chorus_hit and sections may be left out: they are then filled in from the song's length (the medians of training songs of " +
                "similar length) and listed in imputed. With explain=true (at most 10 songs) each answer also carries its explanation: what a hit " +
                "means, the training base rate, the song's rank among held-out songs of its decade, the Shapley values of its inputs against " +
                "the typical song of its decade (they add up to the gap between the two probabilities), and the three closest real hits.")
            .Accepts<JsonElement>("application/json")
            .Produces<PredictionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/predictions/curves", CurvesAsync)
            .Accepts<JsonElement>("application/json")
            .WithSummary("What-if curves for one song")
            .WithDescription(
                "One song (same fields and relaxations as /api/predictions). Answers, in one batch, the probability across each input's range " +
                "(21 steps from the 1st to the 99th percentile of the training songs, or each value the training songs had for key, mode and " +
                "time signature), every other input held, and the same song in every decade the model knows (the decade time machine).")
            .Produces<CurvesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/songs", SearchSongs)
            .WithSummary("Searches the training songs by title or artist")
            .WithDescription("Every word of q must appear in the title or the artist; charting songs first. limit: 1 to 25 (default 10).")
            .Produces<IReadOnlyList<SongResponse>>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/songs/{id}", GetSong)
            .WithSummary("One training song with its inputs, ready to send to /api/predictions")
            .Produces<SongResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/presets", Presets)
            .WithSummary("Starting songs made from real ones: the median of the training songs that match a stated rule")
            .Produces<IReadOnlyList<PresetResponse>>();
        api.MapGet("/model", DescribeModel).Produces<ModelResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", Ready).ExcludeFromDescription();
        return app;
    }

    /// <summary>Ready = a model is loaded; either way, the last model refused since and why.</summary>
    private static IResult Ready(CurrentModel current)
    {
        var state = current.State;
        var refused = state.Refused is { } r ? new { modelVersion = r.ModelVersion, reason = r.Reason, at = r.At } : null;
        return state.Serving is { } model
            ? Results.Json(new { status = "ready", modelVersion = model.Version, refused }, s_health)
            : Results.Json(new { status = "no model loaded", refused }, s_health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PredictAsync(
        HttpRequest request, CurrentModel current, SongBudget budget, IOptions<RequestLimitOptions> limits,
        PredictionMetrics metrics, CancellationToken cancellationToken, bool explain = false)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var model = current.Serving;
        if (!request.HasJsonContentType())
        {
            metrics.Rejected(PredictionKinds.Api);
            return SongRequest.NotJson();
        }

        using var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (!explain && model is not null && PlainSongArray.TryRead(body.Span, limits.Value.MaxSongsPerRequest) is { } plain)
        {
            using (plain)
            {
                return AnswerPlain(request.HttpContext, plain, model, budget, metrics, startedAt);
            }
        }

        var (parsed, refusal) = SongRequest.Read(body.Memory, model?.Reference?.Training.Imputation, limits.Value);
        if (parsed is null)
        {
            metrics.Rejected(PredictionKinds.Api);
            return refusal!;
        }

        var kind = parsed.IsArray ? PredictionKinds.ApiArray : PredictionKinds.ApiSingle;
        if (explain && parsed.Songs.Count > MaxExplainedSongs)
        {
            metrics.Rejected(kind, parsed.Songs.Count);
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["explain"] = [$"explain=true takes at most {MaxExplainedSongs} songs per request; this one has {parsed.Songs.Count}."] },
                title: "Too many songs to explain.");
        }

        if (budget.TryTake(request.HttpContext, parsed.Songs.Count * (explain ? ExplainedSongCost : 1)) is { } retryAfter)
        {
            return TooManySongs(request.HttpContext, retryAfter);
        }

        if (model is null)
        {
            return NoModel();
        }

        if (explain && model.Reference is null)
        {
            return NoReference(model.Version);
        }

        // One model snapshot answers every song of the request.
        var answers = explain
            ? [.. parsed.Songs.Select(s => Answer(SongInsights.Explain(model, s.Song, withCurves: false), s))]
            : model.PredictMany([.. parsed.Songs.Select(s => s.Input)])
                .Select((p, i) => new PredictionResponse(Math.Round(p.HitProbability, 6), p.PredictedHit, p.ModelVersion, Imputed(parsed.Songs[i])))
                .ToList();
        var hits = answers.Count(a => a.PredictedHit);
        metrics.Answered(kind, hits, answers.Count - hits, startedAt);
        return parsed.IsArray ? Results.Ok(answers) : Results.Ok(answers[0]);
    }

    /// <summary>
    /// An array of plain songs (<see cref="PlainSongArray"/>): the same checks and answers as the reference path, the
    /// songs scored as one block on every core and the answer written as it is computed.
    /// </summary>
    private static IResult AnswerPlain(HttpContext context, PlainSongArray plain, ServedModel model, SongBudget budget, PredictionMetrics metrics, long startedAt)
    {
        if (budget.TryTake(context, plain.Count) is { } retryAfter)
        {
            return TooManySongs(context, retryAfter);
        }

        var probabilities = new double[plain.Count];
        model.Model.PredictMany(plain.Songs, probabilities);
        var hits = probabilities.Count(HitThreshold.IsHit);
        metrics.Answered(PredictionKinds.ApiArray, hits, probabilities.Length - hits, startedAt);
        return new PredictionArrayResult(probabilities, model.Version);
    }

    private static PredictionResponse Answer(SongInsight insight, ParsedSong song) =>
        new(Math.Round(insight.Prediction.HitProbability, 6), insight.Prediction.PredictedHit, insight.Prediction.ModelVersion, Imputed(song), InsightJson.Explanation(insight));

    private static IReadOnlyList<string>? Imputed(ParsedSong song) =>
        song.Imputed.Count == 0 ? null : [.. song.Imputed.Select(SongSchema.NameOf)];

    private static async Task<IResult> CurvesAsync(
        HttpRequest request, CurrentModel current, SongBudget budget, IOptions<RequestLimitOptions> limits, CancellationToken cancellationToken)
    {
        var model = current.Serving;
        var (parsed, refusal) = await SongRequest.ReadAsync(request, model?.Reference?.Training.Imputation, limits.Value, cancellationToken);
        if (parsed is null)
        {
            return refusal!;
        }

        if (parsed.IsArray)
        {
            return SongRequest.Invalid(new Dictionary<string, string[]> { ["$"] = ["Send one song as a JSON object."] }, 1);
        }

        if (budget.TryTake(request.HttpContext, CurvesCost) is { } retryAfter)
        {
            return TooManySongs(request.HttpContext, retryAfter);
        }

        if (model is null)
        {
            return NoModel();
        }

        return model.Reference is { } reference
            ? Results.Ok(InsightJson.Curves(WhatIfCurves.Compute(model.Model, parsed.Songs[0].Song, reference.Training), model.Version))
            : NoReference(model.Version);
    }

    private static IResult SearchSongs(CurrentModel current, string? q, int? limit)
    {
        var model = current.Serving;
        if (model?.Reference is not { } reference)
        {
            return model is null ? NoModel() : NoReference(model.Version);
        }

        var count = Math.Clamp(limit ?? 10, 1, MaxSearchResults);
        var query = (q ?? "").Length > 100 ? q![..100] : q ?? "";
        return Results.Ok(reference.Songs.Search(query, count).Select(s => InsightJson.Song(s, withInputs: false)).ToList());
    }

    private static IResult GetSong(CurrentModel current, string id) =>
        current.Serving?.Reference?.Songs.Find(id) is { } song
            ? Results.Ok(InsightJson.Song(song, withInputs: true))
            : Results.Problem($"No training song has the id '{(id.Length > 40 ? id[..40] : id)}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown song");

    private static IResult Presets(CurrentModel current) =>
        Results.Ok((current.Serving?.Reference?.Training.Presets ?? [])
            .Select(p => new PresetResponse(p.Id, p.Label, p.Description, p.Decade, p.Songs, p.Inputs)).ToList());

    private static IResult DescribeModel(CurrentModel current)
    {
        if (current.Serving is not { } snapshot)
        {
            return NoModel();
        }

        var validation = snapshot.Metrics?.Validation;
        var metrics = validation is null ? null : new
        {
            auc = validation.Auc,
            prAuc = validation.PrAuc,
            accuracy = validation.Accuracy,
            f1 = validation.F1,
            logLoss = validation.LogLoss,
            brier = validation.Brier,
            confusion = validation.Confusion,
            crossValidatedAuc = snapshot.Metrics?.CrossValidation?.AucMean,
            // "artist": every figure above is on songs by artists the model has not seen ("song" for older models).
            validationGrouping = snapshot.Metrics?.ValidationGrouping ?? "song",
            songGroupedAuc = snapshot.Metrics?.SongGroupedValidation?.Auc,
            artistGap = snapshot.Metrics?.ArtistGap?.AucGap,
        };
        return Results.Ok(new ModelResponse(snapshot.Version, snapshot.Card?.TrainedAt, snapshot.Card?.DatasetId, snapshot.Source, snapshot.LoadedAt, metrics));
    }

    private static IResult TooManySongs(HttpContext context, string retryAfter)
    {
        context.Response.Headers.RetryAfter = retryAfter;
        return Results.Problem("Too many songs from this client; retry after the time in Retry-After.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many songs");
    }

    private static IResult NoModel() =>
        Results.Problem("No model is loaded yet; the site answers as soon as one is trained.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model");

    private static IResult NoReference(string version) =>
        Results.Problem(
            $"The serving model {version} was trained before models carried their training reference, so it cannot explain, draw curves or search songs; retrain it.",
            statusCode: StatusCodes.Status409Conflict, title: "Model without training reference");
}
