using System.Globalization;
using System.Text;
using System.Text.Json;
using ChartBuster.Model.Reference;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Model.Tests;

/// <summary>The fast reference (columns, one sort per median, conversions cached) against its plain row-by-row definition on the real pool.</summary>
public sealed class ReferenceBuilderTests
{
    private static readonly Lazy<List<TrainingRow>> s_pool = new(() =>
        [.. RepositoryPaths.DecadeFiles().SelectMany(file => ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(file)), file))]);

    [Fact]
    public void The_summary_of_the_real_pool_is_byte_for_byte_the_row_by_row_definition()
    {
        var rows = s_pool.Value;
        var heldOut = rows.Where((_, i) => i % 5 == 0).ToList();
        var probabilities = heldOut.Select((_, i) => ((i * 7919) % 1000) / 1000.0).ToList();

        var fast = ModelReference.Build(rows, heldOut, probabilities).Training;
        var plain = ReferenceOracle.Build(rows, [.. rows.Select(r => SongIndex.ExactInputs(r.Input))], heldOut, probabilities);

        Assert.Equal(Json(plain), Json(fast));
        Assert.Equal(6, fast.Decades.Count);
        Assert.Contains(fast.Presets, p => p.Id.StartsWith("dance-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_song_index_of_the_real_pool_is_written_as_each_value_formatted_on_its_own()
    {
        var rows = s_pool.Value;
        var index = ModelReference.Build(rows, [], []).Songs;

        var written = new MemoryStream();
        index.Write(written);

        Assert.Equal(PlainCsv(index), written.ToArray());
    }

    [Fact]
    public void Converts_every_input_of_every_row_as_the_one_row_conversion_does_including_negative_zero()
    {
        var rows = s_pool.Value.Take(2_000).ToList();
        var signed = rows[0] with { Input = rows[0].Input.Clone() };
        signed.Input.Numeric[SongFeatures.RawColumns.ToList().IndexOf(SongColumn.Loudness)] = -0f;
        rows.Add(signed);

        var all = SongIndex.ExactInputs(rows);

        Assert.Equal(rows.Select(r => SongIndex.ExactInputs(r.Input)), all);
        Assert.True(double.IsNegative(all[^1][SongFeatures.RawColumns.ToList().IndexOf(SongColumn.Loudness)]));
    }

    [Fact]
    public void The_commonest_key_of_equally_common_keys_is_the_smallest()
    {
        var slot = SongFeatures.RawColumns.ToList().IndexOf(SongColumn.Key);
        var rows = s_pool.Value.Take(40).Select((r, i) => r with { Input = r.Input.Clone() }).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Input.Numeric[slot] = i % 2 == 0 ? 7 : 2;
        }

        var reference = ModelReference.Build(rows, [], []).Training;

        Assert.Equal(2, reference.Typical[SongSchema.NameOf(SongColumn.Key)]);
        Assert.Equal(Json(ReferenceOracle.Build(rows, [.. rows.Select(r => SongIndex.ExactInputs(r.Input))], [], [])), Json(reference));
    }

    private static string Json(TrainingReference reference) => JsonSerializer.Serialize(reference, ReferenceJsonContext.Default.TrainingReference);

    /// <summary>The song index's CSV as it was written before formatted values were reused: every value through ToString("R").</summary>
    private static byte[] PlainCsv(SongIndex index)
    {
        var output = new MemoryStream();
        using (var csv = new CsvRecordWriter(output))
        {
            csv.WriteRecord(["id", "title", "artist", "decade", "charted", .. SongFeatures.RawColumns.Select(SongSchema.NameOf)]);
            foreach (var song in index.Songs)
            {
                csv.WriteField(song.Id);
                csv.WriteField(song.Title);
                csv.WriteField(song.Artist);
                csv.WriteInteger(song.Decade);
                csv.WriteInteger(song.Charted ? 1 : 0);
                foreach (var value in song.Inputs)
                {
                    csv.WriteField(Encoding.UTF8.GetBytes(value.ToString("R", CultureInfo.InvariantCulture)));
                }

                csv.EndRecord();
            }
        }

        return output.ToArray();
    }
}
