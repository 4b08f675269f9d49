using System.Globalization;
using System.Text;
using System.Text.Json;
using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.IO;

namespace Crlm.Core.Synthetic;

/// <summary>Writes the cohort-level files (manifest.csv, truth.json) atomically and byte-stably.</summary>
internal static class CohortFiles
{
    public const string ManifestName = "manifest.csv";
    public const string TruthName = "truth.json";

    public static void WriteManifest(string path, IEnumerable<ManifestRow> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', CohortManifest.RequiredColumns)).Append('\n');
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.PatientId},{r.ScanId},{r.Site},{r.Phase.Name()},{r.Label.Name()},")
                .Append(CultureInfo.InvariantCulture, $"{r.Image},{r.LiverMask},{r.LesionMask},{(r.LesionsComplete ? "true" : "false")},")
                .Append(CultureInfo.InvariantCulture, $"{r.Age},{r.Sex.Code()}\n");
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static void WriteTruth(string path, SyntheticCohortOptions options, IEnumerable<ScanTruth> scans)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("generator", "Crlm.Core.Synthetic");
            json.WriteNumber("format_version", 1);
            json.WriteString("world", "RAS+ mm (nibabel convention); voxel indices are (i, j, k) of the stored NIfTI array");
            json.WriteNumber("seed", options.Seed);
            json.WriteNumber("patients", options.Patients);
            json.WriteString("size", options.Size == SyntheticSize.Small ? "small" : "paper");
            json.WriteStartObject("difficulty");
            json.WriteNumber("lesion_contrast_scale", options.Difficulty.LesionContrastScale);
            json.WriteNumber("noise_scale", options.Difficulty.NoiseScale);
            json.WriteNumber("lesion_size_scale", options.Difficulty.LesionSizeScale);
            json.WriteEndObject();
            json.WriteStartArray("scans");
            foreach (var scan in scans)
            {
                WriteScan(json, scan);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void WriteScan(Utf8JsonWriter json, ScanTruth scan)
    {
        json.WriteStartObject();
        json.WriteString("scan_id", scan.ScanId);
        json.WriteString("patient_id", scan.PatientId);
        json.WriteString("site", scan.Site);
        json.WriteString("phase", scan.Phase.Name());
        json.WriteString("label", scan.Label.Name());
        json.WriteBoolean("lesions_complete", scan.LesionsComplete);
        json.WriteString("image", scan.Image);
        json.WriteString("storage_axes", scan.StorageAxes);
        json.WriteStartArray("lesions");
        foreach (var l in scan.Lesions)
        {
            json.WriteStartObject();
            json.WriteNumber("id", l.Id);
            json.WriteString("type", KindName(l.Kind));
            json.WriteBoolean("annotated", l.Annotated);
            json.WriteNumber("mask_label", l.MaskLabel);
            Triple(json, "centre_world_mm", l.CentreWorldMm, 2);
            Triple(json, "centre_voxel", l.CentreVoxel, 2);
            Triple(json, "bbox_min_voxel", l.BoxMinVoxel);
            Triple(json, "bbox_max_voxel", l.BoxMaxVoxel);
            Triple(json, "bbox_min_world_mm", l.BoxMinWorldMm, 2);
            Triple(json, "bbox_max_world_mm", l.BoxMaxWorldMm, 2);
            json.WriteNumber("voxels", l.Voxels);
            json.WriteNumber("volume_cm3", Math.Round(l.VolumeCm3, 4));
            json.WriteNumber("nominal_volume_cm3", Math.Round(l.NominalVolumeCm3, 4));
            json.WriteBoolean("rim", l.Rim);
            json.WriteBoolean("necrotic", l.Necrotic);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string KindName(SyntheticLesionKind kind) => kind switch
    {
        SyntheticLesionKind.Metastasis => "metastasis",
        SyntheticLesionKind.Cyst => "cyst",
        SyntheticLesionKind.Haemangioma => "haemangioma",
        _ => "mimic",
    };

    private static void Triple(Utf8JsonWriter json, string name, Vec3 v, int digits)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(Math.Round(v.X, digits));
        json.WriteNumberValue(Math.Round(v.Y, digits));
        json.WriteNumberValue(Math.Round(v.Z, digits));
        json.WriteEndArray();
    }

    private static void Triple(Utf8JsonWriter json, string name, Int3 v)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(v.X);
        json.WriteNumberValue(v.Y);
        json.WriteNumberValue(v.Z);
        json.WriteEndArray();
    }
}
