using System.Text.Json.Serialization;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using ChartBuster.Web.Insights;

namespace ChartBuster.Web.Api;

public sealed record PredictionResponse(
    double HitProbability,
    bool PredictedHit,
    string ModelVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Imputed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplanationResponse? Explanation = null);

/// <summary>What a hit is, how common hits were in training, and this song's rank among real songs of its decade.</summary>
/// <param name="BaseRate">Share of training songs that charted (the data's balance, not real-world odds).</param>
/// <param name="AmongHits">Share of the decade's held-out charting songs that score lower than this song.</param>
public sealed record MeaningResponse(string Hit, double? BaseRate, int? Decade, double? AmongHits, double? AmongMisses, int HeldOutHits, int HeldOutMisses);

/// <summary>One input's effect in probability points (0.05 = 5 points), against the reference's value of it.</summary>
public sealed record EffectResponse(string Input, string Label, double Value, double ReferenceValue, double Effect, double StandardError);

public sealed record ReferenceResponse(string Description, double HitProbability, IReadOnlyDictionary<string, double> Inputs);

public sealed record NearSongResponse(string Id, string Title, string Artist, int Decade, double Distance);

/// <summary>
/// Why the song scores what it does: Shapley values of its inputs against a reference song; the effects add up to
/// hitProbability − reference.hitProbability (<see cref="Gap"/>).
/// </summary>
public sealed record ExplanationResponse(
    MeaningResponse Meaning,
    ReferenceResponse Reference,
    IReadOnlyList<EffectResponse> Effects,
    double Gap,
    string Method,
    int Predictions,
    IReadOnlyList<NearSongResponse> ClosestHits,
    IReadOnlyList<string> OutOfRange);

public sealed record CurvePointResponse(double Value, double HitProbability);

public sealed record CurveResponse(string Input, string Label, IReadOnlyList<CurvePointResponse> Points);

public sealed record DecadeScoreResponse(int Decade, double HitProbability);

/// <summary>How the song's probability changes across each input's range, and the same song in every decade the model knows.</summary>
public sealed record CurvesResponse(double HitProbability, string ModelVersion, IReadOnlyList<CurveResponse> Curves, IReadOnlyList<DecadeScoreResponse> Decades, int Predictions);

public sealed record SongResponse(string Id, string Title, string Artist, int Decade, bool Charted, IReadOnlyDictionary<string, double>? Inputs);

public sealed record PresetResponse(string Id, string Label, string Description, int Decade, int Songs, IReadOnlyDictionary<string, double> Inputs);

/// <summary>Maps the insight types to the API's JSON.</summary>
public static class InsightJson
{
    public static ExplanationResponse Explanation(SongInsight insight)
    {
        ArgumentNullException.ThrowIfNull(insight);
        var e = insight.Explanation!;
        var m = insight.Meaning;
        return new ExplanationResponse(
            new MeaningResponse(SongMeaning.Hit, Round(m.BaseRate), m.Decade == Decades.Unknown ? null : m.Decade, Round(m.AmongHits), Round(m.AmongMisses), m.HeldOutHits, m.HeldOutMisses),
            new ReferenceResponse(insight.Reference!.Description, Math.Round(e.ReferenceProbability, 6), Inputs(insight.Reference.Song)),
            [.. e.Effects.OrderByDescending(x => Math.Abs(x.Effect)).Select(x => new EffectResponse(
                SongSchema.NameOf(x.Column), SongFields.LabelOf(x.Column), x.Value, x.ReferenceValue, Math.Round(x.Effect, 9), Math.Round(x.StandardError, 9)))],
            Math.Round(e.Gap, 9),
            Method(e),
            e.Predictions,
            [.. insight.ClosestHits.Select(Near)],
            insight.OutOfRange);
    }

    public static string Method(SongExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return explanation.Exact
            ? "exact Shapley values (every combination of the inputs that differ from the reference was scored)"
            : $"Shapley values estimated from {explanation.Permutations} random orders of the inputs; the effects add up to the gap exactly, each has a standard error";
    }

    public static CurvesResponse Curves(WhatIfView view, string version)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new CurvesResponse(
            Math.Round(view.Probability, 6), version,
            [.. view.Curves.Select(c => new CurveResponse(SongSchema.NameOf(c.Column), SongFields.LabelOf(c.Column),
                [.. c.Points.Select(p => new CurvePointResponse(p.Value, Math.Round(p.Probability, 6)))]))],
            [.. view.Decades.Select(d => new DecadeScoreResponse(d.Decade, Math.Round(d.Probability, 6)))],
            view.Predictions);
    }

    public static NearSongResponse Near(NearSong near)
    {
        ArgumentNullException.ThrowIfNull(near);
        return new NearSongResponse(near.Song.Id, near.Song.Title, near.Song.Artist, near.Song.Decade, Math.Round(near.Distance, 3));
    }

    public static SongResponse Song(IndexedSong song, bool withInputs)
    {
        ArgumentNullException.ThrowIfNull(song);
        return new SongResponse(song.Id, song.Title, song.Artist, song.Decade, song.Charted, withInputs ? Inputs(song.ToSong()) : null);
    }

    public static IReadOnlyDictionary<string, double> Inputs(in SongNumbers song)
    {
        var inputs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var column in SongFeatures.RawColumns)
        {
            inputs[SongSchema.NameOf(column)] = song[column];
        }

        return inputs;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;
}
