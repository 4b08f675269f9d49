namespace Crlm.Core.Radiomics;

/// <summary>
/// The 16 IBSI GLRLM features. Run entropy uses log base 2. Every feature of a matrix without runs (no ROI voxel) is NaN;
/// otherwise all are defined (the variances are 0 for a single level or a single run length).
/// </summary>
public static class GlrlmFeatures
{
    public const string Family = "glrlm";

    /// <summary>Feature names in output order, exactly as the IBSI manual prints them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Short runs emphasis", "Long runs emphasis", "Low grey level run emphasis", "High grey level run emphasis",
        "Short run low grey level emphasis", "Short run high grey level emphasis", "Long run low grey level emphasis",
        "Long run high grey level emphasis", "Grey level non-uniformity", "Normalised grey level non-uniformity",
        "Run length non-uniformity", "Normalised run length non-uniformity", "Run percentage", "Grey level variance",
        "Run length variance", "Run entropy",
    ];

    /// <summary>The 16 features of <paramref name="roi"/> under one IBSI aggregation.</summary>
    public static IReadOnlyList<RadiomicsFeature> Compute(DiscretisedRoi roi, TextureAggregation aggregation = TextureAggregation.Merged3D)
    {
        ArgumentNullException.ThrowIfNull(roi);
        roi.Validate();
        var values = DirectionalAggregation.Aggregate(
            roi,
            aggregation,
            Names.Count,
            (directions, slice) => GlrlmMatrix.BuildUnchecked(roi, directions, slice),
            Values);
        return TextureFeatureList.Of(Family, Names, values);
    }

    /// <summary>The 16 features of one matrix (NaN for all of them when it has no run).</summary>
    public static IReadOnlyList<RadiomicsFeature> FromMatrix(GlrlmMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return TextureFeatureList.Of(Family, Names, Values(matrix) ?? NaNs());
    }

    private static double[]? Values(GlrlmMatrix matrix) =>
        SizeMatrixStatistics.Compute(matrix.Entries(), matrix.LevelCount, matrix.VoxelCount);

    private static double[] NaNs() => Enumerable.Repeat(double.NaN, SizeMatrixStatistics.FeatureCount).ToArray();
}
