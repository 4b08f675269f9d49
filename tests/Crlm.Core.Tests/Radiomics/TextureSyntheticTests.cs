using Crlm.Core.Imaging;
using Crlm.Core.Radiomics;

namespace Crlm.Core.Tests.Radiomics;

/// <summary>Texture matrices and features of small patterns derived by hand, and properties any ROI must satisfy.</summary>
public sealed class TextureSyntheticTests
{
    private const double Tolerance = 1e-12;

    private static DiscretisedRoi Roi(int x, int y, int z, int levelCount, Func<int, int, int, int> level)
    {
        var levels = new int[x * y * z];
        for (int k = 0; k < z; k++)
        {
            for (int j = 0; j < y; j++)
            {
                for (int i = 0; i < x; i++)
                {
                    levels[i + (x * (j + (y * k)))] = level(i, j, k);
                }
            }
        }

        return new DiscretisedRoi(new Int3(x, y, z), new Vec3(1, 1, 1), levels, levelCount);
    }

    /// <summary>4 x 4 one-slice checkerboard of levels 1 and 2.</summary>
    private static DiscretisedRoi Checkerboard() => Roi(4, 4, 1, 2, (i, j, _) => 1 + ((i + j) % 2));

    /// <summary>Random levels 1..levelCount with about a fifth of the voxels outside the ROI; deterministic per seed.</summary>
    private static DiscretisedRoi RandomRoi(int x, int y, int z, int levelCount, int seed)
    {
        var random = new Random(seed);
        return Roi(x, y, z, levelCount, (_, _, _) => random.Next(5) == 0 ? 0 : random.Next(1, levelCount + 1));
    }

    private static double Value(IReadOnlyList<RadiomicsFeature> features, string name) => features.Single(f => f.Name == name).Value;

    [Fact]
    public void Checkerboard_glcm_along_x_pairs_only_unlike_levels()
    {
        var matrix = GlcmMatrix.Build(Checkerboard(), [new Int3(1, 0, 0)]);

        // 4 rows x 3 horizontal pairs, each counted in both orders.
        Assert.Equal(12, matrix[1, 2]);
        Assert.Equal(12, matrix[2, 1]);
        Assert.Equal(0, matrix[1, 1]);
        Assert.Equal(0, matrix[2, 2]);
        Assert.Equal(24, matrix.Total);
    }

    [Fact]
    public void Checkerboard_glcm_along_the_diagonal_pairs_only_like_levels()
    {
        var matrix = GlcmMatrix.Build(Checkerboard(), [new Int3(1, 1, 0)]);

        // 3 x 3 diagonal pairs; their start (i, j) has i + j even (level 1) 5 times and odd (level 2) 4 times.
        Assert.Equal(10, matrix[1, 1]);
        Assert.Equal(8, matrix[2, 2]);
        Assert.Equal(0, matrix[1, 2]);
    }

    [Fact]
    public void Checkerboard_glcm_features_along_x_equal_the_hand_derived_values()
    {
        // p(1,2) = p(2,1) = 1/2: mean 1.5, marginal variance 1/4, sum i j p = 2, HXY = HX = 1, HXY1 = HXY2 = 2.
        var features = GlcmFeatures.FromMatrix(GlcmMatrix.Build(Checkerboard(), [new Int3(1, 0, 0)]));

        Assert.Equal(0.5, Value(features, "Joint maximum"), Tolerance);
        Assert.Equal(1.5, Value(features, "Joint average"), Tolerance);
        Assert.Equal(0.25, Value(features, "Joint variance"), Tolerance);
        Assert.Equal(1.0, Value(features, "Joint entropy"), Tolerance);
        Assert.Equal(1.0, Value(features, "Difference average"), Tolerance);
        Assert.Equal(0.0, Value(features, "Difference variance"), Tolerance);
        Assert.Equal(0.0, Value(features, "Difference entropy"), Tolerance);
        Assert.Equal(3.0, Value(features, "Sum average"), Tolerance);
        Assert.Equal(0.5, Value(features, "Angular second moment"), Tolerance);
        Assert.Equal(1.0, Value(features, "Contrast"), Tolerance);
        Assert.Equal(0.5, Value(features, "Inverse difference"), Tolerance);
        Assert.Equal(1 / 1.5, Value(features, "Normalised inverse difference"), Tolerance);
        Assert.Equal(0.8, Value(features, "Normalised inverse difference moment"), Tolerance);
        Assert.Equal(1.0, Value(features, "Inverse variance"), Tolerance);
        Assert.Equal(-1.0, Value(features, "Correlation"), Tolerance);
        Assert.Equal(2.0, Value(features, "Autocorrelation"), Tolerance);
        Assert.Equal(0.0, Value(features, "Cluster tendency"), Tolerance);
        Assert.Equal(-1.0, Value(features, "Information correlation 1"), Tolerance);
        Assert.Equal(Math.Sqrt(1 - Math.Exp(-2)), Value(features, "Information correlation 2"), Tolerance);
    }

