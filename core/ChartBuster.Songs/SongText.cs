using System.Globalization;

namespace ChartBuster.Songs;

/// <summary>
/// The inputs a musician writes in words rather than Spotify's codes: the key as a note name ("F♯", "Gb"), the mode
/// as major or minor, the length as m:ss. Forms, links and the API read them here; the values they produce are then
/// checked by the same <see cref="SongValidation"/> rules as any number.
/// </summary>
public static class SongText
{
    /// <summary>Spotify's pitch classes 0..11 by name (C = 0); sharps and flats of one pitch class share a number.</summary>
    public static IReadOnlyList<string> KeyNames { get; } = ["C", "C♯/D♭", "D", "D♯/E♭", "E", "F", "F♯/G♭", "G", "G♯/A♭", "A", "A♯/B♭", "B"];

    private static readonly Dictionary<char, int> s_naturals = new() { ['C'] = 0, ['D'] = 2, ['E'] = 4, ['F'] = 5, ['G'] = 7, ['A'] = 9, ['B'] = 11 };

    public static string KeyName(double key) => key is >= 0 and <= 11 && key == Math.Floor(key) ? KeyNames[(int)key] : "unknown";

    public static string ModeName(double mode) => mode == 1 ? "major" : mode == 0 ? "minor" : "unknown";

    /// <summary>
    /// A key as Spotify's number: "5", "-1", a note name with an optional sharp or flat ("C", "c#", "C♯", "Db", "D♭",
    /// "C sharp", "D flat"), or one of <see cref="KeyNames"/>; "unknown" and "none" are −1 (no key detected).
    /// </summary>
    public static bool TryParseKey(string? text, out double key)
    {
        key = double.NaN;
        var t = text?.Trim() ?? "";
        if (t.Length == 0)
        {
            return false;
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out key))
        {
            return true;
        }

        if (t.Equals("unknown", StringComparison.OrdinalIgnoreCase) || t.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            key = -1;
            return true;
        }

        var slash = t.IndexOf('/', StringComparison.Ordinal);
        var name = (slash > 0 ? t[..slash] : t).Replace(" ", "", StringComparison.Ordinal);
        if (!s_naturals.TryGetValue(char.ToUpperInvariant(name[0]), out var pitch))
        {
            return false;
        }

        var accidental = name[1..].ToLowerInvariant();
        int? shift = accidental switch
        {
            "" => 0,
            "#" or "♯" or "sharp" => 1,
            "b" or "♭" or "flat" => -1,
            _ => null,
        };
        if (shift is null)
        {
            return false;
        }

        key = (pitch + shift.Value + 12) % 12;
        return true;
    }

    /// <summary>A mode as Spotify's number: "1"/"0", or "major"/"minor" (also "maj"/"min").</summary>
    public static bool TryParseMode(string? text, out double mode)
    {
        var t = text?.Trim().ToLowerInvariant() ?? "";
        mode = t switch
        {
            "major" or "maj" => 1,
            "minor" or "min" => 0,
            _ => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN,
        };
        return !double.IsNaN(mode);
    }

    /// <summary>A length as m:ss ("3:40", "3:40.5") or h:mm:ss ("1:02:03"), in milliseconds.</summary>
    public static bool TryParseDuration(string? text, out double milliseconds)
    {
        milliseconds = double.NaN;
        var parts = (text?.Trim() ?? "").Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            return false;
        }

        double total = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            if (!double.TryParse(parts[i], last ? NumberStyles.AllowDecimalPoint : NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || (i > 0 && (value >= 60 || parts[i].Split('.')[0].Length != 2)))
            {
                return false; // seconds and minutes after the first part are two digits below 60
            }

            total = (total * 60) + value;
        }

        milliseconds = Math.Round(total * 1000);
        return true;
    }

    /// <summary>Milliseconds as m:ss (h:mm:ss from an hour up), with the fraction of a second when there is one
    /// ("2:56.88"), so that a real song's length reads back to the same milliseconds.</summary>
    public static string FormatDuration(double milliseconds)
    {
        var totalMs = (long)Math.Round(milliseconds);
        var (seconds, ms) = Math.DivRem(totalMs, 1000);
        var (hours, rest) = Math.DivRem(seconds, 3600);
        var fraction = ms == 0 ? "" : "." + ms.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{rest / 60:00}:{rest % 60:00}{fraction}")
            : string.Create(CultureInfo.InvariantCulture, $"{rest / 60}:{rest % 60:00}{fraction}");
    }
}
