using System.Globalization;
using Crlm.Core.Cohort;
using Crlm.Core.IO;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Imaging;
using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>
/// What preprocessing did (preprocess/scans.csv): scan counts, liver and lesion voxels, normalisation, warnings; and a
/// few sample slices, the axial slice of a preprocessed box with the most liver, the liver outlined in amber and
/// lesions in red, so a reader sees that the box is centred on the liver and windowed sensibly; beside each, the
/// original CT through the box centre with the box's footprint (<see cref="OriginalSlice"/>), so a reader sees where
/// in the abdomen the crop was taken.
/// </summary>
public sealed class PreprocessSection : IReportSectionSource
{
    public const string ScansFile = "preprocess/scans.csv";

    /// <summary>How many sample slices to show: enough to spot a systematic problem, few enough to keep the file small.</summary>
    public const int SampleCount = 3;

    /// <summary>Pictures are drawn at this many screen pixels per voxel (nearest neighbour, in the page's style).</summary>
    private const int DisplayScale = 2;

    public string Id => "preprocess";

    public string Title => "Preprocessing";

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var file = run.Csv(ScansFile);
        if (file is null)
        {
            return ReportSection.Omitted(Id, Title, $"{ScansFile} not found (the preprocess stage did not run)");
        }

        var scans = new CsvColumns(file);
        double[] liver = Numbers(scans, "liver_voxels");
        int withLesions = scans.Rows.Count(r => scans.Cell(r, "lesion_voxels").Length > 0);
        int withWarnings = scans.Rows.Count(r => int.TryParse(scans.Cell(r, "warnings"), out int w) && w > 0);
        var summary = new List<IReadOnlyList<string>>
        {
            new[] { "scans", Format.Count(scans.Rows.Count) },
            new[] { "scans with a lesion mask", Format.Count(withLesions) },
            new[] { "scans with warnings", Format.Count(withWarnings) },
            new[] { "liver voxels per box: median [min, max]", Range(liver) },
            new[] { "normalisation mean: median [min, max]", Range(Numbers(scans, "norm_mean"), 3) },
            new[] { "normalisation sd: median [min, max]", Range(Numbers(scans, "norm_std"), 3) },
        };
        var blocks = new List<ReportBlock> { new TableBlock("Preprocessed scans", ["measure", "value"], summary) };

        var originals = OriginalScans(run);
        var failures = new List<string>();
        var originalNotes = new List<string>();
        foreach (var row in SampleRows(scans))
        {
            string image = scans.Cell(row, "image"), mask = scans.Cell(row, "liver_mask"), lesion = scans.Cell(row, "lesion_mask");
            string scanId = scans.Cell(row, "scan_id"), patientId = scans.Cell(row, "patient_id");
            var pictures = new List<ImageBlock>();
            if (originals is not null)
            {
                try
                {
                    pictures.Add(originals.TryGetValue((patientId, scanId), out var source)
                        ? OriginalSlice.Image(scanId, patientId, image, source.Image, source.LiverMask, source.LiverLabel)
                        : throw new InvalidDataException($"not in {ResolvedManifest.RelativePath}"));
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    originalNotes.Add($"scan {scanId}: {e.Message}");
                }
            }

            try
            {
                pictures.Add(SliceImage(scanId, patientId, image, mask, lesion.Length > 0 ? lesion : null));
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                failures.Add($"scan {scanId}: {e.Message}");
            }

            // One row per scan: the original with the crop box beside the box it became.
            if (pictures.Count > 0)
            {
                blocks.Add(new ImageRowBlock(pictures));
            }
        }

        if (originals is null && scans.Rows.Count > 0)
        {
            originalNotes.Add($"{ResolvedManifest.RelativePath} not found (a run from before the cohort stage kept it)");
        }

        if (originalNotes.Count > 0)
        {
            blocks.Add(new TextBlock("Original CT slices that could not be drawn (the source files may have been moved or deleted): " + string.Join("; ", originalNotes)));
        }

        if (failures.Count > 0)
        {
            blocks.Add(new TextBlock("Sample slices that could not be drawn (the cached boxes may have been removed): " + string.Join("; ", failures)));
        }

