namespace Crlm.Core.Radiomics;

/// <summary>
/// The 16 IBSI GLSZM features. Zone size entropy uses log base 2. Every feature of a matrix without zones (no ROI
/// voxel) is NaN; otherwise all are defined.
/// </summary>
public static class GlszmFeatures
{
    public const string Family = "glszm";

    /// <summary>Feature names in output order, exactly as the IBSI manual prints them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Small zone emphasis", "Large zone emphasis", "Low grey level zone emphasis", "High grey level zone emphasis",
        "Small zone low grey level emphasis", "Small zone high grey level emphasis", "Large zone low grey level emphasis",
        "Large zone high grey level emphasis", "Grey level non-uniformity", "Normalised grey level non-uniformity",
        "Zone size non-uniformity", "Normalised zone size non-uniformity", "Zone percentage", "Grey level variance",
        "Zone size variance", "Zone size entropy",
    ];

    /// <summary>The 16 features of <paramref name="roi"/> under one IBSI aggregation.</summary>
    public static IReadOnlyList<RadiomicsFeature> Compute(DiscretisedRoi roi, ZoneAggregation aggregation = ZoneAggregation.Volume3D)
    {
        ArgumentNullException.ThrowIfNull(roi);
        roi.Validate();
        var scratch = new ZoneScratch(roi.Levels.Length);
        var averager = new FeatureAverager(Names.Count);
        switch (aggregation)
        {
            case ZoneAggregation.PerSlice2D:
                for (int k = 0; k < roi.Size.Z; k++)
                {
                    averager.Add(Values(GlszmMatrix.BuildUnchecked(roi, ZoneConnectivity.InPlane8, k, scratch)));
                }

                break;
            case ZoneAggregation.Merged25D:
                averager.Add(Values(GlszmMatrix.BuildUnchecked(roi, ZoneConnectivity.InPlane8, null, scratch)));
                break;
            case ZoneAggregation.Volume3D:
                averager.Add(Values(GlszmMatrix.BuildUnchecked(roi, ZoneConnectivity.Volume26, null, scratch)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null);
        }

        return TextureFeatureList.Of(Family, Names, averager.Mean());
    }

    /// <summary>The 16 features of one matrix (NaN for all of them when it has no zone).</summary>
    public static IReadOnlyList<RadiomicsFeature> FromMatrix(GlszmMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return TextureFeatureList.Of(Family, Names, Values(matrix) ?? Enumerable.Repeat(double.NaN, Names.Count).ToArray());
    }

    private static double[]? Values(GlszmMatrix matrix) =>
        SizeMatrixStatistics.Compute(matrix.EntrySpan, matrix.LevelCount, matrix.VoxelCount);
}
