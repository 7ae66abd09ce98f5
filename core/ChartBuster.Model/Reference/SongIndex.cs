using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Model.Reference;

/// <summary>One real song of the training data: who and when, whether it charted, and its raw inputs.</summary>
/// <param name="Inputs">The raw inputs in <see cref="SongFeatures.RawColumns"/> order.</param>
public sealed record IndexedSong(string Id, string Title, string Artist, int Decade, bool Charted, IReadOnlyList<double> Inputs)
{
    /// <summary>The song as numbers the model reads (decade included).</summary>
    public SongNumbers ToSong()
    {
        var song = default(SongNumbers);
        for (var i = 0; i < SongFeatures.RawColumns.Count; i++)
        {
            song[SongFeatures.RawColumns[i]] = Inputs[i];
        }

        song[SongColumn.Decade] = Decade;
        song[SongColumn.Target] = double.NaN;
        return song;
    }
}

/// <summary>A real charting song near another, by standardised audio features.</summary>
public sealed record NearSong(IndexedSong Song, double Distance);

/// <summary>
/// The training songs, searchable by title or artist and by likeness. Shipped inside model.zip as a CSV (title,
/// artist, decade, charted, the 15 raw inputs); capped at <see cref="MaxSongs"/> songs, charting songs first, so a
/// huge training set cannot bloat the model. Likeness is the Euclidean distance over the audio features in
/// <see cref="LikenessColumns"/>, each standardised by its mean and standard deviation over the indexed songs.
/// </summary>
public sealed class SongIndex
{
    public const int MaxSongs = 60_000;

    public static IReadOnlyList<SongColumn> LikenessColumns { get; } =
    [
        SongColumn.Danceability, SongColumn.Energy, SongColumn.Loudness, SongColumn.Speechiness, SongColumn.Acousticness,
        SongColumn.Instrumentalness, SongColumn.Liveness, SongColumn.Valence, SongColumn.Tempo, SongColumn.DurationMs,
    ];

    private static readonly string[] s_header =
        ["id", "title", "artist", "decade", "charted", .. SongFeatures.RawColumns.Select(SongSchema.NameOf)];

    private readonly IndexedSong[] _songs;
    private readonly string[] _titles;
    private readonly string[] _artists;
    private readonly Dictionary<string, IndexedSong> _byId;
    private readonly int[] _likenessSlots;
    private readonly double[] _means;
    private readonly double[] _deviations;

    public SongIndex(IReadOnlyList<IndexedSong> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        _songs = [.. songs];
        _titles = [.. _songs.Select(s => Fold(s.Title))];
        _artists = [.. _songs.Select(s => Fold(s.Artist))];
        _byId = new Dictionary<string, IndexedSong>(StringComparer.Ordinal);
        foreach (var song in _songs)
        {
            _byId.TryAdd(song.Id, song);
        }

        _likenessSlots = [.. LikenessColumns.Select(c => SongFeatures.RawColumns.ToList().IndexOf(c))];
        _means = [.. _likenessSlots.Select(slot => _songs.Length == 0 ? 0 : _songs.Average(s => s.Inputs[slot]))];
        _deviations = [.. _likenessSlots.Select((slot, i) => StandardDeviation(_songs.Select(s => s.Inputs[slot]), _means[i]))];
    }

    public int Count => _songs.Length;

    public IReadOnlyList<IndexedSong> Songs => _songs;

    /// <summary>The training songs with a title or an artist, charting ones first, at most <see cref="MaxSongs"/>.</summary>
    /// <param name="inputs">Each row's raw inputs as decimals (<see cref="ExactInputs(IReadOnlyList{TrainingRow})"/>), in row order.</param>
    public static SongIndex Of(IReadOnlyList<TrainingRow> rows, IReadOnlyList<double[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(inputs);
        var songs = Enumerable.Range(0, rows.Count)
            .Where(i => rows[i].Track.Length > 0 || rows[i].Artist.Length > 0)
            .OrderByDescending(i => rows[i].Label)
            .Take(MaxSongs)
            .Select(i => new IndexedSong(
                IdOf(rows[i].Uri, rows[i].Input.Decade),
                rows[i].Track,
                rows[i].Artist,
                int.TryParse(rows[i].Input.Decade, NumberStyles.None, CultureInfo.InvariantCulture, out var decade) ? decade : Decades.Unknown,
                rows[i].Label,
                inputs[i]));
        return new SongIndex([.. songs]);
    }

    /// <summary>
    /// The raw inputs of every row as decimals (<see cref="ExactInputs(SongModelInput)"/>), in row order. Each distinct
    /// float is converted once: the data has a few thousand distinct values per input, and the conversion (formatting
    /// and parsing) of every input of every song was a tenth of a second of each training.
    /// </summary>
    public static double[][] ExactInputs(IReadOnlyList<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var exact = new Dictionary<int, double>(); // by bits: -0f equals 0f but reads "-0"
        var result = new double[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var numeric = rows[r].Input.Numeric;
            var values = result[r] = new double[SongFeatures.RawColumns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var bits = BitConverter.SingleToInt32Bits(numeric[i]);
                if (!exact.TryGetValue(bits, out var converted))
                {
                    exact[bits] = converted = Exact(numeric[i]);
                }

                values[i] = converted;
            }
        }

        return result;
    }

    /// <summary>The raw inputs of a model input (the first slots of <see cref="SongModelInput.Numeric"/>) as decimals.</summary>
    public static double[] ExactInputs(SongModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = new double[SongFeatures.RawColumns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Exact(input.Numeric[i]);
        }

        return values;
    }

    /// <summary>A float input as the decimal it was read from (0.0346f → 0.0346, not 0.034600000083446503).</summary>
    public static double Exact(float value)
    {
        // Formatted into the stack, not a string: the reference converts every input of every training song. The
        // shortest round-trip form of a float has at most 15 characters ("-1.17549435E-38"), so it always fits.
        Span<char> digits = stackalloc char[32];
        _ = value.TryFormat(digits, out var length, "R", CultureInfo.InvariantCulture);
        return double.Parse(digits[..length], CultureInfo.InvariantCulture);
    }

    public IndexedSong? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Songs whose title or artist contains every word of the query (case-insensitive): title and artist starts first, charting songs before others.</summary>
    public IReadOnlyList<IndexedSong> Search(string query, int limit)
    {
        var words = Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || limit <= 0)
        {
            return [];
        }

        var whole = string.Join(' ', words);
        var matches = new List<(int Rank, int Index)>();
        for (var i = 0; i < _songs.Length; i++)
        {
            var title = _titles[i];
            var artist = _artists[i];
            if (!words.All(w => title.Contains(w, StringComparison.Ordinal) || artist.Contains(w, StringComparison.Ordinal)))
            {
                continue;
            }

            var rank = title == whole ? 0 : title.StartsWith(whole, StringComparison.Ordinal) ? 1 : artist.StartsWith(whole, StringComparison.Ordinal) ? 2 : 3;
            matches.Add(((rank * 2) + (_songs[i].Charted ? 0 : 1), i));
        }

        return [.. matches.OrderBy(m => m.Rank).ThenBy(m => _songs[m.Index].Title, StringComparer.Ordinal).Take(limit).Select(m => _songs[m.Index])];
    }

