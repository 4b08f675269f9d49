using Crlm.Core.Imaging;

namespace Crlm.Core.Tests.Imaging;

public sealed class VolumeTests
{
    private static VolumeGeometry Grid() => VolumeGeometry.Axial(new Int3(4, 3, 2), new Vec3(1, 1, 2));

    [Fact]
    public void Memory_order_is_i_fastest_then_j_then_k()
    {
        var v = new Volume<int>(Grid());
        v[1, 2, 1] = 42;
        Assert.Equal(1 + 4 * (2 + 3 * 1), Array.IndexOf(v.Voxels, 42));
        Assert.Equal(v.LinearIndex(1, 2, 1), Array.IndexOf(v.Voxels, 42));
    }

    [Fact]
    public void Slice_is_a_copy_free_view_that_writes_through()
    {
        var v = new Volume<short>(Grid());
        var slice = v.Slice(1);
        slice[2 + 4 * 1] = 7; // (i=2, j=1) in slice k=1

        Assert.Equal(12, slice.Length);
        Assert.Equal(7, v[2, 1, 1]);
        v[3, 2, 1] = 9;
        Assert.Equal(9, v.Slice(1)[3 + 4 * 2]);
        Assert.Equal(0, v.Slice(0).ToArray().Sum(x => x));
    }

    [Fact]
    public void Slice_outside_the_grid_is_refused()
    {
        var v = new Volume<byte>(Grid());
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Slice(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Slice(-1));
    }

    [Fact]
    public void Buffer_must_match_the_grid()
    {
        Assert.Throws<ArgumentException>(() => new Volume<float>(Grid(), new float[23]));
    }

    [Fact]
    public void Map_keeps_the_grid_and_maps_every_voxel()
    {
        var v = new Volume<short>(Grid());
        v[3, 2, 1] = -5;
        var mapped = v.Map(x => x * 2.5);

        Assert.Same(v.Geometry, mapped.Geometry);
        Assert.Equal(-12.5, mapped[3, 2, 1]);
        Assert.Equal(24, mapped.Voxels.Length);
    }
}
