using ChartBuster.Model.Reference;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

public sealed class TrainingReferenceTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    private TrainingReference Training => fixture.Reference.Training;

    private static double Raw(TrainingRow row, SongColumn column) =>
        SongIndex.Exact(row.Input.Numeric[SongFeatures.RawColumns.ToList().IndexOf(column)]);

    [Fact]
    public void Counts_the_songs_and_hits_of_each_decade()
    {
        Assert.Equal(fixture.Rows.Count, Training.Songs);
        Assert.Equal(fixture.Rows.Count(r => r.Label), Training.Hits);
        Assert.Equal([2000, 2010], Training.Decades.Select(d => d.Decade));
        var tens = Training.Decade(2010)!;
        Assert.Equal(fixture.Rows.Count(r => r.Input.Decade == "2010"), tens.Songs);
        Assert.Equal(fixture.Rows.Count(r => r.Input.Decade == "2010" && r.Label), tens.Hits);
        Assert.Equal(fixture.Trained.ValidationRows.Count(r => r.Input.Decade == "2010" && r.Label), tens.HeldOutHits);
    }

    [Fact]
    public void Ranks_a_probability_among_the_held_out_songs_of_its_decade()
    {
        var tens = Training.Decade(2010)!;
        var heldOut = ModelTrainer.Predict(fixture.Model.Ml, fixture.Model.Transformer,
            fixture.Trained.ValidationRows.Where(r => r.Input.Decade == "2010" && r.Label).Select(r => r.Input)).Order().ToArray();

        Assert.Equal(101, tens.HitPercentiles.Count);
        Assert.True(tens.HitPercentiles.Zip(tens.HitPercentiles.Skip(1)).All(p => p.First <= p.Second));
        Assert.Equal(0, tens.ShareOfHitsBelow(0));
        Assert.Equal(1, tens.ShareOfHitsBelow(1.0001));
        var median = heldOut[heldOut.Length / 2];
        Assert.InRange(tens.ShareOfHitsBelow(median)!.Value, 0.45, 0.55);
        var below = heldOut.Count(p => p < heldOut[heldOut.Length * 3 / 4]) / (double)heldOut.Length;
        Assert.InRange(tens.ShareOfHitsBelow(heldOut[heldOut.Length * 3 / 4])!.Value, below - 0.03, below + 0.03);
    }

    [Fact]
    public void Ranks_against_songs_by_artists_the_model_never_trained_on()
    {
        var heldOut = fixture.Trained.ValidationRows;
        var trainedOn = fixture.Rows.Except(heldOut).Select(r => ArtistName.Normalise(r.Artist)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("artist", fixture.Trained.Metrics.ValidationGrouping);
        Assert.Equal(heldOut.Count, Training.Decades.Sum(d => d.HeldOutHits + d.HeldOutMisses));
        Assert.DoesNotContain(heldOut, r => trainedOn.Contains(ArtistName.Normalise(r.Artist)));
    }

    [Fact]
    public void The_typical_song_of_a_decade_is_the_median_of_each_input_and_the_commonest_key()
    {
        var songs = fixture.Rows.Where(r => r.Input.Decade == "2000").ToList();
        var energy = songs.Select(r => Raw(r, SongColumn.Energy)).Order().ToArray();
        var key = songs.GroupBy(r => Raw(r, SongColumn.Key)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

        var typical = fixture.Typical(2000);

        Assert.Equal(Math.Round(Percentiles.At(energy, 0.5), 4), typical[SongColumn.Energy]);
        Assert.Equal(key, typical[SongColumn.Key]);
        Assert.True(typical[SongColumn.ChorusHit] <= typical[SongColumn.DurationMs] / 1000);
    }

    [Fact]
    public void Presets_are_medians_of_the_real_charting_songs_their_rule_selects()
    {
        var dance = Training.Presets.Single(p => p.Id == "dance-2010");
        var matching = fixture.Rows.Where(r => r.Label && r.Input.Decade == "2010"
            && Raw(r, SongColumn.Danceability) >= 0.7 && Raw(r, SongColumn.Energy) >= 0.7).ToList();

        Assert.Equal(matching.Count, dance.Songs);
        Assert.Contains($"{matching.Count:N0} charting 2010s songs", dance.Description, StringComparison.Ordinal);
        Assert.Contains("danceability ≥ 0.7 and energy ≥ 0.7", dance.Description, StringComparison.Ordinal);
        Assert.Equal(Math.Round(Percentiles.At([.. matching.Select(r => Raw(r, SongColumn.Valence)).Order()], 0.5), 4), dance.Inputs["valence"]);
        Assert.Contains(Training.Presets, p => p.Id == "hit-2000" && p.Label == "Typical 2000s hit");
        Assert.All(Training.Presets, p => Assert.Empty(SongValidation.Validate(p.Inputs.ToDictionary(i => SongSchema.TryGetColumn(i.Key, out var c) ? c : default, i => (double?)i.Value), p.Decade, out _)));
    }

    [Fact]
    public void The_imputation_estimates_sections_better_than_one_median_for_all_songs()
    {
        var heldOut = fixture.Trained.ValidationRows;
        var median = Percentiles.At([.. fixture.Rows.Select(r => Raw(r, SongColumn.Sections)).Order()], 0.5);
        double imputedError = 0, medianError = 0;
        foreach (var row in heldOut)
        {
            var values = new Dictionary<SongColumn, double?> { [SongColumn.DurationMs] = Raw(row, SongColumn.DurationMs) };
            Training.Imputation.Fill(values);
            imputedError += Math.Abs(values[SongColumn.Sections]!.Value - Raw(row, SongColumn.Sections));
            medianError += Math.Abs(median - Raw(row, SongColumn.Sections));
        }

        Assert.True(imputedError < medianError * 0.7, $"mean error {imputedError / heldOut.Count:F2} against {medianError / heldOut.Count:F2} for the median");
    }

    [Fact]
    public void Travels_inside_model_zip_and_a_model_without_it_still_serves()
    {
        var reloaded = ServingModel.Load(new MemoryStream(fixture.Zip), "again");
        var bare = ServingModel.Load(new MemoryStream(ModelFiles.ModelBytes(fixture.Trained)), "bare");

        Assert.Equal(Training.Songs, reloaded.Reference!.Training.Songs);
        Assert.Equal(fixture.Reference.Songs.Count, reloaded.Reference.Songs.Count);
        Assert.Null(bare.Reference);
        Assert.Equal(bare.Predict(ServingModel.SmokeSong()), reloaded.Predict(ServingModel.SmokeSong()));
    }

    [Fact]
    public void A_model_zip_with_a_broken_reference_is_refused()
    {
        using var buffer = new MemoryStream();
        buffer.Write(fixture.Zip);
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(ModelReference.TrainingEntry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(ModelReference.TrainingEntry).Open());
            writer.Write("{ not json");
        }

        var refused = Assert.Throws<UnusableModelException>(() => ServingModel.Load(new MemoryStream(buffer.ToArray()), "broken"));
        Assert.Contains("broken", refused.Message, StringComparison.Ordinal);
    }
}
