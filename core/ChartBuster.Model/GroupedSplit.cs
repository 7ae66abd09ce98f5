using System.IO.Hashing;
using System.Text;

namespace ChartBuster.Model;

/// <summary>What keeps rows together on one side of a split.</summary>
public enum SplitGrouping
{
    /// <summary>Every song of an artist (normalised name, <see cref="ArtistName"/>) in one fold: figures describe artists the model has not seen.</summary>
    Artist,

    /// <summary>Every row of a song (uri) in one fold, artists free to sit on both sides: for comparison only.</summary>
    Song,
}

/// <summary>
/// Splits rows into folds, keeping groups whole and stratifying by label. Artist groups also join through
/// shared songs (a uri credited to two spellings of an artist keeps both in one group), so every row of a
/// song lands in the same fold in either grouping. Each group goes, in a seeded random order, to the fold
/// that holds the fewest rows of its label so far: folds get their share of hits and non-hits even though
/// artists differ in size. Deterministic for a given seed.
/// </summary>
public static class GroupedSplit
{
    /// <summary>The fold (0..folds-1) of each row.</summary>
    public static int[] AssignFolds(IReadOnlyList<TrainingRow> rows, int folds, int seed, SplitGrouping grouping = SplitGrouping.Artist)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var groupOf = GroupsOf(rows, grouping);
        var groups = Enumerable.Range(0, rows.Count)
            .GroupBy(i => groupOf[i])
            .Select(g => (Key: rows[g.Key].Uri, Rows: g.ToArray(), Hit: g.Count(i => rows[i].Label) * 2 >= g.Count()))
            .ToList();
        var fold = new int[rows.Count];
        foreach (var stratum in groups.GroupBy(g => g.Hit))
        {
            var filled = new int[folds];
            foreach (var group in stratum.OrderBy(g => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(g.Key), seed)).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                var target = Array.IndexOf(filled, filled.Min());
                foreach (var index in group.Rows)
                {
                    fold[index] = target;
                }

                filled[target] += group.Rows.Length;
            }
        }

        return fold;
    }

    /// <summary>
    /// Whether whole artists can be held out: an artist-grouped split into <paramref name="folds"/> parts gives
    /// every part between half and twice its share of rows, and hits and non-hits in each. Not so when a dataset
    /// has a handful of artists, or one artist holds most of the songs.
    /// </summary>
    public static bool CanHoldOutArtists(IReadOnlyList<TrainingRow> rows, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return IsBalanced(rows, AssignFolds(rows, folds, seed, SplitGrouping.Artist), folds);
    }

    /// <summary>Whether an assignment into <paramref name="folds"/> parts gives every part between half and twice its share
    /// of rows, and hits and non-hits in each (<see cref="CanHoldOutArtists"/> for an artist-grouped one).</summary>
    public static bool IsBalanced(IReadOnlyList<TrainingRow> rows, int[] assigned, int folds)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(assigned);
        var share = rows.Count / (double)folds;
        return Enumerable.Range(0, folds).All(fold =>
        {
            var members = Enumerable.Range(0, rows.Count).Where(i => assigned[i] == fold).ToList();
            return members.Count >= share / 2 && members.Count <= share * 2 && members.Any(i => rows[i].Label) && members.Any(i => !rows[i].Label);
        });
    }

    /// <summary>Holds out about 1/<paramref name="folds"/> of the rows (whole groups) for validation.</summary>
    public static (List<TrainingRow> Train, List<TrainingRow> Validation) Holdout(
        IReadOnlyList<TrainingRow> rows, int folds, int seed, SplitGrouping grouping = SplitGrouping.Artist) =>
        Holdout(rows, AssignFolds(rows, folds, seed, grouping));

    /// <summary>Fold 0 of an assignment (<see cref="AssignFolds"/>) held out for validation, the rest for training.</summary>
    public static (List<TrainingRow> Train, List<TrainingRow> Validation) Holdout(IReadOnlyList<TrainingRow> rows, int[] assigned)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(assigned);
        var train = new List<TrainingRow>();
        var validation = new List<TrainingRow>();
        for (var i = 0; i < rows.Count; i++)
        {
            (assigned[i] == 0 ? validation : train).Add(rows[i]);
        }

        return (train, validation);
    }

    /// <summary>
    /// For each row, the index of the first row of its group (a union-find over songs and, for artist
    /// grouping, normalised artist names). A row with a blank artist is grouped by its song alone.
    /// </summary>
    public static int[] GroupsOf(IReadOnlyList<TrainingRow> rows, SplitGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            Join(parent, firstByKey, "uri:" + rows[i].Uri, i);
            if (grouping == SplitGrouping.Artist && rows[i].ArtistKey is { Length: > 0 } artist)
            {
                Join(parent, firstByKey, "artist:" + artist, i);
            }
        }

        return [.. Enumerable.Range(0, rows.Count).Select(i => Root(parent, i))];
    }

    private static void Join(int[] parent, Dictionary<string, int> firstByKey, string key, int row)
    {
        if (!firstByKey.TryAdd(key, row))
        {
            var (a, b) = (Root(parent, firstByKey[key]), Root(parent, row));
            parent[Math.Max(a, b)] = Math.Min(a, b);
        }
    }

    private static int Root(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
