using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Cohort;

public class ManifestFileCheckTests
{
    [Fact]
    public void A_clean_cohort_passes()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 2);
        var report = ManifestValidator.Validate(manifest);
        Assert.Empty(report.Issues);
        Assert.Equal(6, report.Manifest.Scans.Count);
    }

    [Fact]
    public void Missing_unreadable_and_off_grid_files_are_reported_on_their_row_and_column()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 2);
        string[] lines = File.ReadAllLines(manifest);

        // Line 2: the image is gone. Line 3: the liver mask is garbage. Line 4: both masks have
        // another spacing. Line 5: both masks are shifted by half a voxel.
        File.Delete(folder.File("img/A-crlm-0.nii.gz"));
        File.WriteAllText(folder.File("liver/A-crlm-1.nii.gz"), "not a nifti file at all");
        var id2 = lines[3].Split(',')[0];
        TinyCohort.WriteScan(folder.Path, id2, TinyCohort.Grid,
            new VolumeGeometry(TinyCohort.Grid.Size, new Vec3(1, 1, 3), TinyCohort.Grid.Origin, Matrix3.Identity));
        var id3 = lines[4].Split(',')[0];
        TinyCohort.WriteScan(folder.Path, id3, TinyCohort.Grid,
            new VolumeGeometry(TinyCohort.Grid.Size, TinyCohort.Grid.Spacing, TinyCohort.Grid.Origin + new Vec3(0.5, 0, 0), Matrix3.Identity));

        var report = ManifestValidator.Validate(manifest);
        var errors = report.Issues.Where(i => i.IsError).Select(i => (i.Line, i.Column)).ToList();

        Assert.Contains((2, "image"), errors);
        Assert.Contains((3, "liver_mask"), errors);
        Assert.Contains((5, "liver_mask"), errors);
        Assert.Contains((5, "lesion_mask"), errors);
        var offGrid = report.Issues.First(i => i.Line == 4);
        Assert.Contains("mask grid does not match its image", offGrid.Message, StringComparison.Ordinal);
        Assert.Contains(id2 + ".nii.gz", offGrid.Message, StringComparison.Ordinal);
        Assert.Contains("file not found", report.Issues.Single(i => i.Line == 2).Message, StringComparison.Ordinal);
        Assert.Contains("cannot read", report.Issues.Single(i => i.Line == 3).Message, StringComparison.Ordinal);
    }
}
