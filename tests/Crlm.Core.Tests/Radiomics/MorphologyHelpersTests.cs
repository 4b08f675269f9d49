using Crlm.Core.Imaging;
using Crlm.Core.Radiomics;

namespace Crlm.Core.Tests.Radiomics;

public sealed class MorphologyHelpersTests
{
    [Fact]
    public void Jacobi_eigenvalues_of_a_rotated_diagonal_matrix_come_back_largest_first()
    {
        // [[2, 1, 0], [1, 2, 0], [0, 0, 5]] has eigenvalues 5, 3, 1.
        var (a, b, c) = VoxelShape.SymmetricEigenvalues3(2, 2, 5, 1, 0, 0);
        Assert.Equal(5, a, 12);
        Assert.Equal(3, b, 12);
        Assert.Equal(1, c, 12);
    }

    [Fact]
    public void Ellipsoid_area_series_gives_a_sphere_exactly_and_grows_with_the_semi_axes()
    {
        Assert.Equal(4 * Math.PI * 9, MorphologyFeatures.EllipsoidArea(3, 3, 3), 10);
        Assert.True(MorphologyFeatures.EllipsoidArea(4, 3, 2) > MorphologyFeatures.EllipsoidArea(4, 2.5, 2));
    }

    [Fact]
    public void Spatial_autocorrelation_can_be_skipped_and_is_exact_below_the_voxel_limit()
    {
        var geometry = VolumeGeometry.Axial(new Int3(6, 6, 6), new Vec3(1, 1, 2));
        var mask = new Volume<byte>(geometry, Enumerable.Repeat((byte)1, 216).ToArray());
        var image = new Volume<float>(geometry, Enumerable.Range(0, 216).Select(n => (float)((n * 7) % 11)).ToArray());
        double Feature(MorphologyOptions options, string name) => MorphologyFeatures.Compute(mask, image, options: options).Single(f => f.Name == name).Value;

        Assert.True(double.IsNaN(Feature(new MorphologyOptions(0), "Moran's I index")));
        Assert.Equal(Feature(new MorphologyOptions(216), "Geary's C measure"), Feature(new MorphologyOptions(int.MaxValue), "Geary's C measure"));
        Assert.NotEqual(Feature(new MorphologyOptions(100), "Geary's C measure"), Feature(new MorphologyOptions(216), "Geary's C measure"));
    }
}