    [Fact]
    public void Checkerboard_runs_along_x_all_have_length_one()
    {
        var matrix = GlrlmMatrix.Build(Checkerboard(), [new Int3(1, 0, 0)]);
        Assert.Equal(8, matrix[1, 1]);
        Assert.Equal(8, matrix[2, 1]);
        Assert.Equal(16, matrix.RunCount);

        var features = GlrlmFeatures.FromMatrix(matrix);
        Assert.Equal(1.0, Value(features, "Short runs emphasis"), Tolerance);
        Assert.Equal(1.0, Value(features, "Long runs emphasis"), Tolerance);
        Assert.Equal(1.0, Value(features, "Run percentage"), Tolerance);
        Assert.Equal(8.0, Value(features, "Grey level non-uniformity"), Tolerance);
        Assert.Equal(16.0, Value(features, "Run length non-uniformity"), Tolerance);
        Assert.Equal(0.25, Value(features, "Grey level variance"), Tolerance);
        Assert.Equal(1.0, Value(features, "Run entropy"), Tolerance);
    }

    [Fact]
    public void Checkerboard_zones_join_diagonally_with_8_connectivity()
    {
        var matrix = GlszmMatrix.Build(Checkerboard(), ZoneConnectivity.InPlane8, slice: 0);

        Assert.Equal(2, matrix.ZoneCount);
        Assert.Equal(1, matrix[1, 8]);
        Assert.Equal(1, matrix[2, 8]);
    }

    [Fact]
    public void Stripes_give_full_width_runs_across_and_unit_runs_along_the_stripes_normal()
    {
        // Rows j alternate between levels 1 and 2.
        var stripes = Roi(4, 4, 1, 2, (_, j, _) => 1 + (j % 2));

        var across = GlrlmMatrix.Build(stripes, [new Int3(1, 0, 0)]);
        Assert.Equal(2, across[1, 4]);
        Assert.Equal(2, across[2, 4]);
        Assert.Equal(1.0 / 16, Value(GlrlmFeatures.FromMatrix(across), "Short runs emphasis"), Tolerance);
        Assert.Equal(16.0, Value(GlrlmFeatures.FromMatrix(across), "Long runs emphasis"), Tolerance);
        Assert.Equal(0.25, Value(GlrlmFeatures.FromMatrix(across), "Run percentage"), Tolerance);

        var normal = GlrlmMatrix.Build(stripes, [new Int3(0, 1, 0)]);
        Assert.Equal(16, normal.RunCount);
        Assert.Equal(8, normal[1, 1]);

        // Rows of one level are two apart, so every row is its own 4-voxel zone.
        var zones = GlszmMatrix.Build(stripes, ZoneConnectivity.InPlane8, slice: 0);
        Assert.Equal(2, zones[1, 4]);
        Assert.Equal(2, zones[2, 4]);
        Assert.Equal(16.0, Value(GlszmFeatures.FromMatrix(zones), "Large zone emphasis"), Tolerance);
        Assert.Equal(0.25, Value(GlszmFeatures.FromMatrix(zones), "Zone percentage"), Tolerance);
    }

    [Fact]
    public void Constant_roi_is_one_zone_and_one_run_per_line()
    {
        var constant = Roi(3, 3, 3, 4, (_, _, _) => 2);

        var zones = GlszmMatrix.Build(constant, ZoneConnectivity.Volume26);
        Assert.Equal(1, zones.ZoneCount);
        Assert.Equal(1, zones[2, 27]);
        var zoneFeatures = GlszmFeatures.Compute(constant);
        Assert.Equal(729.0, Value(zoneFeatures, "Large zone emphasis"), Tolerance);
        Assert.Equal(1.0 / 27, Value(zoneFeatures, "Zone percentage"), Tolerance);
        Assert.Equal(0.0, Value(zoneFeatures, "Grey level variance"), Tolerance);
        Assert.Equal(0.0, Value(zoneFeatures, "Zone size entropy"), Tolerance);

        var runs = GlrlmMatrix.Build(constant, [new Int3(1, 0, 0)]);
        Assert.Equal(9, runs[2, 3]);
        Assert.Equal(9, runs.RunCount);
    }

