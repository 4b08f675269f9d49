using Crlm.Core.Imaging;

namespace Crlm.Core.Tests.Imaging;

public sealed class VolumeGeometryTests
{
    private static Matrix3 FlippedOblique()
    {
        double a = 0.4;
        var rz = new Matrix3(Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1);
        return rz * Matrix3.Diagonal(new Vec3(-1, 1, 1));
    }

    private static VolumeGeometry Grid() =>
        new(new Int3(10, 8, 6), new Vec3(0.8, 1.2, 3.0), new Vec3(-50.5, 20.25, 7), FlippedOblique());

    [Fact]
    public void Index_to_world_and_back_is_the_identity()
    {
        var g = Grid();
        var rng = new Random(3);
        for (int n = 0; n < 100; n++)
        {
            var index = new Vec3(rng.NextDouble() * 9, rng.NextDouble() * 7, rng.NextDouble() * 5);
            var back = g.WorldToIndex(g.IndexToWorld(index));
            Assert.True((back - index).Norm < 1e-9, $"{index} came back as {back}");
        }
    }

    [Fact]
    public void Voxel_centre_follows_origin_direction_and_spacing()
    {
        var g = Grid();
        var expected = g.Origin + (2 * 0.8) * g.Direction.Column(0) + (3 * 3.0) * g.Direction.Column(2);
        Assert.True((g.IndexToWorld(2, 0, 3) - expected).Norm < 1e-12);
        Assert.Equal(g.Origin, g.IndexToWorld(0, 0, 0));
    }

    [Fact]
    public void FromAffine_and_Affine_round_trip_with_a_flipped_axis()
    {
        var g = Grid();
        var affine = g.Affine();
        var back = VolumeGeometry.FromAffine(g.Size, affine);

        Assert.True(affine[0, 0] < 0, "the x flip must show as a negative first column");
        Assert.Equal(g.Spacing.X, back.Spacing.X, 12);
        Assert.Equal(g.Spacing.Z, back.Spacing.Z, 12);
        Assert.True(back.Direction.Determinant < 0);
        Assert.True(g.SameGridAs(back, 1e-9));
        var again = back.Affine();
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                Assert.Equal(affine[r, c], again[r, c], 12);
            }
        }
    }

    [Fact]
    public void SameGridAs_uses_the_tolerance_at_the_grid_corners()
    {
        var g = Grid();
        var shifted = new VolumeGeometry(g.Size, g.Spacing, g.Origin + new Vec3(0, 0, 5e-4), g.Direction);
        var farShifted = new VolumeGeometry(g.Size, g.Spacing, g.Origin + new Vec3(0, 0, 2e-3), g.Direction);

        // A spacing error of 1e-4 mm grows to 9 * 1e-4 = 9e-4 mm at the far corner in x.
        var stretched = new VolumeGeometry(g.Size, new Vec3(g.Spacing.X + 2e-4, g.Spacing.Y, g.Spacing.Z), g.Origin, g.Direction);

        Assert.True(g.SameGridAs(shifted));
        Assert.False(g.SameGridAs(farShifted));
        Assert.False(g.SameGridAs(stretched));
        Assert.True(g.SameGridAs(stretched, toleranceMm: 2e-3));
        Assert.False(g.SameGridAs(new VolumeGeometry(new Int3(10, 8, 5), g.Spacing, g.Origin, g.Direction), 100));
    }

    [Theory]
    [InlineData(1, 1, 1, "RAS")]
    [InlineData(-1, 1, 1, "LAS")]
    [InlineData(-1, -1, 1, "LPS")]
    [InlineData(1, 1, -1, "RAI")]
    public void AxisCodes_follow_the_sign_of_each_axis(double sx, double sy, double sz, string expected)
    {
        var g = new VolumeGeometry(new Int3(2, 2, 2), new Vec3(1, 1, 1), new Vec3(0, 0, 0), Matrix3.Diagonal(new Vec3(sx, sy, sz)));
        Assert.Equal(expected, g.AxisCodes());
    }

    [Fact]
    public void AxisCodes_of_a_permuted_grid_name_the_dominant_world_axis()
    {
        // i runs along -y (posterior), j along +x (right), k along +z.
        var d = Matrix3.FromColumns(new Vec3(0, -1, 0), new Vec3(1, 0, 0), new Vec3(0, 0, 1));
        Assert.Equal("PRS", new VolumeGeometry(new Int3(2, 2, 2), new Vec3(1, 1, 1), new Vec3(0, 0, 0), d).AxisCodes());
    }

    [Fact]
    public void Construction_refuses_bad_spacing_and_sheared_direction()
    {
        var size = new Int3(2, 2, 2);
        Assert.Throws<ArgumentException>(() => new VolumeGeometry(size, new Vec3(0, 1, 1), new Vec3(0, 0, 0), Matrix3.Identity));
        Assert.Throws<ArgumentException>(() => new VolumeGeometry(size, new Vec3(1, double.NaN, 1), new Vec3(0, 0, 0), Matrix3.Identity));
        Assert.Throws<ArgumentException>(() => new VolumeGeometry(size, new Vec3(1, 1, 1), new Vec3(0, 0, 0), new Matrix3(1, 0.5, 0, 0, 1, 0, 0, 0, 1)));
    }
}
