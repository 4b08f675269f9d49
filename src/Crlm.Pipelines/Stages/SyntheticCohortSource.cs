using System.Globalization;
using Crlm.Core.IO;
using Crlm.Core.Synthetic;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// Makes the embedded synthetic cohort a spec asks for, once: it is stored under the cache folder
/// by a content key of (patients, size, seed, generator code version) and reused by later runs.
/// Generation goes to a temporary folder that is renamed into place when complete, so a crash
/// never leaves a half-made cohort that a later run would trust.
/// </summary>
public static class SyntheticCohortSource
{
    public sealed record Result(string ManifestPath, bool Reused, IReadOnlyList<string> ExternalSites);

    public static Result Ensure(SyntheticDatasetSpec spec, StageContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        long seed = spec.Seed ?? context.Spec.Seed;
        var size = spec.Size == "paper" ? SyntheticSize.Paper : SyntheticSize.Small;
        var options = new SyntheticCohortOptions(spec.Patients, seed) { Size = size };
        var external = options.Sites.Where(s => s.External).Select(s => s.Name).ToArray();
        string codeVersion = typeof(SyntheticCohortGenerator).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        string key = ContentHash.OfText(string.Create(CultureInfo.InvariantCulture, $"synthetic\n{spec.Patients}\n{spec.Size}\n{seed}\n{codeVersion}"))[..16];
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
