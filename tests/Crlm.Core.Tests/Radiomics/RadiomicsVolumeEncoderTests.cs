using Crlm.Core.Embedding;
using Crlm.Core.Imaging;
using Crlm.Core.Radiomics;

namespace Crlm.Core.Tests.Radiomics;

/// <summary>The built-in radiomics encoder: every family in a fixed order, its settings in its identity, undefined features handled.</summary>
public sealed class RadiomicsVolumeEncoderTests
{
    private static readonly RadiomicsSettings Settings = new(10, -37, 171, MorphologyOptions.Default);

    /// <summary>A 24³ box with a noisy ellipsoidal "liver" of about 60 HU and a darker "lesion" inside it.</summary>
    private static EncoderInput Liver(int seed, double lesionHu = 20)
    {
        var geometry = VolumeGeometry.Axial(new Int3(24, 24, 24), new Vec3(2, 2, 5));
        var image = new Volume<float>(geometry);
        var liver = new Volume<byte>(geometry);
        var random = new Random(seed);
        for (int k = 0; k < 24; k++)
        {
            for (int j = 0; j < 24; j++)
            {
                for (int i = 0; i < 24; i++)
                {
                    double r = Math.Pow((i - 12) / 9.0, 2) + Math.Pow((j - 11) / 7.0, 2) + Math.Pow((k - 12) / 8.0, 2);
                    bool inLiver = r <= 1;
                    bool inLesion = Math.Pow(i - 14, 2) + Math.Pow(j - 11, 2) + Math.Pow(k - 12, 2) <= 9;
                    double hu = inLiver ? (inLesion ? lesionHu : 60) + 12 * (random.NextDouble() - 0.5) : -37;
                    image[i, j, k] = (float)Math.Clamp(hu, -37, 171);
                    liver[i, j, k] = inLiver ? (byte)1 : (byte)0;
                }
            }
        }

        return new EncoderInput(image, liver);
    }

    [Fact]
    public void Names_cover_every_family_once_in_a_fixed_order_and_match_the_dimension()
    {
        using var encoder = new RadiomicsVolumeEncoder(Settings);
        var names = encoder.FeatureNames!;
        Assert.Equal(encoder.Dimension, names.Count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        string[] families = names.Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)]).Distinct().ToArray();
        Assert.Equal(["morphology", "intensity_statistics", "intensity_histogram", "glcm", "glrlm", "glszm"], families);
        Assert.Equal(25 + 18 + 23 + 25 + 16 + 16, names.Count);
        Assert.Contains("glcm: Joint entropy", names);
        Assert.Contains("morphology: Sphericity", names);
    }

    [Fact]
    public void The_vector_is_the_families_own_values_in_order()
    {
        var scan = Liver(1);
        using var encoder = new RadiomicsVolumeEncoder(Settings);
        float[] vector = encoder.Encode([scan])[0];

        var intensityMask = RoiIntensities.Resegment(scan.Image, scan.Liver, new ResegmentationRange(-37, 171));
        var roi = Discretiser.FixedBinWidth(scan.Image, intensityMask, 10, -37);
        var expected = MorphologyFeatures.Compute(scan.Liver, scan.Image, intensityMask)
            .Concat(IntensityStatisticsFeatures.Compute(scan.Image, intensityMask))
            .Concat(IntensityHistogramFeatures.Compute(roi))
            .Concat(GlcmFeatures.Compute(roi, TextureAggregation.Merged3D))
            .Concat(GlrlmFeatures.Compute(roi, TextureAggregation.Merged3D))
            .Concat(GlszmFeatures.Compute(roi, ZoneAggregation.Volume3D))
            .Select(f => (float)f.Value)
            .ToArray();
        Assert.Equal(expected, vector);
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Encoding_is_deterministic_and_sees_a_lesion()
    {
        using var encoder = new RadiomicsVolumeEncoder(Settings);
        var first = encoder.Encode([Liver(3), Liver(3, lesionHu: 60)]);
        var again = encoder.Encode([Liver(3)]);
        Assert.Equal(first[0], again[0]);

        int mean = encoder.FeatureNames!.ToList().IndexOf("intensity_statistics: Mean intensity");
        Assert.True(first[0][mean] < first[1][mean] - 1, $"a 40 HU darker lesion lowers the liver mean: {first[0][mean]} vs {first[1][mean]}");
    }

    [Fact]
    public void Settings_are_part_of_the_identity()
    {
        using var a = new RadiomicsVolumeEncoder(Settings);
        using var b = new RadiomicsVolumeEncoder(Settings with { BinWidth = 25 });
        using var c = new RadiomicsVolumeEncoder(Settings with { RangeLow = -50 });
        using var same = new RadiomicsVolumeEncoder(Settings);
        Assert.Equal(a.Identity, same.Identity);
        Assert.NotEqual(a.Identity, b.Identity);
        Assert.NotEqual(a.Identity, c.Identity);
    }

    [Fact]
    public void An_undefined_feature_is_written_as_zero_and_reported()
    {
        // One grey level: GLCM correlation has a zero standard deviation, so it is undefined.
        var geometry = VolumeGeometry.Axial(new Int3(8, 8, 8), new Vec3(1, 1, 1));
        var image = new Volume<float>(geometry);
        var liver = new Volume<byte>(geometry);
        for (int k = 2; k < 6; k++)
        {
            for (int j = 2; j < 6; j++)
            {
                for (int i = 2; i < 6; i++)
                {
                    liver[i, j, k] = 1;
                    image[i, j, k] = 50;
                }
            }
        }

        using var encoder = new RadiomicsVolumeEncoder(Settings);
        float[] vector = encoder.Encode([new EncoderInput(image, liver)])[0];
        int correlation = encoder.FeatureNames!.ToList().IndexOf("glcm: Correlation");
        Assert.Equal(0f, vector[correlation]);
        Assert.Contains(encoder.Warnings, w => w.StartsWith("'glcm: Correlation' was undefined for 1 scan(s)", StringComparison.Ordinal));
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void An_empty_liver_or_bad_settings_are_clear_errors()
    {
        var scan = Liver(1);
        using var encoder = new RadiomicsVolumeEncoder(Settings);
        var empty = new EncoderInput(scan.Image, new Volume<byte>(scan.Liver.Geometry));
        Assert.ThrowsAny<ArgumentException>(() => encoder.Encode([empty]));
        var bad = Assert.Throws<ArgumentException>(() => RadiomicsExtractor.Extract(scan.Image, scan.Liver, Settings with { BinWidth = 0 }));
        Assert.Contains("bin width must be a positive number", bad.Message, StringComparison.Ordinal);
    }
}
