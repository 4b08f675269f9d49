using System.IO.Compression;
using Crlm.Core.Cohort;
using Crlm.Core.IO;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// Preprocessed scans stored by content key under one folder (the run cache's "preprocess/"): each key is a
/// folder holding the box image, its masks and the report. A folder is built under a temporary name and
/// renamed into place when complete, so a folder that exists under its key is always whole, and a crash or
/// a cancelled run leaves nothing a later run would trust.
/// </summary>
public sealed class PreprocessCache(string root)
{
    public const string ImageFile = "image.nii.gz";
    public const string LiverFile = "liver.nii.gz";
    public const string LesionFile = "lesions.nii.gz";
    public const string ReportFile = "report.json";

    /// <summary>Bumped when the cached files change meaning or layout, so old entries are never read as new ones.</summary>
    private const string Format = "crlm-preprocess/1";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// The content key of one scan's preprocessing: the input files' SHA-256, every parameter that changes the
    /// output (<see cref="PreprocessOptions.CanonicalText"/>) and the code version (the preprocessing
    /// assembly's MVID, which the deterministic build changes exactly when its code changes). Paths are left
    /// out on purpose: a moved or renamed cohort reuses its cache.
    /// </summary>
    public static string Key(string imageSha256, string liverSha256, string? lesionSha256, PreprocessOptions options, string codeVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        string text = string.Join('\n',
            Format,
            "code=" + codeVersion,
            "options=" + options.CanonicalText(),
            "image=" + imageSha256,
            "liver=" + liverSha256,
            "lesion=" + (lesionSha256 ?? "none"));
        return ContentHash.OfText(text)[..32];
    }

    /// <summary>Version of the preprocessing code, for <see cref="Key"/>.</summary>
    public static string CodeVersion { get; } = typeof(ScanPreprocessor).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public string Folder(string key) => Path.Combine(Root, key);

    /// <summary>The scan stored under <paramref name="key"/>, or null when there is none yet.</summary>
    public PreprocessedScan? TryLoad(string key, ScanRecord scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        string folder = Folder(key);
        string report = Path.Combine(folder, ReportFile);
        if (!File.Exists(report))
        {
            return null;
        }

        return Describe(key, scan, PreprocessReport.FromJson(File.ReadAllText(report)));
    }

    /// <summary>
    /// Stores a result under <paramref name="key"/>. If another process stored the same key meanwhile, its
    /// (identical, by the key's definition) copy is kept and ours is dropped.
    /// </summary>
    public PreprocessedScan Store(string key, ScanRecord scan, PreprocessResult result)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(result);
        string folder = Folder(key);
        string temp = Path.Combine(Root, $".{key}.partial-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);

            // Fastest (zlib level 1, nibabel's own choice): a cache is written once per parameter change and
            // read by every later stage, and level 6 costs about 3x the time for a file ~10% smaller.
            NiftiWriter.Write(Path.Combine(temp, ImageFile), result.Image, CompressionLevel.Fastest);
            NiftiWriter.Write(Path.Combine(temp, LiverFile), result.Liver, CompressionLevel.Fastest);
            if (result.Lesions is not null)
            {
                NiftiWriter.Write(Path.Combine(temp, LesionFile), result.Lesions, CompressionLevel.Fastest);
            }

            // The report goes last: a folder is complete when its report is there (see TryLoad).
            AtomicFile.WriteAllText(Path.Combine(temp, ReportFile), result.Report.ToJson(indented: true) + "\n");

            // A folder under the key without its report was damaged after the fact (TryLoad never trusts it):
            // it would block the rename, so it goes.
            if (Directory.Exists(folder) && !File.Exists(Path.Combine(folder, ReportFile)))
            {
                Directory.Delete(folder, recursive: true);
            }

            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ReportFile)))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return Describe(key, scan, result.Report);
    }

    private PreprocessedScan Describe(string key, ScanRecord scan, PreprocessReport report)
    {
        string folder = Folder(key);
        return new PreprocessedScan(
            scan,
            key,
            Path.Combine(folder, ImageFile),
            Path.Combine(folder, LiverFile),
            report.LesionVoxels is null ? null : Path.Combine(folder, LesionFile),
            report);
    }
}
