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
        var hashes = new string[files.Count];
        Parallel.For(0, files.Count, n => hashes[n] = OfFile(files[n].Path));
        var lines = files.Select((f, n) => $"{f.Name}\t{hashes[n]}");
        return OfText(string.Join('\n', lines));
    }
}
