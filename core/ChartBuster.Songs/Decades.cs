using System.Globalization;
using System.Text.RegularExpressions;

namespace ChartBuster.Songs;

/// <summary>Decades as the first year (1960 for the sixties). Unknown is <see cref="Unknown"/>.</summary>
public static partial class Decades
{
    public const int Unknown = 0;
    public const int Earliest = 1900;
    public const int Latest = 2090;

    /// <summary>Reads the decade a public dataset file is named after: dataset-of-60s.csv → 1960, …-00s → 2000.</summary>
    public static int FromFileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var match = DecadeInName().Match(name);
        if (!match.Success)
        {
            return Unknown;
        }

        var digits = match.Groups["d"].Value;
        var year = int.Parse(digits, CultureInfo.InvariantCulture);
        if (digits.Length == 2)
        {
            // Two-digit decades: the dataset spans 1960-2019, so 00s-20s are this century.
            year += year <= 20 ? 2000 : 1900;
        }

        return IsValid(year) ? year : Unknown;
    }

    /// <summary>Parses a decade cell: 1960, 1960s or 60s.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int decade)
    {
        decade = Unknown;
        var trimmed = text.Trim();
        if (trimmed.EndsWith("s", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^1];
        }

        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return false;
        }

        if (trimmed.Length == 2)
        {
            year += year <= 20 ? 2000 : 1900;
        }
        else if (trimmed.Length != 4)
        {
            return false;
        }

        decade = year;
        return IsValid(year);
    }

    public static bool IsValid(int year) => year is >= Earliest and <= Latest && year % 10 == 0;

    [GeneratedRegex(@"(?<![0-9])(?<d>[0-9]{4}|[0-9]{2})s(?![a-z])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DecadeInName();
}
