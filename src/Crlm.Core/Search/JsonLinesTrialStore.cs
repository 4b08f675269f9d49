using System.Text;

namespace Crlm.Core.Search;

/// <summary>
/// A search history on disk: a header line with the <see cref="SearchKey"/>, then one JSON line
/// per trial, each appended in a single write and flushed to the disk before
/// <see cref="Append"/> returns. A crash can at worst leave a torn last line, which the next
/// <see cref="Open"/> drops (that trial is simply run again, with the same parameters).
/// </summary>
public sealed class JsonLinesTrialStore : ITrialStore
{
    private readonly StoreMismatchPolicy _policy;
    private int _count = -1;

    public JsonLinesTrialStore(string path, StoreMismatchPolicy policy = StoreMismatchPolicy.Fail)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _policy = policy;
    }

    public string Path { get; }

    public IReadOnlyList<TrialRecord> Open(SearchKey key, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(space);
        if (!File.Exists(Path))
        {
            return StartFresh(key);
        }

        string[] lines = ReadCompleteLines();
        if (lines.Length == 0)
        {
            return StartFresh(key);
        }

        SearchKey stored = TrialJson.ReadHeader(lines[0]);
        if (stored != key)
        {
            if (_policy == StoreMismatchPolicy.Fail)
            {
                throw TrialStoreMismatchException.For($"Search history {Path}", stored, key);
            }

            return StartFresh(key);
        }

        var trials = new List<TrialRecord>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            TrialRecord trial;
            try
            {
                trial = TrialJson.ReadTrial(lines[i], space);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Search history {Path}, line {i + 1}, is not a valid trial: {e.Message}", e);
            }

            TrialNumbering.EnsureNext(trials.Count, trial);
            trials.Add(trial);
        }

        _count = trials.Count;
        return trials;
    }

    public void Append(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_count < 0)
        {
            throw new InvalidOperationException("Open the store before appending trials.");
        }

        TrialNumbering.EnsureNext(_count, trial);
        byte[] line = TrialJson.Trial(trial);
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }

        _count++;
    }

    /// <summary>Lines ending in a newline; a torn tail from an interrupted append is cut off the file.</summary>
    private string[] ReadCompleteLines()
    {
        byte[] bytes = File.ReadAllBytes(Path);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.Read);
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }

        return Encoding.UTF8.GetString(bytes, 0, end)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Writes the header to a temporary file and renames it into place, so the file is never half-made.</summary>
    private List<TrialRecord> StartFresh(SearchKey key)
    {
        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(TrialJson.Header(key));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        _count = 0;
        return [];
    }
}