    /// <summary>The charting songs of a decade (every decade when unknown) nearest to a song, nearest first.</summary>
    public IReadOnlyList<NearSong> ClosestHits(in SongNumbers song, int decade, int count)
    {
        var target = new double[_likenessSlots.Length];
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = Standardise(song[LikenessColumns[i]], i);
        }

        var near = new List<NearSong>();
        foreach (var candidate in _songs)
        {
            if (!candidate.Charted || (decade != Decades.Unknown && candidate.Decade != decade))
            {
                continue;
            }

            double sum = 0;
            for (var i = 0; i < target.Length; i++)
            {
                var d = Standardise(candidate.Inputs[_likenessSlots[i]], i) - target[i];
                sum += d * d;
            }

            near.Add(new NearSong(candidate, Math.Sqrt(sum)));
        }

        return [.. near.OrderBy(n => n.Distance).ThenBy(n => n.Song.Id, StringComparer.Ordinal).Take(count)];
    }

    public void Write(Stream output)
    {
        // Each distinct value is formatted once (a few thousand per input; the index holds ~500,000 values). Keyed by
        // its bits: -0.0 equals 0.0 but is written "-0".
        var formatted = new Dictionary<long, byte[]>();
        using var csv = new CsvRecordWriter(output);
        csv.WriteRecord(s_header);
        foreach (var song in _songs)
        {
            csv.WriteField(song.Id);
            csv.WriteField(song.Title);
            csv.WriteField(song.Artist);
            csv.WriteInteger(song.Decade);
            csv.WriteInteger(song.Charted ? 1 : 0);
            foreach (var value in song.Inputs)
            {
                var bits = BitConverter.DoubleToInt64Bits(value);
                if (!formatted.TryGetValue(bits, out var utf8))
                {
                    formatted[bits] = utf8 = Encoding.UTF8.GetBytes(value.ToString("R", CultureInfo.InvariantCulture));
                }

                csv.WriteField(utf8);
            }

            csv.EndRecord();
        }
    }

    public static SongIndex Read(Stream input)
    {
        var csv = new CsvRecordReader(input);
        if (!csv.Read() || csv.FieldCount != s_header.Length)
        {
            throw new InvalidDataException("the song index has no header of the expected layout");
        }

        var songs = new List<IndexedSong>();
        while (csv.Read())
        {
            if (csv.FieldCount != s_header.Length)
            {
                throw new InvalidDataException($"the song index line {csv.LineNumber} has {csv.FieldCount} fields, expected {s_header.Length}");
            }

            var inputs = new double[SongFeatures.RawColumns.Count];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = Number(csv, 5 + i);
            }

            songs.Add(new IndexedSong(Text(csv, 0), Text(csv, 1), Text(csv, 2), (int)Number(csv, 3), Number(csv, 4) == 1, inputs));
        }

        return new SongIndex(songs);
    }

    /// <summary>Stable across model versions: the same song of the same decade keeps its id, so links to it keep working.</summary>
    public static string IdOf(string uri, string decade) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{uri}|{decade}")), 0, 6);

    private double Standardise(double value, int i) => _deviations[i] > 0 ? (value - _means[i]) / _deviations[i] : 0;

    private static string Fold(string text) => string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static double StandardDeviation(IEnumerable<double> values, double mean)
    {
        var list = values.ToList();
        return list.Count < 2 ? 0 : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }

    private static string Text(CsvRecordReader csv, int field) => Encoding.UTF8.GetString(csv[field]);

    private static double Number(CsvRecordReader csv, int field) =>
        double.Parse(Encoding.UTF8.GetString(csv[field]), NumberStyles.Float, CultureInfo.InvariantCulture);
}
