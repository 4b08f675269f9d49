using System.Globalization;
using Crlm.Core.IO;
using Crlm.Core.Synthetic;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// Makes the embedded synthetic cohort a spec asks for, once: it is stored under the cache folder
/// by a content key of every generator option and the generator's code version (<see cref="CacheKey"/>)
/// and reused by later runs.
/// Generation goes to a temporary folder that is renamed into place when complete, so a crash
/// never leaves a half-made cohort that a later run would trust.
/// </summary>
public static class SyntheticCohortSource
{
    public sealed record Result(string ManifestPath, bool Reused, IReadOnlyList<string> ExternalSites);

    /// <summary>The generator options a spec asks for (<paramref name="seed"/> is the spec's, used when the block gives none).</summary>
    public static SyntheticCohortOptions Options(SyntheticDatasetSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sites = spec.Sites is { } names
            ? names.Select(n => SyntheticSiteDefaults.Find(n) ?? throw new ArgumentException($"unknown synthetic site '{n}'")).ToArray()
            : SyntheticSiteDefaults.Study;
        return new SyntheticCohortOptions(spec.Patients, spec.Seed ?? seed)
        {
            Size = spec.Size == "paper" ? SyntheticSize.Paper : SyntheticSize.Small,
            Sites = sites,
            Difficulty = new SyntheticDifficulty(spec.LesionContrast, spec.Noise, spec.LesionSize),
        };
    }

    /// <summary>
    /// The cohort's cache key: every option that changes a file plus the generator's code version,
    /// so a changed spec or generator never reuses a stale cohort. Sites go in by name and in order:
    /// a spec can only name default sites, so the name fixes the profile, and the order decides
    /// patient indices. The difficulty scales are round-trip formatted, so 1 and 1.0000001 differ.
    /// </summary>
    public static string CacheKey(SyntheticCohortOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string codeVersion = typeof(SyntheticCohortGenerator).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        var d = options.Difficulty;
        string sites = string.Join(",", options.Sites.Select(s => s.Name));
        return ContentHash.OfText(string.Create(CultureInfo.InvariantCulture,
            $"synthetic\n{options.Patients}\n{options.Size}\n{options.Seed}\n{sites}\n{d.LesionContrastScale:R}\n{d.NoiseScale:R}\n{d.LesionSizeScale:R}\n{codeVersion}"))[..16];
    }

    public static Result Ensure(SyntheticDatasetSpec spec, StageContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var options = Options(spec, context.Spec.Seed);
        long seed = options.Seed;
        var external = options.Sites.Where(s => s.External).Select(s => s.Name).ToArray();
        string key = CacheKey(options);
        string folder = Path.Combine(context.CacheDirectory, "synthetic", key);
        string manifest = Path.Combine(folder, "manifest.csv");
        if (File.Exists(manifest))
        {
            context.Observer.Info("cohort", $"reusing the synthetic cohort in {folder}");
            return new Result(manifest, true, external);
        }

        string temp = folder + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            context.Observer.Info("cohort", $"synthesising {spec.Patients} patients ({spec.Size}, seed {seed}) into {folder}");
            var progress = new Progress<int>(done => context.Observer.Progress("cohort", done, spec.Patients));
            SyntheticCohortGenerator.Generate(options, temp, progress, context.Cancellation);
            Directory.Move(temp, folder);
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return new Result(manifest, false, external);
    }
}
