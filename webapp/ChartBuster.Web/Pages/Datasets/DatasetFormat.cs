using System.Globalization;

namespace ChartBuster.Web.Pages.Datasets;

/// <summary>How the datasets pages write numbers and times.</summary>
public static class DatasetFormat
{
    public static string Count(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";

    public static string Auc(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? "–";

    public static string Share(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "–";

    public static string Iso(DateTimeOffset? value) => value?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "";

    /// <summary>missing_value → missing value.</summary>
    public static string Reason(string code) => code.Replace('_', ' ');

    /// <summary>A rejected value as the page shows it: long values shortened, never the whole cell of a hostile file.</summary>
    public static string Value(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