        return new ReportSection(Id, Title, blocks);
    }

    private static bool IsUnreadable(Exception e) =>
        e is IOException or InvalidDataException or NiftiFormatException or UnauthorizedAccessException or ArgumentException;

    /// <summary>Where a scan's original image and liver mask are, from the cohort stage's copy of the manifest.</summary>
    private sealed record OriginalSource(string Image, string LiverMask, int? LiverLabel);

    /// <summary>The original files of every scan by (patient, scan), or null when the run folder has no manifest copy.</summary>
    private static Dictionary<(string Patient, string Scan), OriginalSource>? OriginalScans(RunArtifacts run)
    {
        var file = run.Csv(ResolvedManifest.RelativePath);
        if (file is null)
        {
            return null;
        }

        var manifest = new CsvColumns(file);
        var byScan = new Dictionary<(string, string), OriginalSource>();
        foreach (var row in manifest.Rows)
        {
            // The preprocess stage honours a per-scan liver_label column (TotalSegmentator's liver is 5); so does the outline.
            int? label = int.TryParse(manifest.Cell(row, "liver_label"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) && l > 0 ? l : null;
            byScan.TryAdd((manifest.Cell(row, "patient_id"), manifest.Cell(row, "scan_id")),
                new OriginalSource(manifest.Cell(row, "image"), manifest.Cell(row, "liver_mask"), label));
        }

        return byScan;
    }

    /// <summary>Up to <see cref="SampleCount"/> scans spread over the table, lesion-annotated scans first (they show more).</summary>
    private static IEnumerable<CsvRow> SampleRows(CsvColumns scans) =>
        scans.Rows
            .Select((row, i) => (row, i))
            .OrderBy(p => scans.Cell(p.row, "lesion_voxels").Length > 0 && scans.Cell(p.row, "lesion_voxels") != "0" ? 0 : 1)
            .ThenBy(p => p.i)
            .Take(SampleCount)
            .Select(p => p.row);

    /// <summary>The axial slice with the most liver, windowed to its 1st-99th percentile, radiological display, outlines drawn.</summary>
    internal static ImageBlock SliceImage(string scanId, string patientId, string imagePath, string liverPath, string? lesionPath)
    {
        var image = NiftiReader.Read<float>(imagePath);
        var liver = NiftiReader.Read<float>(liverPath);
        var lesions = lesionPath is not null && File.Exists(lesionPath) ? NiftiReader.Read<float>(lesionPath) : null;
        if (liver.Size != image.Size || (lesions is not null && lesions.Size != image.Size))
        {
            throw new InvalidDataException("the box and its masks have different sizes");
        }

        var size = image.Size;
        int bestK = 0, bestCount = -1;
        for (int k = 0; k < size.Z; k++)
        {
            int count = 0;
            foreach (float v in liver.Slice(k))
            {
                count += v > 0 ? 1 : 0;
            }

            if (count > bestCount)
            {
                (bestK, bestCount) = (k, count);
            }
        }

        float[] slice = image.Slice(bestK).ToArray();
        var sorted = slice.Where(float.IsFinite).Order().ToArray();
        float low = sorted.Length == 0 ? 0 : sorted[(int)(0.01 * (sorted.Length - 1))];
        float high = sorted.Length == 0 ? 1 : sorted[(int)(0.99 * (sorted.Length - 1))];
        float span = high > low ? high - low : 1;

        int w = size.X, h = size.Y;
        var rgb = new byte[w * h * 3];
        bool Inside(Volume<float>? mask, int i, int j) => mask is not null && i >= 0 && j >= 0 && i < w && j < h && mask[i, j, bestK] > 0;
        bool Edge(Volume<float>? mask, int i, int j) =>
            Inside(mask, i, j) && (!Inside(mask, i - 1, j) || !Inside(mask, i + 1, j) || !Inside(mask, i, j - 1) || !Inside(mask, i, j + 1));
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < w; i++)
            {
                // Radiological display of RAS+ boxes: patient's right on the viewer's left, anterior at the top.
                int o = 3 * ((h - 1 - j) * w + (w - 1 - i));
                float v = image[i, j, bestK];
                byte grey = (byte)Math.Clamp(float.IsFinite(v) ? 255f * (v - low) / span : 0f, 0f, 255f);
                (rgb[o], rgb[o + 1], rgb[o + 2]) = Edge(lesions, i, j) ? ((byte)230, (byte)40, (byte)40)
                    : Edge(liver, i, j) ? ((byte)255, (byte)190, (byte)0)
                    : (grey, grey, grey);
            }
        }

        string caption = string.Create(CultureInfo.InvariantCulture, $"{patientId} / {scanId}: axial slice {bestK} of {size.Z}, {bestCount} liver voxels");
        return new ImageBlock(caption, $"axial slice of scan {scanId} with the liver outlined", PngEncoder.Rgb(rgb, w, h), w * DisplayScale, h * DisplayScale);
    }

    private static double[] Numbers(CsvColumns table, string column) =>
        table.Rows.Select(r => double.TryParse(table.Cell(r, column), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN)
            .Where(double.IsFinite).Order().ToArray();

    private static string Range(double[] sorted, int decimals = 0) =>
        sorted.Length == 0 ? Format.Missing
        : $"{Format.Fixed(sorted[sorted.Length / 2], decimals)} [{Format.Fixed(sorted[0], decimals)}, {Format.Fixed(sorted[^1], decimals)}]";
}
