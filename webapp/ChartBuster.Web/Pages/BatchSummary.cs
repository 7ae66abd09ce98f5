using System.Globalization;
using System.Text;
using ChartBuster.Model;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Web.Pages;

/// <summary>One scored song of a batch, as the summary's table shows it.</summary>
public sealed record ScoredSong(int Line, string Track, string Artist, string Decade, double Probability);

/// <summary>What a scored batch holds: rows scored and rejected (by reason), and the top-scored songs.</summary>
public sealed record BatchSummary(long RowsRead, long RowsScored, long RowsRejected, IReadOnlyList<KeyValuePair<string, long>> RejectedByReason, IReadOnlyList<ScoredSong> Top)
{
    public const int TopCount = 25;

    /// <summary>Reads the scorer's summary and its output (the input rows plus hit_probability and reject_reason).</summary>
    public static BatchSummary Of(ScoringSummary summary, byte[] scoredCsv)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var csv = new CsvRecordReader(new MemoryStream(scoredCsv));
        var top = new List<ScoredSong>();
        if (csv.Read())
        {
            var header = Enumerable.Range(0, csv.FieldCount).Select(i => Encoding.UTF8.GetString(csv[i]).Trim().ToLowerInvariant()).ToList();
            int Ordinal(string name) => header.IndexOf(name);
            var (track, artist, decade, probability, reason) = (Ordinal("track"), Ordinal("artist"), Ordinal("decade"), Ordinal("hit_probability"), Ordinal("reject_reason"));
            var line = 1;
            while (csv.Read())
            {
                line++;
                if (probability < 0 || csv.FieldCount != header.Count || (reason >= 0 && csv[reason].Length > 0)
                    || !double.TryParse(Encoding.UTF8.GetString(csv[probability]), NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
                {
                    continue;
                }

                top.Add(new ScoredSong(line, Text(csv, track), Text(csv, artist), Text(csv, decade), p));
                if (top.Count > TopCount * 4)
                {
                    top = [.. top.OrderByDescending(s => s.Probability).Take(TopCount)];
                }
            }
        }

        return new BatchSummary(
            summary.RowsRead, summary.RowsScored, summary.RowsRejected,
            [.. summary.RejectedByReason.OrderByDescending(r => r.Value)],
            [.. top.OrderByDescending(s => s.Probability).ThenBy(s => s.Line).Take(TopCount)]);
    }

    private static string Text(CsvRecordReader csv, int ordinal)
    {
        var text = ordinal < 0 ? "" : Encoding.UTF8.GetString(csv[ordinal]).Trim();
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
