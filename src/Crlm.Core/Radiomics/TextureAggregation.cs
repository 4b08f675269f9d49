namespace Crlm.Core.Radiomics;

/// <summary>
/// IBSI ways to turn the directional matrices of GLCM and GLRLM into one feature value (IBSI chapter 1, "feature
/// aggregation"). "Averaged" computes features per matrix and averages them; "merged" sums the counts of the matrices
/// first and computes features once.
/// </summary>
public enum TextureAggregation
{
    /// <summary>"2D, averaged" (BTW3): one matrix per slice and in-plane direction, features averaged over all of them.</summary>
    Averaged2D,

    /// <summary>"2D, slice-merged" (SUJT): the 4 in-plane directions merged per slice, features averaged over slices.</summary>
    SliceMerged2D,

    /// <summary>"2.5D, direction-merged" (JJUI): each in-plane direction merged over slices, features averaged over directions.</summary>
    DirectionMerged25D,

    /// <summary>"2.5D, merged" (ZW7Z): every in-plane direction of every slice in one matrix.</summary>
    Merged25D,

    /// <summary>"3D, averaged" (ITBB): one matrix per 3D direction (13), features averaged.</summary>
    Averaged3D,

    /// <summary>"3D, merged" (IAZD): the 13 direction matrices summed into one; the encoder's default.</summary>
    Merged3D,
}

/// <summary>IBSI aggregations of the zone family (GLSZM): zones have no direction, so only the slice handling differs.</summary>
public enum ZoneAggregation
{
    /// <summary>"2D" (8QNN): 8-connected zones per slice, features averaged over slices.</summary>
    PerSlice2D,

    /// <summary>"2.5D" (62GR): 8-connected zones of all slices in one matrix.</summary>
    Merged25D,

    /// <summary>"3D" (KOBO): 26-connected zones in the volume; the encoder's default.</summary>
    Volume3D,
}

/// <summary>The names the IBSI reference tables use for the aggregations.</summary>
public static class TextureAggregationNames
{
    public static string IbsiName(this TextureAggregation aggregation) => aggregation switch
    {
        TextureAggregation.Averaged2D => "2D, averaged",
        TextureAggregation.SliceMerged2D => "2D, slice-merged",
        TextureAggregation.DirectionMerged25D => "2.5D, direction-merged",
        TextureAggregation.Merged25D => "2.5D, merged",
        TextureAggregation.Averaged3D => "3D, averaged",
        TextureAggregation.Merged3D => "3D, merged",
        _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
    };

    public static string IbsiName(this ZoneAggregation aggregation) => aggregation switch
    {
        ZoneAggregation.PerSlice2D => "2D",
        ZoneAggregation.Merged25D => "2.5D",
        ZoneAggregation.Volume3D => "3D",
        _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
    };
}