    [Fact]
    public void One_grey_level_gives_NaN_for_correlation_type_features_and_finite_values_elsewhere()
    {
        var constant = Roi(3, 3, 3, 4, (_, _, _) => 2);

        foreach (var aggregation in Enum.GetValues<TextureAggregation>())
        {
            var glcm = GlcmFeatures.Compute(constant, aggregation);
            Assert.True(double.IsNaN(Value(glcm, "Correlation")), aggregation.IbsiName());
            Assert.True(double.IsNaN(Value(glcm, "Information correlation 1")), aggregation.IbsiName());
            Assert.Equal(0.0, Value(glcm, "Information correlation 2"), Tolerance);
            Assert.Equal(1.0, Value(glcm, "Joint maximum"), Tolerance);
            Assert.Equal(0.0, Value(glcm, "Contrast"), Tolerance);
            Assert.All(glcm.Where(f => f.Name is not ("Correlation" or "Information correlation 1")), f => Assert.True(double.IsFinite(f.Value), f.Name));
            Assert.All(GlrlmFeatures.Compute(constant, aggregation), f => Assert.True(double.IsFinite(f.Value), f.Name));
        }
    }

    [Fact]
    public void Empty_roi_gives_NaN_for_every_feature_without_throwing()
    {
        var empty = Roi(3, 3, 2, 4, (_, _, _) => 0);

        foreach (var aggregation in Enum.GetValues<TextureAggregation>())
        {
            Assert.All(GlcmFeatures.Compute(empty, aggregation), f => Assert.True(double.IsNaN(f.Value), f.Name));
            Assert.All(GlrlmFeatures.Compute(empty, aggregation), f => Assert.True(double.IsNaN(f.Value), f.Name));
        }

        foreach (var aggregation in Enum.GetValues<ZoneAggregation>())
        {
            Assert.All(GlszmFeatures.Compute(empty, aggregation), f => Assert.True(double.IsNaN(f.Value), f.Name));
        }
    }

    [Fact]
    public void Glcm_is_symmetric_in_every_direction()
    {
        var roi = RandomRoi(7, 6, 5, 5, seed: 11);
        foreach (var direction in TextureDirections.Volume)
        {
            var matrix = GlcmMatrix.Build(roi, [direction]);
            for (int i = 1; i <= 5; i++)
            {
                for (int j = 1; j <= 5; j++)
                {
                    Assert.Equal(matrix[i, j], matrix[j, i]);
                }
            }
        }
    }

    [Fact]
    public void Rotating_a_2D_pattern_by_90_degrees_leaves_direction_averaged_2D_features_unchanged()
    {
        const int width = 7, height = 5;
        var original = RandomRoi(width, height, 1, 6, seed: 5);

        // Rotation: (i, j) of the rotated grid shows (j, width - 1 - i) of the original; x and y swap, so (1,0,0)
        // and (0,1,0) trade places, as do the two diagonals.
        var rotated = Roi(height, width, 1, 6, (i, j, _) => original.LevelAt(width - 1 - j, i, 0));

        foreach (var aggregation in new[] { TextureAggregation.Averaged2D, TextureAggregation.SliceMerged2D, TextureAggregation.DirectionMerged25D, TextureAggregation.Merged25D })
        {
            AssertSameValues(GlcmFeatures.Compute(original, aggregation), GlcmFeatures.Compute(rotated, aggregation));
            AssertSameValues(GlrlmFeatures.Compute(original, aggregation), GlrlmFeatures.Compute(rotated, aggregation));
        }

        AssertSameValues(GlszmFeatures.Compute(original, ZoneAggregation.PerSlice2D), GlszmFeatures.Compute(rotated, ZoneAggregation.PerSlice2D));
    }

