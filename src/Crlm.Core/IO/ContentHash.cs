using System.Security.Cryptography;

namespace Crlm.Core.IO;

/// <summary>SHA-256 content keys for files and sets of files (caches, run records).</summary>
public static class ContentHash
{
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfText(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// One key for several files: the hash of their (name, content hash) lines, so it changes when any
    /// file's content or the set of files changes. Files are hashed in parallel.
    /// </summary>
    public static string OfFiles(IReadOnlyList<(string Name, string Path)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var hashes = OfEachFile(files.Select(f => f.Path).ToArray());
        return Combine(files.Select(f => f.Name).ToArray(), hashes);
    }

    /// <summary>The content hash of every file, in order, hashed in parallel.</summary>
    public static string[] OfEachFile(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var hashes = new string[paths.Count];
        Parallel.For(0, paths.Count, n => hashes[n] = OfFile(paths[n]));
        return hashes;
    }

    /// <summary>The key <see cref="OfFiles"/> gives for files of these names and content hashes.</summary>
    public static string Combine(IReadOnlyList<string> names, IReadOnlyList<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(hashes);
        if (names.Count != hashes.Count)
        {
            throw new ArgumentException($"{names.Count} names but {hashes.Count} hashes");
        }

        return OfText(string.Join('\n', names.Select((name, n) => $"{name}\t{hashes[n]}")));
    }
}
