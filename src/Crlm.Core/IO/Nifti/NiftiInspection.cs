using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// What <c>crlm inspect</c> reports about a NIfTI file: grid, affine (as nibabel gives it), datatype, value
/// statistics and, for label maps, the voxel count per label. Built by <see cref="Inspect"/> in one
/// streaming pass over the data (memory stays one chunk, whatever the image size).
/// </summary>
/// <remarks>
/// <para>Min, Max and Mean are over every voxel after scl_slope/scl_inter scaling, in float64; as in
/// numpy, a NaN voxel makes them NaN (see <see cref="NanCount"/>).</para>
/// <para>Labels rule: present when the stored datatype is an integer type, the header applies no scaling
/// (slope absent, or exactly 1 with intercept 0), and the image holds at most <see cref="MaxLabelCount"/>
/// distinct values; null otherwise (a CT in HU has thousands of distinct values).</para>
/// </remarks>
public sealed record NiftiInspection
{
    /// <summary>Most distinct values an image may hold and still be reported as a label map.</summary>
    public const int MaxLabelCount = 256;

    public required string Path { get; init; }

    /// <summary>"NIfTI-1" or "NIfTI-2".</summary>
    public required string Format { get; init; }

    public required bool Compressed { get; init; }
    public required bool BigEndian { get; init; }
    public required long VoxOffset { get; init; }
    public required int ExtensionCount { get; init; }

    /// <summary>[x, y, z] voxel counts.</summary>
    public required int[] Dims { get; init; }

    /// <summary>[sx, sy, sz] in mm: the lengths of the affine's first three columns.</summary>
    public required double[] Spacing { get; init; }

    /// <summary>4x4 voxel-to-world RAS+ affine, row-major, as nibabel's <c>img.affine</c>.</summary>
    public required double[][] Affine { get; init; }

    /// <summary>"sform", "qform" or "pixdim": which header fields the affine came from.</summary>
    public required string AffineSource { get; init; }

    /// <summary>numpy dtype name of the stored values, e.g. "int16".</summary>
    public required string Datatype { get; init; }

    public required double Min { get; init; }
    public required double Max { get; init; }
    public required double Mean { get; init; }
    public required long NanCount { get; init; }

    /// <summary>Effective (slope, intercept), or null when the header applies none (or the identity, slope 1 and intercept 0).</summary>
    public (double Slope, double Inter)? Scaling { get; init; }

    /// <summary>Value → voxel count in ascending value order, or null (see the type's remarks for the rule).</summary>
    public IReadOnlyDictionary<long, long>? Labels { get; init; }

    /// <summary>Axis codes as nibabel's <c>aff2axcodes</c>, e.g. "RAS", or "LAS" when x runs right to left.</summary>
    public required string Orientation { get; init; }

    public required short QformCode { get; init; }
    public required short SformCode { get; init; }

    /// <summary>Reads the header and streams the voxel data once.</summary>
    public static NiftiInspection Inspect(string path)
    {
        using var source = NiftiSource.Open(path);
        return Inspect(source);
    }

    /// <summary>As <see cref="Inspect(string)"/> from a seekable stream; <paramref name="name"/> appears in errors.</summary>
    internal static NiftiInspection Inspect(Stream stream, string name)
    {
        using var source = NiftiSource.Open(stream, name, ownsStream: false);
        return Inspect(source);
    }

    private static NiftiInspection Inspect(NiftiSource source)
    {
        string path = source.Path;
        var h = source.Header;
        // Statistics stream one chunk at a time, so only the file-size checks apply, not the buffer cap.
        source.CheckDataSize(long.MaxValue);
        var affine = h.Affine();
        var scaling = h.Scaling();
        bool identity = scaling is null or { Slope: 1, Inter: 0 };
        var stats = new NiftiValueStatistics(identity ? null : scaling, countLabels: h.IsIntegerType && identity);
        NiftiVoxelDecoder.Decode(source, stats);

        var rows = new double[4][];
        for (int r = 0; r < 4; r++)
        {
            rows[r] = [affine[r, 0], affine[r, 1], affine[r, 2], affine[r, 3]];
        }

        var spacing = new double[3];
        for (int c = 0; c < 3; c++)
        {
            spacing[c] = Math.Sqrt(affine[0, c] * affine[0, c] + affine[1, c] * affine[1, c] + affine[2, c] * affine[2, c]);
        }

        return new NiftiInspection
        {
            Path = path,
            Format = $"NIfTI-{h.Version}",
            Compressed = source.IsGzip,
            BigEndian = h.IsBigEndian,
            VoxOffset = h.VoxOffset,
            ExtensionCount = h.Extensions.Count,
            Dims = [h.Size.X, h.Size.Y, h.Size.Z],
            Spacing = spacing,
            Affine = rows,
            AffineSource = h.AffineSource,
            Datatype = h.DtypeName,
            Min = stats.Min,
            Max = stats.Max,
            Mean = stats.Mean,
            NanCount = stats.NanCount,
            Scaling = identity ? null : scaling,
            Labels = stats.Labels(),
            Orientation = AxisCodes(affine),
            QformCode = h.QformCode,
            SformCode = h.SformCode,
        };
    }

