using System.Text.Json;
using ChartBuster.Model.Serving;
using ChartBuster.Web.Following;

namespace ChartBuster.Web.Api;

public sealed record PredictionResponse(double HitProbability, bool PredictedHit, string ModelVersion);

public sealed record ModelResponse(
    string ModelVersion,
    DateTimeOffset? TrainedAt,
    string? DatasetId,
    string Source,
    DateTimeOffset LoadedAt,
    object? Metrics);

/// <summary>The JSON API: predictions, the serving model, health.</summary>
public static class PredictionsApi
{
    public static IEndpointRouteBuilder MapChartBusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireRateLimiting(WebServices.ApiRateLimit).DisableAntiforgery();
        api.MapPost("/predictions", Predict)
            .WithSummary("Predicts whether songs will chart")
            .WithDescription("One song as a JSON object, or several as an array, with the data contract's raw feature names.")
            .Produces<PredictionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/model", DescribeModel).Produces<ModelResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", (HitPredictor predictor) => predictor.Current is { } model
            ? Results.Ok(new { status = "ready", modelVersion = model.Version })
            : Results.Json(new { status = "no model loaded" }, statusCode: StatusCodes.Status503ServiceUnavailable)).ExcludeFromDescription();
        return app;
    }

    private static IResult Predict(JsonElement body, HitPredictor predictor)
    {
        var parsed = SongJson.Read(body);
        if (parsed.Errors.Count > 0)
        {
            return Results.ValidationProblem(parsed.Errors, title: "Some song fields are invalid.");
        }

        if (!predictor.IsReady)
        {
            return NoModel();
        }

        var answers = predictor.PredictMany(parsed.Songs)
            .Select(a => new PredictionResponse(Math.Round(a.HitProbability, 6), a.PredictedHit, a.ModelVersion))
            .ToList();
        return parsed.IsArray ? Results.Ok(answers) : Results.Ok(answers[0]);
    }

    private static IResult DescribeModel(HitPredictor predictor, ServingModelInfo info)
    {
        if (predictor.Current is not { } model || info.Current is not { } snapshot || snapshot.ModelVersion != model.Version)
        {
            return predictor.Current is null ? NoModel() : Results.Ok(new ModelResponse(predictor.Current.Version, null, null, "unknown", DateTimeOffset.MinValue, null));
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
        };
        return Results.Ok(new ModelResponse(model.Version, snapshot.Card?.TrainedAt, snapshot.Card?.DatasetId, snapshot.Source, snapshot.LoadedAt, metrics));
    }

    private static IResult NoModel() =>
        Results.Problem("No model is loaded yet; the site answers as soon as one is trained.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model");
}
