using Crlm.Core.Imaging;
using Crlm.Tabular.Encoders;

namespace Crlm.Tabular.Tests.Encoders;

public sealed class VolumePatchesTests
{
    [Theory]
    [InlineData(10, 10, 10, new[] { 0 })]
    [InlineData(6, 10, 10, new[] { -2 })]          // shorter than the patch: centred, padded both sides
    [InlineData(7, 10, 10, new[] { -1 })]          // odd difference: the extra pad voxel at the far end
    [InlineData(25, 10, 10, new[] { 0, 10, 15 })]  // the last patch is flush with the end
    [InlineData(20, 10, 5, new[] { 0, 5, 10 })]
    [InlineData(11, 10, 10, new[] { 0, 1 })]
    public void Starts_cover_the_axis(int length, int patch, int stride, int[] expected)
    {
        int[] starts = VolumePatches.Starts(length, patch, stride);
        Assert.Equal(expected, starts);
        // Every voxel of the axis is inside some patch.
        Assert.All(Enumerable.Range(0, length), v => Assert.Contains(starts, s => v >= s && v < s + patch));
    }

    [Fact]
    public void Stride_follows_the_overlap()
    {
        Assert.Equal(128, VolumePatches.Stride(128, 0));
        Assert.Equal(64, VolumePatches.Stride(128, 0.5));
        Assert.Equal(1, VolumePatches.Stride(3, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => VolumePatches.Stride(8, 1));
    }

    [Fact]
    public void A_patch_copies_rows_in_dhw_order_and_pads_outside()
    {
        var size = new Int3(4, 3, 2);
        float[] voxels = Enumerable.Range(0, (int)size.Product).Select(v => (float)v).ToArray();
        var patch = new Int3(3, 2, 2);
        var destination = new float[patch.Product];
        VolumePatches.CopyPatchDhw(voxels, size, new Int3(2, 2, 1), patch, -1, destination);

        // Only the patch's first row (z = 1, y = 2 of the volume) is inside, and of it x = 2 and 3.
        float[] expected = [2 + 4 * (2 + 3 * 1), 3 + 4 * (2 + 3 * 1), -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
        Assert.Equal(expected, destination);
    }

    [Fact]
    public void Origins_enumerate_z_slowest()
    {
        var origins = VolumePatches.Origins(new Int3(20, 10, 10), new Int3(10, 10, 5), 0);
        Assert.Equal([new Int3(0, 0, 0), new Int3(10, 0, 0), new Int3(0, 0, 5), new Int3(10, 0, 5)], origins);
    }
}
