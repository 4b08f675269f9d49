using Crlm.Core.Cohort;
using Crlm.Core.IO;
using Crlm.Pipelines.Running;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// Brings the cohort in: takes the manifest the spec names (or synthesises the embedded cohort),
/// runs every manifest check, and stops the run on any error, listing each with its line and column.
/// Writes cohort/validation.txt, cohort/manifest.csv (the manifest with absolute paths, for readers of the run
/// folder such as the report) and records the data's content hash.
/// </summary>
public sealed class CohortStage : IPipelineStage
{
    public string Name => "cohort";

    public string Description => "load and validate the cohort manifest";

    public IReadOnlyList<string> Needs { get; } = [];

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = StageOutcome.Completed;
        string manifestPath;
        var external = new HashSet<string>(context.Spec.Dataset.ExternalSites, StringComparer.Ordinal);
        if (context.Spec.Dataset.Synthetic is { } synthetic)
        {
            var cohort = SyntheticCohortSource.Ensure(synthetic, context);
            manifestPath = cohort.ManifestPath;
            external.UnionWith(cohort.ExternalSites);
            outcome = cohort.Reused ? StageOutcome.Cached : outcome;
        }
        else
        {
            manifestPath = context.Spec.Dataset.ManifestPath
                ?? throw new StageFailedException("the spec names no dataset (give 'manifest' or 'synthetic')");
        }

        ManifestReport report;
        try
        {
            report = ManifestValidator.Validate(manifestPath);
        }
        catch (ManifestFormatException e)
        {
            throw new StageFailedException(e.Message, e);
        }

        AtomicFile.WriteAllText(
            context.OutputPath(Path.Combine("cohort", "validation.txt")),
            report.Issues.Count == 0 ? "no problems found\n" : string.Join('\n', report.Issues) + "\n");
        foreach (var warning in report.Issues.Where(i => !i.IsError))
        {
            context.Observer.Warning(Name, warning.ToString());
        }

        if (report.HasErrors)
        {
            var first = report.Issues.Where(i => i.IsError).Take(10).Select(i => i.ToString());
            throw new StageFailedException(
                $"the manifest has {report.ErrorCount} error(s) (all listed in cohort/validation.txt):{Environment.NewLine}{string.Join(Environment.NewLine, first)}");
        }

        var manifest = report.Manifest;
        AtomicFile.WriteAllText(context.OutputPath(ResolvedManifest.RelativePath), ResolvedManifest.Text(manifest));
        context.State.Manifest = manifest;
        context.State.ExternalSites = external;
        var files = DataFiles(manifest);
        var hashes = ContentHash.OfEachFile(files.Select(f => f.Path).ToArray());
        context.State.DataSha256 = ContentHash.Combine(files.Select(f => f.Name).ToArray(), hashes);

        // Kept per file so content-keyed caches of later stages need not read every input a second time.
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int n = 0; n < files.Count; n++)
        {
            byPath[Path.GetFullPath(files[n].Path)] = hashes[n];
        }

        context.State.FileSha256 = byPath;
        context.Observer.Info(Name,
            $"{manifest.Scans.Count} scans of {manifest.Patients().Count} patients at {manifest.Sites().Count} sites; data sha256 {context.State.DataSha256[..12]}");
        return outcome;
    }

    /// <summary>The manifest and every file it names, each under a name relative to the manifest's folder.</summary>
    private static List<(string Name, string Path)> DataFiles(CohortManifest manifest)
    {
        string root = Path.GetDirectoryName(manifest.Path) ?? ".";
        var files = new List<(string, string)> { ("manifest.csv", manifest.Path) };
        foreach (var scan in manifest.Scans)
        {
            foreach (string? path in new[] { scan.ImagePath, scan.LiverMaskPath, scan.LesionMaskPath })
            {
                if (path is not null)
                {
                    files.Add((Path.GetRelativePath(root, path), path));
                }
            }
        }

        return files;
    }
}
