using System.Text.Json;
using Crlm.Core.Cohort;

namespace Crlm.Reporting.Artifacts;

/// <summary>
/// Read access to a finished run's folder (the files the stages wrote), by paths relative to it. Every reader returns
/// null for a file that is not there, so a section decides for itself how to say what is missing.
/// </summary>
public sealed class RunArtifacts(string directory)
{
    public string Directory { get; } = System.IO.Path.GetFullPath(directory);

    public string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);

    public bool Has(string relative) => File.Exists(PathOf(relative));

    public CsvTable? Csv(string relative) => Has(relative) ? CsvTable.Read(PathOf(relative)) : null;

    public JsonDocument? Json(string relative) =>
        Has(relative) ? JsonDocument.Parse(File.ReadAllBytes(PathOf(relative)), new JsonDocumentOptions { AllowTrailingCommas = true }) : null;

    /// <summary>Each non-blank line of a JSON-lines file parsed on its own (a half-written last line is skipped).</summary>
    public IReadOnlyList<JsonElement>? JsonLines(string relative)
    {
        if (!Has(relative))
        {
            return null;
        }

        var items = new List<JsonElement>();
        foreach (string line in File.ReadLines(PathOf(relative)))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                items.Add(doc.RootElement.Clone());
            }
            catch (JsonException)
            {
                // A trial log is appended while the search runs: a torn line is the one being written.
            }
        }

        return items;
    }

    /// <summary>Names of the sub-folders of <paramref name="relative"/>, sorted, or none.</summary>
    public IReadOnlyList<string> Folders(string relative)
    {
        string path = PathOf(relative);
        return System.IO.Directory.Exists(path)
            ? System.IO.Directory.GetDirectories(path).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    /// <summary>Files in <paramref name="relative"/> whose names end with <paramref name="suffix"/>, sorted, or none.</summary>
    public IReadOnlyList<string> Files(string relative, string suffix)
    {
        string path = PathOf(relative);
        return System.IO.Directory.Exists(path)
            ? System.IO.Directory.GetFiles(path).Select(System.IO.Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(suffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }
}
