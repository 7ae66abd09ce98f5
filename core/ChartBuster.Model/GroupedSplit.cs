using System.IO.Hashing;
using System.Text;

namespace ChartBuster.Model;

/// <summary>
/// Splits rows into folds stratified by label and keyed on uri: every row of a song lands in the same
/// fold (a song in two decades never sits on both sides), and each fold gets its share of hits and
/// non-hits. Deterministic for a given seed.
/// </summary>
public static class GroupedSplit
{
    /// <summary>The fold (0..folds-1) of each row.</summary>
    public static int[] AssignFolds(IReadOnlyList<TrainingRow> rows, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var songs = rows
            .Select((row, index) => (row, index))
            .GroupBy(r => r.row.Uri, StringComparer.Ordinal)
            .Select(g => (Uri: g.Key, Label: g.First().row.Label, Rows: g.Select(r => r.index).ToArray()))
            .ToList();
        var fold = new int[rows.Count];
        foreach (var stratum in songs.GroupBy(s => s.Label))
        {
            var position = 0;
            foreach (var song in stratum.OrderBy(s => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(s.Uri), seed)))
            {
                foreach (var index in song.Rows)
                {
                    fold[index] = position % folds;
                }

                position++;
            }
        }

        return fold;
    }

    /// <summary>Holds out about 1/<paramref name="folds"/> of the songs for validation.</summary>
    public static (List<TrainingRow> Train, List<TrainingRow> Validation) Holdout(IReadOnlyList<TrainingRow> rows, int folds, int seed)
    {
        var assigned = AssignFolds(rows, folds, seed);
        var train = new List<TrainingRow>();
        var validation = new List<TrainingRow>();
        for (var i = 0; i < rows.Count; i++)
        {
            (assigned[i] == 0 ? validation : train).Add(rows[i]);
        }

        return (train, validation);
    }
}
