using System.Globalization;
using System.Text;
using Crlm.Core.Radiomics;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Radiomics;

/// <summary>Every IBSI digital-phantom reference value of the intensity and morphology families.</summary>
public class IbsiDigitalPhantomTests
{
    [RequiresIbsiFact]
    public void Intensity_statistics_match_every_IBSI_reference_value()
    {
        var (image, mask) = IbsiReference.DigitalPhantomVolumes();
        AssertMatchesReference(IntensityStatisticsFeatures.Family, IntensityStatisticsFeatures.Compute(image, mask));
    }

    [RequiresIbsiFact]
    public void Intensity_histogram_matches_every_IBSI_reference_value()
    {
        // The phantom needs no discretisation: its levels 1..6 are used as they are (N_g = 6).
        AssertMatchesReference(IntensityHistogramFeatures.Family, IntensityHistogramFeatures.Compute(IbsiReference.DigitalPhantom()));
    }

    [RequiresIbsiFact]
    public void Fixed_bin_width_one_from_the_minimum_leaves_the_phantom_unchanged()
    {
        var (image, mask) = IbsiReference.DigitalPhantomVolumes();
        var roi = Discretiser.FixedBinWidth(image, mask, binWidth: 1);
        var expected = IbsiReference.DigitalPhantom();
        Assert.Equal(expected.LevelCount, roi.LevelCount);
        Assert.Equal(expected.Levels, roi.Levels);
    }

    [RequiresIbsiFact]
    public void Morphology_matches_every_IBSI_reference_value()
    {
        var (image, mask) = IbsiReference.DigitalPhantomVolumes();
        AssertMatchesReference(MorphologyFeatures.Family, MorphologyFeatures.Compute(mask, image));
    }

    internal static void AssertMatchesReference(string family, IReadOnlyList<RadiomicsFeature> computed, IReadOnlyList<IbsiValue>? reference = null, bool roundLikeMirp = false)
    {
        reference ??= IbsiReference.DigitalPhantomValues(family);
        Assert.NotEmpty(reference);
        var byName = computed.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var failures = new StringBuilder();
        foreach (var expected in reference)
        {
            if (!byName.TryGetValue(expected.Feature, out var feature))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{expected.Feature}: not computed (expected {expected.Value})");
            }
            else if (!(roundLikeMirp ? expected.AcceptsAfterRounding(feature.Value) : expected.Accepts(feature.Value)))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{expected.Feature}: computed {feature.Value:G6}, expected {expected.Value} ± {expected.AllowedError:G3}");
            }
        }

        Assert.All(computed, f => Assert.Equal(family, f.Family));
        Assert.True(failures.Length == 0, $"{family} features outside the IBSI tolerance:\n{failures}");
    }
}