    /// <summary>
    /// For each voxel axis, the world axis its column points along most, signed (R/L, A/P, S/I). Equals
    /// nibabel's <c>aff2axcodes</c> for the orthogonal grids we accept; computed on the raw affine so a
    /// sheared file can still be inspected.
    /// </summary>
    internal static string AxisCodes(double[,] affine)
    {
        var codes = new char[3];
        for (int c = 0; c < 3; c++)
        {
            int best = 0;
            for (int r = 1; r < 3; r++)
            {
                if (Math.Abs(affine[r, c]) > Math.Abs(affine[best, c]))
                {
                    best = r;
                }
            }

            codes[c] = affine[best, c] >= 0 ? "RAS"[best] : "LPI"[best];
        }

        return new string(codes);
    }

    /// <summary>
    /// One JSON object with the keys dims, spacing, affine, datatype, min, max, mean, labels (object keyed by
    /// the value as a string, or null), orientation, qform_code, sform_code. Non-finite numbers are null.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("dims");
            foreach (int d in Dims)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            WriteArray(w, "spacing", Spacing);
            w.WriteStartArray("affine");
            foreach (var row in Affine)
            {
                WriteArray(w, null, row);
            }

            w.WriteEndArray();
            w.WriteString("datatype", Datatype);
            WriteNumber(w, "min", Min);
            WriteNumber(w, "max", Max);
            WriteNumber(w, "mean", Mean);
            if (Labels is null)
            {
                w.WriteNull("labels");
            }
            else
            {
                w.WriteStartObject("labels");
                foreach (var (value, count) in Labels)
                {
                    w.WriteNumber(value.ToString(CultureInfo.InvariantCulture), count);
                }

                w.WriteEndObject();
            }

            w.WriteString("orientation", Orientation);
            w.WriteNumber("qform_code", QformCode);
            w.WriteNumber("sform_code", SformCode);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter w, string? name, double[] values)
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (double v in values)
        {
            WriteNumberValue(w, v);
        }

        w.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteNumberValue(w, value);
    }

    private static void WriteNumberValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    /// <summary>A human-readable multi-line summary.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"File:         {Path}");
        sb.AppendLine(inv, $"Format:       {Format}{(Compressed ? " (gzip)" : "")}, {(BigEndian ? "big" : "little")}-endian, " +
            $"vox_offset {VoxOffset}, {ExtensionCount} extension(s)");
        sb.AppendLine(inv, $"Dims:         {Dims[0]} x {Dims[1]} x {Dims[2]}");
        sb.AppendLine(inv, $"Spacing:      {Spacing[0]:G6} x {Spacing[1]:G6} x {Spacing[2]:G6} mm");
        sb.AppendLine(inv, $"Datatype:     {Datatype}{(Scaling is { } s ? $" (scaled: x {s.Slope:G6} + {s.Inter:G6})" : "")}");
        sb.AppendLine(inv, $"Orientation:  {Orientation} (affine from {AffineSource}; qform_code {QformCode}, sform_code {SformCode})");
        for (int r = 0; r < 4; r++)
        {
            sb.Append(r == 0 ? "Affine:      " : "             ");
            foreach (double v in Affine[r])
            {
                // "+ 0.0" shows IEEE negative zero (common in flipped affines) as 0.
                sb.Append(inv, $" {v + 0.0,12:G6}");
            }

            sb.AppendLine();
        }

        sb.AppendLine(inv, $"Values:       min {Min:G8}, max {Max:G8}, mean {Mean:G8}{(NanCount > 0 ? $", {NanCount} NaN voxel(s)" : "")}");
        if (Labels is null)
        {
            sb.AppendLine("Labels:       none (not an unscaled integer image with <= 256 distinct values)");
        }
        else
        {
            sb.AppendLine(inv, $"Labels:       {Labels.Count} distinct value(s)");
            foreach (var (value, count) in Labels)
            {
                sb.AppendLine(inv, $"  {value,6}: {count} voxel(s)");
            }
        }

        return sb.ToString();
    }
}
