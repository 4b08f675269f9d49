using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// How the built-in radiomics encoder reads a scan: the IBSI settings that decide its numbers.
/// </summary>
/// <param name="BinWidth">Fixed bin width in the image's units (HU), IBSI "FBS".</param>
/// <param name="RangeLow">Lower end of the intensity range (the profile's HU window): the re-segmentation range's lower bound and the first bin's edge.</param>
/// <param name="RangeHigh">Upper end of the intensity range.</param>
/// <param name="Morphology">Morphology settings (the Moran's I / Geary's C voxel cap).</param>
public sealed record RadiomicsSettings(double BinWidth, double RangeLow, double RangeHigh, MorphologyOptions Morphology)
{
    /// <summary>Throws <see cref="ArgumentException"/> on a bin width that is not positive or a range that is empty.</summary>
    public void Validate()
    {
        if (!(BinWidth > 0) || !double.IsFinite(BinWidth))
        {
            throw new ArgumentException(FormattableString.Invariant($"radiomics bin width must be a positive number, got {BinWidth}"));
        }

        if (!(double.IsFinite(RangeLow) && double.IsFinite(RangeHigh) && RangeLow < RangeHigh))
        {
            throw new ArgumentException(FormattableString.Invariant($"radiomics intensity range must be finite with low < high, got [{RangeLow}, {RangeHigh}]"));
        }
    }

    /// <summary>Stable text of every setting (the settings' part of an embedding's cache key).</summary>
    public string CanonicalText() => FormattableString.Invariant(
        $"bin_width={BinWidth:R};range={RangeLow:R},{RangeHigh:R};autocorrelation_max_voxels={Morphology.SpatialAutocorrelationMaxVoxels}");
}

/// <summary>
/// Every IBSI family the built-in encoder reports, for one ROI, in a fixed order: morphology (on the ROI as drawn),
/// intensity statistics (on the re-segmented ROI's intensities), then, on the ROI discretised with a fixed bin width
/// from the range's lower end, the intensity histogram, GLCM and GLRLM (3D, merged: one matrix over the 13
/// directions, the IBSI aggregation for volumes) and GLSZM (3D, 26-connected zones).
/// </summary>
public static class RadiomicsExtractor
{
    /// <summary>The features of one ROI, in the order of <see cref="FeatureNames"/>.</summary>
    /// <exception cref="ArgumentException">Grids differ, or the ROI (after re-segmentation) is empty.</exception>
    public static IReadOnlyList<RadiomicsFeature> Extract(Volume<float> image, Volume<byte> roi, RadiomicsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var range = new ResegmentationRange(settings.RangeLow, settings.RangeHigh);
        var intensityMask = RoiIntensities.Resegment(image, roi, range);
        var discretised = Discretiser.FixedBinWidth(image, intensityMask, settings.BinWidth, settings.RangeLow);

        var features = new List<RadiomicsFeature>(160);
        features.AddRange(MorphologyFeatures.Compute(roi, image, intensityMask, settings.Morphology));
        features.AddRange(IntensityStatisticsFeatures.Compute(RoiIntensities.Extract(image, intensityMask)));
        features.AddRange(IntensityHistogramFeatures.Compute(discretised));
        features.AddRange(GlcmFeatures.Compute(discretised, TextureAggregation.Merged3D));
        features.AddRange(GlrlmFeatures.Compute(discretised, TextureAggregation.Merged3D));
        features.AddRange(GlszmFeatures.Compute(discretised, ZoneAggregation.Volume3D));
        return features;
    }

    /// <summary>"family: IBSI name" of every feature <see cref="Extract"/> returns, in its order.</summary>
    /// <remarks>
    /// Read off a small reference ROI once rather than listed by hand, so the names can never drift from what
    /// <see cref="Extract"/> returns.
    /// </remarks>
    public static IReadOnlyList<string> FeatureNames => Names.Value;

    private static readonly Lazy<IReadOnlyList<string>> Names = new(() =>
    {
        var geometry = VolumeGeometry.Axial(new Int3(6, 6, 6), new Vec3(1, 1, 1));
        var image = new Volume<float>(geometry);
        var roi = new Volume<byte>(geometry);
        for (int k = 1; k < 5; k++)
        {
            for (int j = 1; j < 5; j++)
            {
                for (int i = 1; i < 5; i++)
                {
                    roi[i, j, k] = 1;
                    image[i, j, k] = 10 * ((i + 2 * j + 3 * k) % 5);
                }
            }
        }

        return Extract(image, roi, new RadiomicsSettings(10, 0, 100, MorphologyOptions.Default))
            .Select(f => f.Family + ": " + f.Name)
            .ToArray();
    });
}
