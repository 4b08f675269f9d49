using System.Globalization;
using System.Text;
using Crlm.Core.Cohort;
using Crlm.Core.IO;
using Crlm.Core.Preprocessing;
using Crlm.Pipelines.Running;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// The study's CT preprocessing (<see cref="ScanPreprocessor"/>) over every scan of the manifest, several
/// scans at a time (one per core). Each scan's result is stored in the run cache under a content key of
/// (input files, parameters, code version) and reused by any later run that asks for the same thing.
/// Writes preprocess/scans.csv (one row per scan, manifest order) and hands the scans to later stages.
/// A scan that cannot be preprocessed does not stop the others; the stage fails at the end, listing them.
/// </summary>
public sealed class PreprocessStage : IPipelineStage
{
    /// <summary>Manifest column that overrides the spec's liver label for one scan (e.g. 5 for a TotalSegmentator mask).</summary>
    public const string LiverLabelColumn = "liver_label";

    public const string TableHeader =
        "patient_id,scan_id,key,image,liver_mask,lesion_mask,liver_voxels,lesion_voxels,crop_start,norm_mean,norm_std,warnings";

    public string Name => "preprocess";

    public string Description => "resample, crop a box centred on the liver, window and normalise every scan (cached)";

    public IReadOnlyList<string> Needs { get; } = ["cohort"];

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scans = context.State.RequireManifest().Scans;
        var (done, errors, reused) = PreprocessAll(context, context.Spec.Preprocess, Name);
        var cache = new PreprocessCache(Path.Combine(context.CacheDirectory, "preprocess"));

        // Neither file may outlive the run it describes: a table or error list from an earlier run would mislead.
        string table = context.OutputPath(Path.Combine("preprocess", "scans.csv"));
        string errorList = context.OutputPath(Path.Combine("preprocess", "errors.txt"));
        var failed = errors.OfType<string>().ToArray();
        string stale = failed.Length > 0 ? table : errorList;
        if (File.Exists(stale))
        {
            File.Delete(stale);
        }

        if (failed.Length > 0)
        {
            AtomicFile.WriteAllText(errorList, string.Join('\n', failed) + "\n");
            throw new StageFailedException(
                $"{failed.Length} of {scans.Count} scan(s) could not be preprocessed (all listed in preprocess/errors.txt):" +
                Environment.NewLine + string.Join(Environment.NewLine, failed.Take(10)));
        }

        var preprocessed = done.Select(d => d!).ToArray();
        foreach (var scan in preprocessed)
        {
            foreach (string warning in scan.Report.Warnings)
            {
                context.Observer.Warning(Name, $"scan {scan.Scan.ScanId}: {warning}");
            }
        }

        AtomicFile.WriteAllText(table, Table(preprocessed));
        context.State.Preprocessed = preprocessed;
        context.Observer.Info(Name, string.Create(CultureInfo.InvariantCulture,
            $"{scans.Count} scans: {scans.Count - reused} preprocessed, {reused} reused from {cache.Root}"));
        return reused == scans.Count ? StageOutcome.Cached : StageOutcome.Completed;
    }

    /// <summary>
    /// Preprocesses every scan of the manifest with <paramref name="options"/> (one scan per core), through the
    /// run cache: the boxes, or per scan the error that stopped it (naming the scan and its manifest line), and
    /// how many came from the cache. Shared with the embed stage, whose encoder profiles may ask for other boxes.
    /// </summary>
    internal static (PreprocessedScan?[] Done, string?[] Errors, int Reused) PreprocessAll(StageContext context, PreprocessOptions options, string progressStage)
    {
        var scans = context.State.RequireManifest().Scans;
        var cache = new PreprocessCache(Path.Combine(context.CacheDirectory, "preprocess"));
        var done = new PreprocessedScan?[scans.Count];
        var errors = new string?[scans.Count];
        int finished = 0, reused = 0;
        var parallel = new ParallelOptions
        {
            // Scans are the unit of work: with one per core the per-scan loops inside stay mostly on one core each.
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = context.Cancellation,
        };

        context.Observer.Progress(progressStage, 0, scans.Count);
        Parallel.For(0, scans.Count, parallel, n =>
        {
            var scan = scans[n];
            try
            {
                var scanOptions = OptionsFor(scan, options);
                string key = PreprocessCache.Key(
                    Sha256(scan.ImagePath, context.State),
                    Sha256(scan.LiverMaskPath, context.State),
                    scan.LesionMaskPath is { } lesion ? Sha256(lesion, context.State) : null,
                    scanOptions,
                    PreprocessCache.CodeVersion);
                if (cache.TryLoad(key, scan) is { } hit)
                {
                    done[n] = hit;
                    Interlocked.Increment(ref reused);
                }
                else
                {
                    var result = ScanPreprocessor.Run(scan.ImagePath, scan.LiverMaskPath, scan.LesionMaskPath, scanOptions);
                    done[n] = cache.Store(key, scan, result);
                }
            }
            catch (Exception e) when (e is PreprocessingException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                errors[n] = $"scan {scan.ScanId} (manifest line {scan.Line}): {e.Message}";
            }

            context.Observer.Progress(progressStage, Interlocked.Increment(ref finished), scans.Count);
        });
        return (done, errors, reused);
    }

    /// <summary>The spec's options, with the scan's own liver label when the manifest has a liver_label column.</summary>
    public static PreprocessOptions OptionsFor(ScanRecord scan, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(options);
        if (!scan.Covariates.TryGetValue(LiverLabelColumn, out string? text) || string.IsNullOrWhiteSpace(text))
        {
            return options;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 1)
        {
            throw new PreprocessingException($"column '{LiverLabelColumn}' must be a whole number of at least 1 (the liver's value in its mask), got '{text}'");
        }

        return options with { LiverLabel = label };
    }

    /// <summary>The cohort stage hashed every manifest file already; anything else is hashed here.</summary>
    private static string Sha256(string path, RunState state) =>
        state.FileSha256.TryGetValue(Path.GetFullPath(path), out string? hash) ? hash : ContentHash.OfFile(path);

    private static string Table(IReadOnlyList<PreprocessedScan> scans)
    {
        var text = new StringBuilder().Append(TableHeader).Append('\n');
        foreach (var s in scans)
        {
            var r = s.Report;
            text.Append(CsvTable.Escape(s.Scan.PatientId)).Append(',')
                .Append(CsvTable.Escape(s.Scan.ScanId)).Append(',')
                .Append(s.Key).Append(',')
                .Append(CsvTable.Escape(s.ImagePath)).Append(',')
                .Append(CsvTable.Escape(s.LiverMaskPath)).Append(',')
                .Append(CsvTable.Escape(s.LesionMaskPath ?? "")).Append(',')
                .Append(r.LiverVoxels.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.LesionVoxels?.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(string.Join(' ', r.CropStart.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append(',')
                .Append(r.Normalisation.Mean?.ToString("R", CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(r.Normalisation.Std?.ToString("R", CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(r.Warnings.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
