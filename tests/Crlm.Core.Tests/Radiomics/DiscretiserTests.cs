using Crlm.Core.Imaging;
using Crlm.Core.Radiomics;

namespace Crlm.Core.Tests.Radiomics;

public sealed class DiscretiserTests
{
    private static (Volume<float> Image, Volume<byte> Mask) Row(float[] values, byte[]? inRoi = null)
    {
        var geometry = VolumeGeometry.Axial(new Int3(values.Length, 1, 1), new Vec3(1, 1, 1));
        return (new Volume<float>(geometry, values), new Volume<byte>(geometry, inRoi ?? Enumerable.Repeat((byte)1, values.Length).ToArray()));
    }

    [Fact]
    public void Fixed_bin_width_puts_a_value_on_a_bin_edge_into_the_upper_bin()
    {
        var (image, mask) = Row([-500f, -475.5f, -475f, -450f, 0f, 399.9f]);
        var roi = Discretiser.FixedBinWidth(image, mask, binWidth: 25, lowerBound: -500);
        Assert.Equal(new[] { 1, 1, 2, 3, 21, 36 }, roi.Levels);
        Assert.Equal(36, roi.LevelCount);
    }

    [Fact]
    public void Fixed_bin_width_without_a_lower_bound_starts_at_the_ROI_minimum_and_ignores_voxels_outside()
    {
        var (image, mask) = Row([3f, 100f, 4f, 5.5f], [1, 0, 1, 1]);
        var roi = Discretiser.FixedBinWidth(image, mask, binWidth: 1);
        Assert.Equal(new[] { 1, 0, 2, 3 }, roi.Levels);
        Assert.Equal(3, roi.LevelCount);
    }

    [Fact]
    public void Fixed_bin_number_maps_the_maximum_to_the_last_level_and_edges_upwards()
    {
        var (image, mask) = Row([0f, 2.5f, 5f, 7.49f, 10f]);
        var roi = Discretiser.FixedBinCount(image, mask, binCount: 4);
        Assert.Equal(new[] { 1, 2, 3, 3, 4 }, roi.Levels);
        Assert.Equal(4, roi.LevelCount);
    }

    [Fact]
    public void A_constant_ROI_gets_level_one_with_either_method()
    {
        var (image, mask) = Row([7f, 7f, 7f]);
        Assert.All(Discretiser.FixedBinCount(image, mask, 32).Levels, l => Assert.Equal(1, l));
        var fbw = Discretiser.FixedBinWidth(image, mask, 25);
        Assert.All(fbw.Levels, l => Assert.Equal(1, l));
        Assert.Equal(1, fbw.LevelCount);
    }

    [Fact]
    public void Resegmentation_drops_voxels_outside_the_range_inclusive_bounds_kept()
    {
        var (image, mask) = Row([-600f, -500f, 0f, 400f, 401f]);
        var values = RoiIntensities.Extract(image, mask, new ResegmentationRange(-500, 400));
        Assert.Equal(new double[] { -500, 0, 400 }, values);
    }

    [Fact]
    public void An_empty_ROI_is_a_clear_argument_error()
    {
        var (image, mask) = Row([1f, 2f], [0, 0]);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Discretiser.FixedBinCount(image, mask, 8)).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => RoiIntensities.Extract(image, mask)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Intensity_statistics_use_population_moments_and_excess_kurtosis()
    {
        var features = IntensityStatisticsFeatures.Compute([1, 2, 3, 4]).ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal(2.5, features["Mean intensity"], 12);
        Assert.Equal(1.25, features["Intensity variance"], 12);
        Assert.Equal(0, features["Intensity skewness"], 12);
        Assert.Equal(2.5625 / 1.5625 - 3, features["(Excess) intensity kurtosis"], 12);
        Assert.Equal(30, features["Intensity-based energy"], 12);
        Assert.Equal(18, features.Count);
    }
}
