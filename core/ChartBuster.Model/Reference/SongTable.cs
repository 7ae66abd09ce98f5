using ChartBuster.Songs;

namespace ChartBuster.Model.Reference;

/// <summary>The training rows as columns for the reference's statistics: each raw input, the decade and the label.</summary>
internal sealed class SongTable
{
    private static readonly int[] s_slots = Slots();
    private readonly double[][] _columns;

    /// <param name="inputs">Each row's raw inputs as decimals, in <see cref="SongFeatures.RawColumns"/> order.</param>
    public SongTable(IReadOnlyList<TrainingRow> rows, IReadOnlyList<double[]> inputs)
    {
        Count = rows.Count;
        _columns = [.. SongFeatures.RawColumns.Select(_ => new double[rows.Count])];
        Decades = new int[rows.Count];
        Labels = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var values = inputs[i];
            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c][i] = values[c];
            }

            Decades[i] = ReferenceBuilder.DecadeOf(rows[i].Input);
            Labels[i] = rows[i].Label;
        }
    }

    public int Count { get; }

    public int[] Decades { get; }

    public bool[] Labels { get; }

    /// <summary>One raw input of every row, in row order.</summary>
    public double[] this[SongColumn column] => _columns[s_slots[(int)column]];

    /// <summary>Some rows grouped by decade, the decades in ascending order, each group's rows in their order.</summary>
    public IEnumerable<(int Decade, int[] Rows)> ByDecade(int[] rows) =>
        rows.GroupBy(i => Decades[i]).OrderBy(g => g.Key).Select(g => (g.Key, g.ToArray()));

    private static int[] Slots()
    {
        var slots = Enumerable.Repeat(-1, Enum.GetValues<SongColumn>().Length).ToArray();
        for (var i = 0; i < SongFeatures.RawColumns.Count; i++)
        {
            slots[(int)SongFeatures.RawColumns[i]] = i;
        }

        return slots;
    }
}