    [Fact]
    public void Zone_sizes_sum_to_the_roi_voxel_count()
    {
        var roi = RandomRoi(9, 8, 6, 3, seed: 7);

        foreach (var connectivity in Enum.GetValues<ZoneConnectivity>())
        {
            var matrix = GlszmMatrix.Build(roi, connectivity);
            Assert.Equal(roi.VoxelCount, matrix.Entries.Sum(e => e.Size * e.Count));
            Assert.Equal(roi.VoxelCount, matrix.VoxelCount);
        }
    }

    [Fact]
    public void Run_lengths_sum_to_the_roi_voxel_count_in_every_direction()
    {
        var roi = RandomRoi(9, 8, 6, 3, seed: 9);

        foreach (var direction in TextureDirections.Volume)
        {
            var matrix = GlrlmMatrix.Build(roi, [direction]);
            Assert.Equal(roi.VoxelCount, matrix.Entries().Sum(e => e.Size * e.Count));
        }

        for (int k = 0; k < roi.Size.Z; k++)
        {
            int sliceVoxels = Enumerable.Range(0, 9 * 8).Count(n => roi.Levels[n + (k * 9 * 8)] > 0);
            foreach (var direction in TextureDirections.InPlane)
            {
                Assert.Equal(sliceVoxels, GlrlmMatrix.Build(roi, [direction], k).Entries().Sum(e => e.Size * e.Count));
            }
        }
    }

    [Fact]
    public void Merged_matrix_is_the_sum_of_its_direction_matrices()
    {
        var roi = RandomRoi(6, 5, 4, 4, seed: 13);
        var merged = GlcmMatrix.Build(roi, TextureDirections.Volume);
        var runs = GlrlmMatrix.Build(roi, TextureDirections.Volume);
        for (int i = 1; i <= 4; i++)
        {
            for (int j = 1; j <= 4; j++)
            {
                Assert.Equal(TextureDirections.Volume.Sum(d => GlcmMatrix.Build(roi, [d])[i, j]), merged[i, j]);
                Assert.Equal(TextureDirections.Volume.Sum(d => GlrlmMatrix.Build(roi, [d])[i, j]), runs[i, j]);
            }
        }

        Assert.Equal(13L * roi.VoxelCount, runs.VoxelCount);
    }

    [Fact]
    public void A_liver_sized_roi_of_one_level_is_one_zone_without_overflowing_the_stack()
    {
        // 128 x 128 x 48 all inside: a single 786432-voxel zone, the flood fill's worst case.
        var roi = Roi(128, 128, 48, 21, (_, _, _) => 3);

        var zones = GlszmMatrix.Build(roi, ZoneConnectivity.Volume26);

        Assert.Equal(1, zones[3, 128 * 128 * 48]);
        Assert.Equal(128 * 48, GlrlmMatrix.Build(roi, [new Int3(1, 0, 0)])[3, 128]);
    }

    [Fact]
    public void Features_are_deterministic()
    {
        var roi = RandomRoi(20, 18, 10, 21, seed: 17);

        AssertSameValues(GlcmFeatures.Compute(roi), GlcmFeatures.Compute(roi), exact: true);
        AssertSameValues(GlrlmFeatures.Compute(roi), GlrlmFeatures.Compute(roi), exact: true);
        AssertSameValues(GlszmFeatures.Compute(roi), GlszmFeatures.Compute(roi), exact: true);
    }

    [Fact]
    public void Per_slice_matrices_reject_directions_that_leave_the_slice()
    {
        var roi = RandomRoi(4, 4, 3, 3, seed: 1);

        Assert.Throws<ArgumentException>(() => GlcmMatrix.Build(roi, [new Int3(0, 0, 1)], slice: 1));
        Assert.Throws<ArgumentException>(() => GlrlmMatrix.Build(roi, TextureDirections.Volume, slice: 1));
        Assert.Throws<ArgumentException>(() => GlszmMatrix.Build(roi, ZoneConnectivity.Volume26, slice: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GlcmMatrix.Build(roi, TextureDirections.InPlane, slice: 3));
    }

    private static void AssertSameValues(IReadOnlyList<RadiomicsFeature> expected, IReadOnlyList<RadiomicsFeature> actual, bool exact = false)
    {
        Assert.Equal(expected.Select(f => f.Name), actual.Select(f => f.Name));
        for (int f = 0; f < expected.Count; f++)
        {
            double a = expected[f].Value, b = actual[f].Value;
            bool same = exact ? a.Equals(b) : Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));
            Assert.True(same, $"{expected[f].Family} {expected[f].Name}: {a:R} vs {b:R}");
        }
    }
}
