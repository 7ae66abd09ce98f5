using System.Globalization;
using ChartBuster.Model;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;

namespace ChartBuster.Web.Insights;

/// <summary>What the number means: the label, how common hits were in training, and where this song ranks in its decade.</summary>
/// <param name="AmongHits">Share of the decade's held-out charting songs that score lower (null: no rank for this decade).</param>
public sealed record SongMeaning(double? BaseRate, int? TrainingSongs, int Decade, double? AmongHits, double? AmongMisses, int HeldOutHits, int HeldOutMisses)
{
    public const string Hit = TrainingReference.HitMeaning;
}

/// <summary>The reference an explanation is measured against, in words.</summary>
public sealed record ReferenceSong(string Description, SongNumbers Song);

/// <summary>Everything the page shows for one song, from one model snapshot.</summary>
public sealed record SongInsight(
    HitPrediction Prediction,
    SongMeaning Meaning,
    ReferenceSong? Reference,
    SongExplanation? Explanation,
    IReadOnlyList<NearSong> ClosestHits,
    WhatIfView? WhatIf,
    IReadOnlyList<string> OutOfRange);

/// <summary>
/// Answers for one song with everything around the number: its meaning and rank, the explanation against the typical
/// song of its decade, the closest real hits, and the what-if curves with the decade time machine. All of it comes
/// from the model snapshot passed in (its training reference, or for a model without one its card).
/// </summary>
public static class SongInsights
{
    public const int ClosestCount = 3;

    public static SongMeaning Meaning(ServedModel model, double probability, int decade)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Reference?.Training is not { } training)
        {
            var rows = model.Card?.Rows;
            return new SongMeaning(rows is { Total: > 0 } ? (double)rows.Hits / rows.Total : null, rows?.Total, decade, null, null, 0, 0);
        }

        var era = training.Decade(decade);
        return new SongMeaning(training.BaseRate, training.Songs, decade,
            era?.ShareOfHitsBelow(probability), era?.ShareOfMissesBelow(probability), era?.HeldOutHits ?? 0, era?.HeldOutMisses ?? 0);
    }

    /// <summary>The typical song of the decade (of all training songs when the decade is not in the training data).</summary>
    public static ReferenceSong? ReferenceFor(ServedModel model, int decade)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Reference?.Training is not { } training)
        {
            return null;
        }

        var era = training.Decade(decade);
        var typical = era?.Typical ?? training.Typical;
        var song = default(SongNumbers);
        foreach (var column in SongFeatures.RawColumns)
        {
            song[column] = typical[SongSchema.NameOf(column)];
        }

        song[SongColumn.Decade] = decade;
        var description = era is null || decade == Decades.Unknown
            ? $"the typical song of the training data (the median of each input over its {training.Songs:N0} songs)"
            : string.Create(CultureInfo.InvariantCulture, $"the typical {decade}s song of the training data (the median of each input over its {era.Songs:N0} {decade}s songs)");
        return new ReferenceSong(description, song);
    }

    public static SongInsight Explain(ServedModel model, in SongNumbers song, bool withCurves)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decade = (int)song[SongColumn.Decade];
        var reference = ReferenceFor(model, decade);
        var explanation = reference is null ? null : ShapleyExplanation.Explain(model.Model, song, reference.Song);
        var probability = explanation?.Probability ?? model.Model.Predict(SongModelInput.FromSong(song));
        var prediction = HitPrediction.Of(probability, model.Version);
        var closest = model.Reference?.Songs.ClosestHits(song, decade, ClosestCount) ?? [];
        var whatIf = withCurves && model.Reference is { } r ? WhatIfCurves.Compute(model.Model, song, r.Training) : null;
        return new SongInsight(prediction, Meaning(model, probability, decade), reference, explanation, closest, whatIf, OutsideTraining(model, song));
    }

    /// <summary>Inputs outside what the model saw in training: there its answer is an extrapolation.</summary>
    public static List<string> OutsideTraining(ServedModel model, in SongNumbers song)
    {
        ArgumentNullException.ThrowIfNull(model);
        var notes = new List<string>();
        var ranges = model.Reference?.Training.Inputs.ToDictionary(p => p.Key, p => (p.Value.Min, p.Value.Max))
            ?? model.Card?.FeatureRanges?.ToDictionary(p => p.Key, p => (p.Value.Min, p.Value.Max));
        if (ranges is null)
        {
            return notes;
        }

        foreach (var field in SongFields.All)
        {
            var value = song[field.Column];
            if (ranges.TryGetValue(SongSchema.NameOf(field.Column), out var range) && (value < range.Min || value > range.Max))
            {
                var bound = value < range.Min
                    ? $"below anything the model saw in training (min {SongFields.Display(field.Column, range.Min)})"
                    : $"above anything the model saw in training (max {SongFields.Display(field.Column, range.Max)})";
                notes.Add($"{field.Label} {SongFields.Display(field.Column, value)} is {bound}");
            }
        }

        return notes;
    }
}
