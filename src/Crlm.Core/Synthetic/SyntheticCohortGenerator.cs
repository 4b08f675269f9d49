namespace Crlm.Core.Synthetic;

/// <summary>
/// Makes a realistic synthetic multi-site contrast-enhanced CT cohort: NIfTI images (int16 HU),
/// liver masks, lesion instance masks, manifest.csv (PRODUCT.md format) and truth.json (every
/// lesion, annotated or not). See docs/synthetic-cohort.md for what is modelled.
/// </summary>
/// <remarks>
/// Same options, same bytes: each patient draws only from its own stream (seed, patient index),
/// patients run in parallel but write only their own files, and the cohort-level files are written
/// in patient order after all patients finish. Memory holds one patient per worker, never the cohort.
/// Files are written atomically; manifest.csv comes last, so its presence marks a finished cohort.
/// Files of an earlier, larger cohort in the same folder are left alone (the manifest does not list them).
/// </remarks>
public static class SyntheticCohortGenerator
{
    public static SyntheticCohortResult Generate(SyntheticCohortOptions options, string outDir,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        options.Validate();
        string root = Path.GetFullPath(outDir);
        Directory.CreateDirectory(root);

        var plans = CohortPlanner.Plan(options);
        var outputs = new PatientOutput[plans.Count];
        int done = 0;
        var parallel = new ParallelOptions
        {
            CancellationToken = ct,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        Parallel.For(0, plans.Count, parallel, p =>
        {
            outputs[p] = PatientSynthesis.Run(plans[p], options, root, ct);
            progress?.Report(Interlocked.Increment(ref done));
        });

        string truthPath = Path.Combine(root, CohortFiles.TruthName);
        string manifestPath = Path.Combine(root, CohortFiles.ManifestName);
        CohortFiles.WriteTruth(truthPath, options, outputs.SelectMany(o => o.Truths));
        CohortFiles.WriteManifest(manifestPath, outputs.SelectMany(o => o.Rows));
        return new SyntheticCohortResult(manifestPath, truthPath, plans.Count, outputs.Sum(o => o.Rows.Count),
            outputs.Sum(o => o.Lesions), outputs.Sum(o => o.AnnotatedLesions));
    }
}
