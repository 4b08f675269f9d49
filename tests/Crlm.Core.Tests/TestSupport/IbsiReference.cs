using System.Globalization;
using Crlm.Core.Imaging;
using Crlm.Core.Radiomics;

namespace Crlm.Core.Tests.TestSupport;

/// <summary>One IBSI reference value: the manual's number and its tolerance.</summary>
public sealed record IbsiValue(string Family, string Feature, string Aggregation, double Value, double Tolerance)
{
    /// <summary>True when <paramref name="computed"/> is within the manual's tolerance (plus half a unit of the printed last digit when the tolerance is 0).</summary>
    public bool Accepts(double computed) => Math.Abs(computed - Value) <= AllowedError;

    /// <summary>
    /// MIRP's rule for the CT phantom (oncoray/mirp test/ibsi_1_test.py, by the IBSI lead author): round the computed
    /// value to 3 significant digits, as the reference values were, then compare within the tolerance.
    /// </summary>
    public bool AcceptsAfterRounding(double computed) =>
        computed == 0 || !double.IsFinite(computed)
            ? Accepts(computed)
            : Math.Abs(RoundToSignificant(computed) - Value) <= AllowedError * (1 + 1e-9); // 1e-9: 0.318 - 0.319 is not exactly 0.001 in binary

    private static double RoundToSignificant(double x)
    {
        double scale = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(x))) - 2);
        return Math.Round(x / scale, MidpointRounding.AwayFromZero) * scale;
    }

    /// <summary>The tolerance, or, where the manual prints 0, half a unit of the value's third significant digit (it prints three).</summary>
    public double AllowedError => Tolerance > 0 ? Tolerance : Value == 0 ? 5e-4 : 0.5 * Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(Value))) - 2);
}

/// <summary>
/// The IBSI chapter 1 reference data in ../shared/data/ibsi (digital phantom voxels and reference values). Tests
/// that use it are skipped with <see cref="MissingReason"/> when the folder is absent (a user's clone).
/// </summary>
public static class IbsiReference
{
    public const string MissingReason = "../shared/data/ibsi is absent (a user clone has none); CI has it";

