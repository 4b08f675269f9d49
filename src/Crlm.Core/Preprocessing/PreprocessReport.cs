using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// What one preprocessed scan looks like, with the same keys and meanings as the JSON line of
/// ../shared/peers/preprocess.py (so the two can be compared field by field), plus the stored orientation,
/// the output affine, the lesion voxel count and the warnings. Deterministic: no timings.
/// </summary>
public sealed record PreprocessReport
{
    [JsonPropertyName("backend")] public string Backend { get; init; } = "crlm";

    /// <summary>"zoom" or "exact".</summary>
    [JsonPropertyName("resample")] public required string Resample { get; init; }

    /// <summary>Canonical (RAS) shape of the input.</summary>
    [JsonPropertyName("input_shape")] public required int[] InputShape { get; init; }

    /// <summary>Canonical voxel spacing of the input (nibabel's get_zooms of the canonical image).</summary>
    [JsonPropertyName("input_spacing")] public required double[] InputSpacing { get; init; }

    /// <summary>Orientation of the stored input, e.g. "LPS" (the peer does not report it).</summary>
    [JsonPropertyName("input_axcodes")] public required string InputAxcodes { get; init; }

    [JsonPropertyName("canonical_axcodes")] public string CanonicalAxcodes { get; init; } = "RAS";

    [JsonPropertyName("resampled_shape")] public required int[] ResampledShape { get; init; }

    [JsonPropertyName("target_spacing")] public required double[] TargetSpacing { get; init; }

    /// <summary>Actual output spacing: lengths of the output affine's columns (zoom mode: close to the target).</summary>
    [JsonPropertyName("spacing")] public required double[] Spacing { get; init; }

    /// <summary>The output box.</summary>
    [JsonPropertyName("shape")] public required int[] Shape { get; init; }

    /// <summary>Liver bounding box on the resampled grid, inclusive; null when the mask is empty.</summary>
    [JsonPropertyName("liver_bbox_lo")] public int[]? LiverBboxLo { get; init; }

    [JsonPropertyName("liver_bbox_hi")] public int[]? LiverBboxHi { get; init; }

    /// <summary>Resampled voxel that becomes output voxel (0, 0, 0); negative or past the end means padding.</summary>
    [JsonPropertyName("crop_start")] public required int[] CropStart { get; init; }

    [JsonPropertyName("window")] public required double[] Window { get; init; }

    [JsonPropertyName("normalisation")] public required NormalisationReport Normalisation { get; init; }

    /// <summary>Mean, population std, min and max of the output image.</summary>
    [JsonPropertyName("mean")] public required double Mean { get; init; }

    [JsonPropertyName("std")] public required double Std { get; init; }

    [JsonPropertyName("min")] public required double Min { get; init; }

    [JsonPropertyName("max")] public required double Max { get; init; }

    /// <summary>Liver voxels inside the output box.</summary>
    [JsonPropertyName("liver_voxels")] public required long LiverVoxels { get; init; }

    /// <summary>Lesion voxels inside the output box; null without a lesion mask.</summary>
    [JsonPropertyName("lesion_voxels")] public long? LesionVoxels { get; init; }

    /// <summary>Output voxel-to-world (RAS+ mm) affine, 4 rows of 4.</summary>
    [JsonPropertyName("affine")] public required double[][] Affine { get; init; }

    [JsonPropertyName("warnings")] public IReadOnlyList<string> Warnings { get; init; } = [];

    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? IndentedOptions : CompactOptions);

    public static PreprocessReport FromJson(string json) =>
        JsonSerializer.Deserialize<PreprocessReport>(json, CompactOptions) ?? throw new JsonException("the report is empty (null)");

    // NaN stays representable: a scan with NaN voxels must still produce a readable report.
    private static readonly JsonSerializerOptions CompactOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static readonly JsonSerializerOptions IndentedOptions = new(CompactOptions) { WriteIndented = true };
}

/// <summary>The peer's "normalisation" object: the method, and for a z-score the μ and σ used and over what.</summary>
public sealed record NormalisationReport
{
    /// <summary>"zscore", "minmax" or "none".</summary>
    [JsonPropertyName("method")] public required string Method { get; init; }

    [JsonPropertyName("mean")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mean { get; init; }

    [JsonPropertyName("std")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Std { get; init; }

    /// <summary>"liver", or "all" when the box holds no liver voxel.</summary>
    [JsonPropertyName("over")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Over { get; init; }
}
