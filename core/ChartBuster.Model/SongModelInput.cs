using System.Globalization;
using ChartBuster.Songs;
using Microsoft.ML.Data;

namespace ChartBuster.Model;

/// <summary>
/// What the model reads for one song: the raw audio features and the engineered ones as one numeric
/// vector, and the categorical inputs as text (one-hot encoded inside the pipeline). Training and serving
/// both build it with <see cref="FromSong"/>, through <see cref="SongFeatures.Compute"/>.
/// </summary>
public sealed class SongModelInput
{
    public static readonly int NumericCount = SongFeatures.RawColumns.Count + SongFeatures.EngineeredCount;

    /// <summary>The raw columns as an array: enumerating it allocates nothing (batch scoring fills millions of rows).</summary>
    private static readonly SongColumn[] s_rawColumns = [.. SongFeatures.RawColumns];

    /// <summary>Names of the slots of <see cref="Numeric"/>, in order.</summary>
    public static readonly IReadOnlyList<string> NumericNames =
        [.. SongFeatures.RawColumns.Select(SongSchema.NameOf), .. SongFeatures.EngineeredNames];

    /// <summary>The slot of a named numeric input in <see cref="Numeric"/>.</summary>
    public static int NumericSlot(string name)
    {
        var slot = NumericNames.ToList().IndexOf(name);
        return slot >= 0 ? slot : throw new ArgumentException($"'{name}' is not a numeric input of the model.", nameof(name));
    }

    /// <summary>The categorical inputs, encoded one-hot by the pipeline.</summary>
    public static readonly IReadOnlyList<string> CategoricalNames = ["key", "mode", "time_signature", "decade"];

    [VectorType(27)]
    public float[] Numeric { get; set; } = new float[NumericCount];

    public string Key { get; set; } = "";

    public string Mode { get; set; } = "";

    public string TimeSignature { get; set; } = "";

    /// <summary>The decade as its first year ("1990"), or "unknown".</summary>
    public string Decade { get; set; } = "unknown";

    /// <summary>True when the song charted (training only).</summary>
    public bool Label { get; set; }

    public static SongModelInput FromSong(in SongNumbers song)
    {
        var input = new SongModelInput();
        WriteNumeric(song, input.Numeric);
        input.Key = Category(song[SongColumn.Key]);
        input.Mode = Category(song[SongColumn.Mode]);
        input.TimeSignature = Category(song[SongColumn.TimeSignature]);
        var decade = (int)song[SongColumn.Decade];
        input.Decade = decade == Decades.Unknown ? "unknown" : decade.ToString(CultureInfo.InvariantCulture);
        input.Label = song[SongColumn.Target] == 1;
        return input;
    }

    /// <summary>The <see cref="Numeric"/> vector of a song, written into <paramref name="destination"/> (no allocation: batch scoring).</summary>
    public static void WriteNumeric(in SongNumbers song, Span<float> destination)
    {
        if (destination.Length < NumericCount)
        {
            throw new ArgumentException($"Needs room for {NumericCount} values.", nameof(destination));
        }

        var i = 0;
        foreach (var column in s_rawColumns)
        {
            destination[i++] = (float)song[column];
        }

        Span<double> engineered = stackalloc double[SongFeatures.EngineeredCount];
        SongFeatures.Compute(song, engineered);
        foreach (var value in engineered)
        {
            destination[i++] = (float)value;
        }
    }

    /// <summary>A copy, for permutation tests that change one input.</summary>
    public SongModelInput Clone() => new()
    {
        Numeric = (float[])Numeric.Clone(),
        Key = Key,
        Mode = Mode,
        TimeSignature = TimeSignature,
        Decade = Decade,
        Label = Label,
    };

    private static string Category(double value) => ((int)value).ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the model answers for one song.</summary>
public sealed class SongModelOutput
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    /// <summary>The calibrated probability that the song charts.</summary>
    public float Probability { get; set; }
}
