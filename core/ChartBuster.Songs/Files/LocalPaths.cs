namespace ChartBuster.Songs.Files;

/// <summary>
/// Path checks the command lines make before they touch anything, so that no combination of arguments makes a
/// command delete or overwrite its own input.
/// </summary>
public static class LocalPaths
{
    /// <summary>
    /// True when <paramref name="path"/> is <paramref name="directory"/> itself or anywhere below it, once both are
    /// made absolute, "." and ".." are resolved, and symbolic links that exist are followed.
    /// </summary>
    public static bool IsInside(string path, string directory)
    {
        var file = Resolve(path);
        var folder = Resolve(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return (file + Path.DirectorySeparatorChar).StartsWith(folder, StringComparison.Ordinal);
    }

    /// <summary>True when both paths name the same file (after the same resolution as <see cref="IsInside"/>).</summary>
    public static bool AreSame(string first, string second) => Resolve(first) == Resolve(second);

    /// <summary>The absolute path with every existing symbolic link along it followed (like realpath, for what exists).</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var existing = full;
        var rest = new Stack<string>();
        while (!File.Exists(existing) && !Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }

        var resolved = RealPath(existing);
        while (rest.Count > 0)
        {
            resolved = Path.Combine(resolved, rest.Pop());
        }

        return resolved.TrimEnd(Path.DirectorySeparatorChar) is { Length: > 0 } trimmed ? trimmed : resolved;
    }

    private static string RealPath(string existing)
    {
        if (Path.GetDirectoryName(existing) is not { } parent)
        {
            return existing; // the root
        }

        var resolvedParent = RealPath(parent);
        var here = Path.Combine(resolvedParent, Path.GetFileName(existing));
        var info = new FileInfo(here);
        return info.LinkTarget is not null
            ? Path.GetFullPath(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName)
            : here;
    }
}
