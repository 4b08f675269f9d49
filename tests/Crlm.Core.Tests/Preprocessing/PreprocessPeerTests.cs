using System.Text.Json;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Preprocessing;

/// <summary>
/// Our preprocessing against ../shared/peers/preprocess.py (both backends) on small synthetic scans written by
/// nibabel: anisotropic voxels, flipped x with reversed slices, permuted axes, an oblique scaled int16, exact
/// half-voxel ties, a liver larger than the box. Fixtures: tests/reference/make_preprocess_fixtures.py.
/// </summary>
public sealed class PreprocessPeerTests
{
    /// <summary>Voxel-wise against the scipy output (z-score, min-max or HU units): float32 vs float64 interpolation only.</summary>
    private const double MaxAbsoluteDifference = 1e-3;
    private const double LiverMeanAbsoluteDifference = 1e-4;

    public static TheoryData<string> Cases => new() { "aniso_ras", "flipx_revz", "permuted", "rotated_scaled", "tie_exact", "liver_exceeds" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_matches_both_peer_backends(string name)
    {
        var @case = PeerCases.Synthetic(name);
        var result = Run(@case);
        PeerAgreement.Scipy.Check(result.Report, @case.GetProperty("peer").GetProperty("scipy"), name + " vs scipy");
        PeerAgreement.Torch.Check(result.Report, @case.GetProperty("peer").GetProperty("torch"), name + " vs torch");
        Assert.Equal(@case.GetProperty("axcodes").GetString(), result.Report.InputAxcodes);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Image_and_mask_match_the_scipy_output_voxel_for_voxel(string name)
    {
        var @case = PeerCases.Synthetic(name);
        var result = Run(@case);
        var expected = @case.GetProperty("expected");
        var image = NiftiReader.Read<float>(PeerCases.File(expected.GetProperty("image").GetString()!));
        var liver = NiftiReader.Read<byte>(PeerCases.File(expected.GetProperty("liver_mask").GetString()!));

        // Masks: identical, voxel for voxel (nearest = floor(c + 0.5) in double, as scipy).
        Assert.Equal(liver.Voxels, result.Liver.Voxels);
        Assert.Equal(image.Size, result.Image.Size);

        double max = 0, liverSum = 0;
        long liverCount = 0;
        for (int n = 0; n < image.Voxels.Length; n++)
        {
            double d = Math.Abs(image.Voxels[n] - result.Image.Voxels[n]);
            max = Math.Max(max, d);
            if (liver.Voxels[n] != 0)
            {
                liverSum += d;
                liverCount++;
            }
        }

        Assert.True(max <= MaxAbsoluteDifference, $"{name}: largest voxel difference {max:G3} > {MaxAbsoluteDifference}");
        Assert.True(liverSum / liverCount <= LiverMeanAbsoluteDifference, $"{name}: mean difference inside the liver {liverSum / liverCount:G3}");

        // The peer's file stores the output affine as float32 (sform); ours in the report is float64.
        var peerAffine = image.Geometry.Affine();
        for (int r = 0; r < 3; r++)
        {
            PeerAgreement.Close([peerAffine[r, 0], peerAffine[r, 1], peerAffine[r, 2], peerAffine[r, 3]], result.Report.Affine[r], 1e-4, $"{name} affine row {r}");
        }
    }

    [Fact]
    public void Flipped_reversed_and_permuted_storage_give_exactly_the_canonical_scans_output()
    {
        var canonical = Run(PeerCases.Synthetic("aniso_ras"));
        foreach (string name in new[] { "flipx_revz", "permuted" })
        {
            var other = Run(PeerCases.Synthetic(name));
            Assert.Equal(canonical.Image.Voxels, other.Image.Voxels);
            Assert.Equal(canonical.Liver.Voxels, other.Liver.Voxels);
            Assert.Equal(canonical.Lesions!.Voxels, other.Lesions!.Voxels);
            // The files store their affines in float32, so the re-stored twins sit on the same grid to ~1e-6 mm, not bit for bit.
            Assert.True(canonical.Image.Geometry.SameGridAs(other.Image.Geometry, 1e-4), $"{name}: {other.Image.Geometry} vs {canonical.Image.Geometry}");
        }
    }

    [Fact]
    public void Lesion_labels_stay_on_their_lesions()
    {
        // The fixture's lesions sit inside the liver (mask value 2 there): after resampling, every lesion
        // voxel is a liver voxel, both instances survive, and none is lost to the crop (the box holds the liver).
        var result = Run(PeerCases.Synthetic("aniso_ras"));
        var lesions = result.Lesions!.Voxels;
        Assert.Equal(result.Report.LesionVoxels, lesions.Count(v => v != 0));
        Assert.All(Enumerable.Range(0, lesions.Length).Where(n => lesions[n] != 0), n => Assert.Equal(1, result.Liver.Voxels[n]));
        Assert.Equal(new byte[] { 0, 1, 2 }, lesions.Distinct().Order().ToArray());
    }

    [Fact]
    public void A_liver_larger_than_the_box_is_cropped_centred_with_a_warning()
    {
        var result = Run(PeerCases.Synthetic("liver_exceeds"));
        var warning = Assert.Single(result.Report.Warnings);
        Assert.Contains("the liver spans 13x8x16 voxels on the resampled grid, more than the box 8x6x6", warning, StringComparison.Ordinal);

        // Centred: the crop starts half a box before the bounding box's integer centre.
        var lo = result.Report.LiverBboxLo!;
        var hi = result.Report.LiverBboxHi!;
        Assert.Equal(new[] { (lo[0] + hi[0]) / 2 - 4, (lo[1] + hi[1]) / 2 - 3, (lo[2] + hi[2]) / 2 - 3 }, result.Report.CropStart);
    }

    [Fact]
    public void Exact_grid_half_voxel_ties_round_up_in_every_axis()
    {
        // 2 x 2 x 5 mm to 1 x 1 x 2.5 mm on the exact grid: step 0.5, so odd output voxels sit exactly between
        // two input voxels and must take the upper one (floor(c + 0.5)); the peer's mask agrees voxel for voxel
        // (checked above), and here the rule itself is pinned on the plan.
        var @case = PeerCases.Synthetic("tie_exact");
        var options = PeerCases.Options(@case);
        var plan = ResamplePlan.Create(new(24, 20, 10), new(2, 2, 5), options.Spacing, options.Grid);
        Assert.Equal(new Crlm.Core.Imaging.Int3(47, 39, 19), plan.OutputShape);
        Assert.Equal([0, 1, 1, 2, 2, 3], Enumerable.Range(0, 6).Select(plan.X.Nearest));
        Assert.Equal([0, 1, 1, 2, 2, 3], Enumerable.Range(0, 6).Select(plan.Z.Nearest));
    }

    internal static PreprocessResult Run(JsonElement @case)
    {
        var files = @case.GetProperty("files");
        return ScanPreprocessor.Run(
            PeerCases.File(files.GetProperty("image").GetString()!),
            PeerCases.File(files.GetProperty("liver_mask").GetString()!),
            PeerCases.File(files.GetProperty("lesion_mask").GetString()!),
            PeerCases.Options(@case));
    }
}
