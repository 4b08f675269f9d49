using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Preprocessing;

public sealed class CanonicalOrientationTests
{
    /// <summary>All 48 axis-aligned orientations: 6 permutations x 8 sign patterns.</summary>
    public static TheoryData<int, int, int, int> Orientations()
    {
        var data = new TheoryData<int, int, int, int>();
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var p in permutations)
        {
            for (int signs = 0; signs < 8; signs++)
            {
                data.Add(p[0], p[1], p[2], signs);
            }
        }

        return data;
    }

    [Fact]
    public void Identity_direction_is_canonical_and_reorienting_does_not_copy()
    {
        var volume = new Volume<short>(VolumeGeometry.Axial(new Int3(3, 4, 5), new Vec3(1, 2, 3)));
        Assert.True(CanonicalAxes.FromDirection(Matrix3.Identity).IsIdentity);
        Assert.Same(volume, CanonicalAxes.Reorient(volume));
    }

    [Fact]
    public void Oblique_axes_go_to_the_closest_world_axis_as_nibabel_io_orientation()
    {
        // 60 degrees about z: stored i points mostly to +y, stored j mostly to -x.
        double c = Math.Cos(Math.PI / 3), s = Math.Sin(Math.PI / 3);
        var axes = CanonicalAxes.FromDirection(Matrix3.FromColumns(new Vec3(c, s, 0), new Vec3(-s, c, 0), new Vec3(0, 0, 1)));
        Assert.Equal(new CanonicalAxes(1, 0, 2, true, false, false), axes);

        // 30 degrees: the axes stay put.
        axes = CanonicalAxes.FromDirection(Matrix3.FromColumns(new Vec3(s, c, 0), new Vec3(-c, s, 0), new Vec3(0, 0, 1)));
        Assert.True(axes.IsIdentity);
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Reorienting_keeps_every_voxel_at_its_world_position(int p0, int p1, int p2, int signs)
    {
        var stored = StoredVolume(p0, p1, p2, signs);
        var canonical = CanonicalAxes.Reorient(stored);
        Assert.Equal("RAS", canonical.Geometry.AxisCodes());
        for (int k = 0; k < canonical.Size.Z; k++)
        {
            for (int j = 0; j < canonical.Size.Y; j++)
            {
                for (int i = 0; i < canonical.Size.X; i++)
                {
                    var at = stored.Geometry.WorldToIndex(canonical.Geometry.IndexToWorld(i, j, k));
                    Assert.Equal(stored[(int)Math.Round(at.X), (int)Math.Round(at.Y), (int)Math.Round(at.Z)], canonical[i, j, k]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Reading_a_region_from_a_file_equals_cutting_the_reoriented_volume(int p0, int p1, int p2, int signs)
    {
        using var folder = new TempFolder();
        var stored = StoredVolume(p0, p1, p2, signs);
        string path = folder.File("v.nii.gz");
        NiftiWriter.Write(path, stored);
        var canonical = CanonicalAxes.Reorient(stored);
        var file = CanonicalNifti.Open(path);
        Assert.Equal(canonical.Size, file.Size);
        Assert.True(file.Geometry().SameGridAs(canonical.Geometry, 1e-4));

        // Every canonical edge is 3, 4 or 5 voxels: cut at least one voxel off each end of x and z, and one off y.
        var region = new IndexBox(new Int3(1, 0, 1), new Int3(canonical.Size.X - 2, canonical.Size.Y - 1, canonical.Size.Z - 2));
        float[] part = CanonicalNifti.ReadImage(file, region);
        for (int k = 0; k < region.Size.Z; k++)
        {
            for (int j = 0; j < region.Size.Y; j++)
            {
                for (int i = 0; i < region.Size.X; i++)
                {
                    Assert.Equal(canonical[i + 1, j, k + 1], part[i + region.Size.X * (j + region.Size.Y * k)]);
                }
            }
        }
    }

    [Fact]
    public void Zooms_follow_nibabel_float32_pixdim_for_reoriented_files()
    {
        using var folder = new TempFolder();
        var geometry = new VolumeGeometry(new Int3(4, 3, 2), new Vec3(0.8, 0.7, 2.5), new Vec3(5, 6, 7), Matrix3.Diagonal(new Vec3(-1, 1, 1)));
        string path = folder.File("las.nii");
        NiftiWriter.Write(path, new Volume<short>(geometry));
        var file = CanonicalNifti.Open(path);
        Assert.Equal("LAS", file.StoredAxisCodes);

        // nibabel rewrites pixdim from the reoriented affine's column lengths, as float32.
        Assert.Equal(new Vec3((float)0.8, (float)0.7, 2.5), file.Zooms);
        Assert.Equal(5 - 3 * 0.8, file.Affine[0, 3], 5);
    }

    /// <summary>A 5x4x3 volume of distinct values whose stored axes are a signed permutation of RAS.</summary>
    private static Volume<short> StoredVolume(int p0, int p1, int p2, int signs)
    {
        int[] p = [p0, p1, p2];
        var columns = new Vec3[3];
        for (int s = 0; s < 3; s++)
        {
            double sign = (signs >> s & 1) == 1 ? -1 : 1;
            columns[s] = new Vec3(p[s] == 0 ? sign : 0, p[s] == 1 ? sign : 0, p[s] == 2 ? sign : 0);
        }

        var geometry = new VolumeGeometry(new Int3(5, 4, 3), new Vec3(0.5, 1.5, 2.5), new Vec3(-10, 20, 30), Matrix3.FromColumns(columns[0], columns[1], columns[2]));
        var volume = new Volume<short>(geometry);
        for (int n = 0; n < volume.Voxels.Length; n++)
        {
            volume.Voxels[n] = (short)(n * 3 - 50);
        }

        return volume;
    }
}
