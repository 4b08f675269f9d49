using System.Text.RegularExpressions;
using Crlm.Core.Imaging;
using Crlm.Core.Tests.TestSupport;
using Crlm.Reporting.Sections;
using Crlm.Reporting.Tests.TestSupport;

namespace Crlm.Reporting.Tests;

public class OriginalSliceTests
{
    // FakeRun's box covers canonical voxels i 4..27, j 10..29 of the 40x36 original; radiological display puts
    // voxel (i, j) at pixel (39 - i, 35 - j), so the box's border runs over columns 12 and 35, rows 6 and 25.
    private const int Left = 12, Right = 35, Top = 6, Bottom = 25;

    [Fact]
    public void The_crop_box_is_drawn_on_the_pixels_of_its_border_voxels_and_nowhere_else()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);

        var drawing = Draw(run, "a");

        var raster = drawing.Raster;
        Assert.Equal((40, 36), (raster.Width, raster.Height));
        Assert.Equal(5, drawing.Slice); // box centre k 2.5 mm -> original index 4.5, rounded up
        foreach (var (x, y) in new[] { (Left, Top), (Right, Top), (Left, Bottom), (Right, Bottom), (20, Top), (Left, 15), (Right, 20), (30, Bottom) })
        {
            Assert.Equal(OriginalSlice.BoxColour, raster[x, y]);
        }

        foreach (var (x, y) in new[] { (Left - 1, 15), (Right + 1, 15), (20, Top - 1), (20, Bottom + 1), (Left + 1, 15), (20, Top + 1) })
        {
            Assert.NotEqual(OriginalSlice.BoxColour, raster[x, y]);
        }

        int boxPixels = Enumerable.Range(0, raster.Width * raster.Height).Count(n => raster[n % raster.Width, n / raster.Width] == OriginalSlice.BoxColour);
        Assert.Equal(2 * (Right - Left + 1) + 2 * (Bottom - Top + 1) - 4, boxPixels);
    }

    [Fact]
    public void The_liver_is_outlined_in_amber_over_a_liver_window()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);

        var raster = Draw(run, "a").Raster;

        // The liver ellipse (world x 3..21 mm at y 10) is voxels i 8..24 of row j 20: pixels 15..31 of row 15.
        Assert.Equal(OriginalSlice.LiverColour, raster[15, 15]);
        Assert.Equal(OriginalSlice.LiverColour, raster[31, 15]);
        Assert.Equal(Rgb.Grey(133), raster[23, 15]); // 60 HU in W 400 / L 50
        Assert.Equal(Rgb.Grey(31), raster[2, 30]); // -100 HU
    }

    [Fact]
    public void An_original_stored_with_a_flipped_x_axis_gives_the_same_picture_with_the_box_in_the_same_place()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        var grid = FakeRun.OriginalGrid;
        // Same voxels in space, stored right to left: index i runs towards the patient's left (negative x direction).
        var flipped = new VolumeGeometry(grid.Size, grid.Spacing, new Vec3(grid.Origin.X + grid.Size.X - 1, grid.Origin.Y, grid.Origin.Z),
            new Matrix3(-1, 0, 0, 0, 1, 0, 0, 0, 1));
        FakeRun.WriteOriginal(run.File("originals/flipped"), flipped);
        Assert.Equal("LAS", Crlm.Core.IO.Nifti.NiftiReader.ReadHeader(run.File("originals/flipped/image.nii.gz")).Geometry().AxisCodes());

        var expected = Draw(run, "a").Raster;
        var actual = Draw(run, "flipped").Raster;

        Assert.Equal(OriginalSlice.BoxColour, actual[Left, Top]);
        Assert.Equal(OriginalSlice.BoxColour, actual[Right, Bottom]);
        Assert.Equal(expected.Pixels, actual.Pixels);
    }

    [Fact]
    public void A_missing_original_gives_a_note_in_the_report_instead_of_an_exception()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        Directory.Delete(run.File("originals/a"), recursive: true);

        string output = run.File("report.html");
        ReportWriter.WriteForRunDirectory(run.Path, output);
        string html = File.ReadAllText(output);

        Assert.Contains("Original CT slices that could not be drawn", html, StringComparison.Ordinal);
        Assert.Contains("not found (moved or deleted?)", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "src=\"data:image/png;base64,")); // both box slices, one original
    }

    [Fact]
    public void A_run_folder_without_the_manifest_copy_shows_the_box_slices_and_says_why_the_originals_are_missing()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        File.Delete(run.File("cohort/manifest.csv"));

        string output = run.File("report.html");
        ReportWriter.WriteForRunDirectory(run.Path, output);
        string html = File.ReadAllText(output);

        Assert.Contains("cohort/manifest.csv not found", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "src=\"data:image/png;base64,"));
    }

    private static OriginalSlice.Drawing Draw(TempFolder run, string original) =>
        OriginalSlice.Draw(run.File("cache/a/image.nii.gz"), run.File($"originals/{original}/image.nii.gz"), run.File($"originals/{original}/liver.nii.gz"), liverLabel: null);
}
