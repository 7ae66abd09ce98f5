using System.Text;

namespace ChartBuster.Songs.Tests;

/// <summary>Builds small song CSVs from one valid row (a real track of the 2000s) with chosen changes.</summary>
internal static class SongCsv
{
    public const string Header =
        "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,target";

    public static readonly IReadOnlyDictionary<string, string> ValidRow = new Dictionary<string, string>
    {
        ["track"] = "Lucky Man", ["artist"] = "Montgomery Gentry", ["uri"] = "spotify:track:4GiXBCUF7H6YfNQsnBRIzl",
        ["danceability"] = "0.578", ["energy"] = "0.471", ["key"] = "4", ["loudness"] = "-7.27", ["mode"] = "1",
        ["speechiness"] = "0.0289", ["acousticness"] = "0.368", ["instrumentalness"] = "0", ["liveness"] = "0.159",
        ["valence"] = "0.532", ["tempo"] = "133.061", ["duration_ms"] = "196707", ["time_signature"] = "4",
        ["chorus_hit"] = "30.88059", ["sections"] = "13", ["target"] = "1",
    };

    public static string Row(params (string Column, string Value)[] changes)
    {
        var values = new Dictionary<string, string>(ValidRow);
        foreach (var (column, value) in changes)
        {
            values[column] = value;
        }

        return string.Join(',', Header.Split(',').Select(c => values[c]));
    }

    public static string File(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    public static string UniqueUri(int i) => $"spotify:track:{i:D22}";
}
