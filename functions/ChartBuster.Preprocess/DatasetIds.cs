using System.Security.Cryptography;
using System.Text;

namespace ChartBuster.Preprocess;

/// <summary>
/// Dataset ids are deterministic in (raw key, ETag): the same upload always maps to the same id, so a
/// repeated S3 event finds its own earlier work, while a re-upload with new content gets a new id.
/// Readable prefix from the file name, then 16 hex digits of SHA-256.
/// </summary>
public static class DatasetIds
{
    private const int MaxSlugLength = 40;

    public static string From(string key, string etag)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(etag);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{NormalizeETag(etag)}"));
        return $"{Slug(key)}-{Convert.ToHexStringLower(hash, 0, 8)}";
    }

    /// <summary>Events carry ETags bare, HEAD responses quoted: compare them without quotes.</summary>
    public static string NormalizeETag(string etag) => etag.Trim().Trim('"');

    private static string Slug(string key)
    {
        var name = Path.GetFileName(key);
        foreach (var suffix in (string[])[".gz", ".csv"])
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
            }
        }

        var slug = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (keep)
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        text = text.Length > MaxSlugLength ? text[..MaxSlugLength].TrimEnd('-') : text;
        return text.Length == 0 ? "dataset" : text;
    }
}