    /// <summary>../shared/data/ibsi, or null when it does not exist.</summary>
    public static string? Directory { get; } = SharedData.RepoRoot is { } root && System.IO.Directory.Exists(Path.Combine(root, "..", "shared", "data", "ibsi"))
        ? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "ibsi"))
        : null;

    public static bool IsAvailable => Directory is not null;

    /// <summary>The digital phantom (5 x 4 x 4 voxels of 2 x 2 x 2 mm, grey levels 1..6 as they are) as a discretised ROI.</summary>
    public static DiscretisedRoi DigitalPhantom()
    {
        var rows = CsvRows(Path.Combine(Require(), "digital_phantom", "phantom_voxels.csv"));
        var size = new Int3(5, 4, 4);
        var levels = new int[size.Product];
        foreach (var row in rows)
        {
            int i = int.Parse(row["i_x"], CultureInfo.InvariantCulture);
            int j = int.Parse(row["j_y"], CultureInfo.InvariantCulture);
            int k = int.Parse(row["k_z"], CultureInfo.InvariantCulture);
            int grey = int.Parse(row["grey_level"], CultureInfo.InvariantCulture);
            bool inRoi = row["in_roi"] == "1";
            levels[i + size.X * (j + size.Y * k)] = inRoi ? grey : 0;
        }

        return new DiscretisedRoi(size, new Vec3(2, 2, 2), levels, LevelCount: 6);
    }

    /// <summary>The phantom's grey levels with the ROI as a separate mask (for intensity and morphology features).</summary>
    public static (Volume<float> Image, Volume<byte> Mask) DigitalPhantomVolumes()
    {
        var rows = CsvRows(Path.Combine(Require(), "digital_phantom", "phantom_voxels.csv"));
        var geometry = VolumeGeometry.Axial(new Int3(5, 4, 4), new Vec3(2, 2, 2));
        var image = new Volume<float>(geometry);
        var mask = new Volume<byte>(geometry);
        foreach (var row in rows)
        {
            int i = int.Parse(row["i_x"], CultureInfo.InvariantCulture);
            int j = int.Parse(row["j_y"], CultureInfo.InvariantCulture);
            int k = int.Parse(row["k_z"], CultureInfo.InvariantCulture);
            image[i, j, k] = float.Parse(row["grey_level"], CultureInfo.InvariantCulture);
            mask[i, j, k] = row["in_roi"] == "1" ? (byte)1 : (byte)0;
        }

        return (image, mask);
    }

    /// <summary>Digital-phantom reference values of one family (e.g. "glcm"), with their aggregation ("3D, merged", "" for none).</summary>
    public static IReadOnlyList<IbsiValue> DigitalPhantomValues(string family) =>
        CsvRows(Path.Combine(Require(), "reference_values", "ibsi1_digital_phantom_reference_values.csv"))
            .Where(r => r["family"] == family && r["value"] is not ("" or "—"))
            .Select(r => new IbsiValue(r["family"], r["feature"], r["aggregation"], ParseNumber(r["value"]), r["tolerance"] is "" or "—" ? 0 : ParseNumber(r["tolerance"])))
            .ToList();

    /// <summary>CT-phantom reference values of one configuration ("A".."E") and family, rows without a value left out.</summary>
    public static IReadOnlyList<IbsiValue> CtPhantomValues(string config, string family) =>
        CsvRows(Path.Combine(Require(), "reference_values", "ibsi1_ct_phantom_reference_values.csv"))
            .Where(r => r["config"] == config && r["family"] == family && r["value"] is not ("" or "—"))
            .Select(r => new IbsiValue(r["family"], r["feature"], r["aggregation"], ParseNumber(r["value"]), r["tolerance"] is "" or "—" ? 0 : ParseNumber(r["tolerance"])))
            .ToList();

    /// <summary>The CT phantom (PAT1) image, rounded to whole HU as the IBSI manual asks, and its GTV mask.</summary>
    public static (Volume<float> Image, Volume<byte> Mask) CtPhantomVolumes()
    {
        var folder = Path.Combine(Require(), "ct_phantom", "nifti");
        var image = Crlm.Core.IO.Nifti.NiftiReader.Read<float>(Path.Combine(folder, "image", "phantom.nii.gz")).Map(x => MathF.Round(x));
        var mask = Crlm.Core.IO.Nifti.NiftiReader.Read<float>(Path.Combine(folder, "mask", "mask.nii.gz")).Map(x => x >= 0.5f ? (byte)1 : (byte)0);
        return (image, mask);
    }

    /// <summary>One reference value, by family, feature name as the manual prints it and aggregation.</summary>
    public static IbsiValue DigitalPhantomValue(string family, string feature, string aggregation = "") =>
        DigitalPhantomValues(family).SingleOrDefault(v => v.Feature == feature && v.Aggregation == aggregation)
        ?? throw new KeyNotFoundException($"no IBSI digital-phantom value for {family} / '{feature}' / '{aggregation}'");

    private static double ParseNumber(string text) => double.Parse(text.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Require() => Directory ?? throw new InvalidOperationException(MissingReason);

    /// <summary>Rows of a small CSV with a header; handles double-quoted fields with commas.</summary>
    private static List<Dictionary<string, string>> CsvRows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = SplitCsvLine(lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var cells = SplitCsvLine(line);
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < header.Count; c++)
            {
                row[header[c]] = c < cells.Count ? cells[c] : "";
            }

            return row;
        }).ToList();
    }

    private static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}

/// <summary>A fact skipped, with <see cref="IbsiReference.MissingReason"/>, when ../shared/data/ibsi is absent.</summary>
public sealed class RequiresIbsiFactAttribute : FactAttribute
{
    public RequiresIbsiFactAttribute()
    {
        if (!IbsiReference.IsAvailable)
        {
            Skip = IbsiReference.MissingReason;
        }
    }
}
