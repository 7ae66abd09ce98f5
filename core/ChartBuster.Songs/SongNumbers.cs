using System.Runtime.CompilerServices;

namespace ChartBuster.Songs;

/// <summary>
/// The numeric values of one song, indexed by <see cref="SongColumn"/> (text columns stay NaN).
/// An inline array, so a row costs no allocation on the cleaning hot path.
/// </summary>
[InlineArray(SongSchema.ColumnCount)]
public struct SongNumbers
{
    private double _element0;

    public double this[SongColumn column]
    {
        readonly get => this[(int)column];
        set => this[(int)column] = value;
    }
}
