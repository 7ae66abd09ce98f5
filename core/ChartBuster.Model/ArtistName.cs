using System.Text;
using System.Text.RegularExpressions;

namespace ChartBuster.Model;

/// <summary>
/// The key that groups songs by artist for evaluation splits. Spellings of one artist in the data differ in
/// case, accents, punctuation, a leading "The" and guest credits ("Drake Featuring Rihanna",
/// "Lil' Kim Feat. 50 Cent"), so the key is the lead credit, folded:
/// <list type="number">
/// <item>lower case (invariant culture), accents of Latin letters removed ("Beyoncé" → "beyonce", "Mötley Crüe" → "motley crue");</item>
/// <item>guest credits cut off: everything from "featuring", "feat", "ft" (with or without a dot, or in
/// brackets) on;</item>
/// <item>"&amp;" read as "and"; every other character that is not a letter, digit or space dropped
/// ("Lil' Kim" = "Lil Kim", "Earth, Wind &amp; Fire" = "Earth Wind And Fire");</item>
/// <item>runs of spaces collapsed, a leading "the " dropped ("The Black Eyed Peas" = "Black Eyed Peas").</item>
/// </list>
/// Duos and bands ("Simon &amp; Garfunkel") stay one artist: splitting them would chain most hit artists into
/// one group through their collaborations. A blank name has no key (the caller groups such a song alone).
/// </summary>
public static partial class ArtistName
{
    public static string Normalise(string? artist)
    {
        if (string.IsNullOrWhiteSpace(artist))
        {
            return "";
        }

        var folded = RemoveAccents(artist.ToLowerInvariant());
        folded = GuestCredit().Split(folded, 2)[0];
        folded = folded.Replace("&", " and ", StringComparison.Ordinal);
        var kept = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                kept.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                kept.Append(' ');
            }
        }

        var words = kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = words.Length > 1 && words[0] == "the" ? 1 : 0;
        return string.Join(' ', words.Skip(start));
    }

    /// <summary>
    /// Latin letters with diacritics (Latin-1 and Latin Extended-A, lower case) and their plain letters. A table,
    /// not Unicode decomposition: the product runs in invariant globalization mode, where
    /// <see cref="string.Normalize()"/> does not decompose.
    /// </summary>
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžſøđħıŀłŧð";

    private const string Plain = "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzsodhilltd";

    private static string RemoveAccents(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 128)
            {
                result.Append(c); // most names are plain ASCII: no look-up, no string per character
                continue;
            }

            var plain = Accented.IndexOf(c, StringComparison.Ordinal);
            _ = c switch
            {
                'ß' => result.Append("ss"),
                'æ' => result.Append("ae"),
                'œ' => result.Append("oe"),
                'þ' => result.Append("th"),
                _ when plain >= 0 => result.Append(Plain[plain]),
                _ => result.Append(c),
            };
        }

        return result.ToString();
    }

    /// <summary>A guest credit: "featuring", "feat", "feat.", "ft", "ft." as a word, or "(feat"/"(ft" in brackets.</summary>
    [GeneratedRegex(@"\s+(?:featuring|feat\.?|ft\.?)(?=\s|$)|\s*[\(\[]\s*(?:featuring|feat|ft)\b", RegexOptions.CultureInvariant)]
    private static partial Regex GuestCredit();
}
