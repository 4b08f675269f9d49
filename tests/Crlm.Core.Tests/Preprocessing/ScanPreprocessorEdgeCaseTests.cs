using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Preprocessing;

/// <summary>The edge cases of issue 4, each with its outcome: error, warning or a defined fallback.</summary>
public sealed class ScanPreprocessorEdgeCaseTests
{
    private static readonly VolumeGeometry Grid = new(new Int3(30, 24, 10), new Vec3(2, 2, 4), new Vec3(-30, -20, -18), Matrix3.Identity);

    private static readonly PreprocessOptions Small = new() { Spacing = new Vec3(2, 2, 4), Box = new Int3(16, 12, 6) };

    [Fact]
    public void An_empty_liver_mask_is_an_error_naming_the_file_by_default()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder, liverValue: 0);
        var e = Assert.Throws<PreprocessingException>(() => ScanPreprocessor.Run(image, liver, null, Small));
        Assert.Equal($"the liver mask {liver} has no liver voxel (no voxel > 0) on the resampled grid; fix the mask, " +
            "or choose the empty-liver policy 'body_centre' to centre the box on the body", e.Message);

        // With a label, the message says which value was looked for.
        var labelled = Assert.Throws<PreprocessingException>(() => ScanPreprocessor.Run(image, liver, null, Small with { LiverLabel = 5 }));
        Assert.Contains("(no voxel equal to label 5)", labelled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_liver_mask_can_centre_the_box_on_the_body_with_a_warning()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder, liverValue: 0);
        var result = ScanPreprocessor.Run(image, liver, null, Small with { EmptyLiver = EmptyLiverPolicy.BodyCentre });

        // The body (above -500 HU) is voxels x 4..19, y 6..21, z 2..9 of the input; resampling is 1:1 here.
        Assert.Equal(new[] { (4 + 19) / 2 - 8, (6 + 21) / 2 - 6, (2 + 9) / 2 - 3 }, result.Report.CropStart);
        Assert.Null(result.Report.LiverBboxLo);
        Assert.Equal("all", result.Report.Normalisation.Over);
        Assert.Equal(0, result.Report.LiverVoxels);
        var warning = Assert.Single(result.Report.Warnings);
        Assert.Equal($"the liver mask {liver} has no liver voxel (no voxel > 0): the box is centred on the body (voxels above -500 HU)", warning);
    }

    [Fact]
    public void A_mask_on_another_grid_is_an_error_naming_both_files()
    {
        using var folder = new TempFolder();
        var (image, _) = WriteScan(folder);
        string shifted = folder.File("shifted.nii.gz");
        NiftiWriter.Write(shifted, new Volume<byte>(new VolumeGeometry(Grid.Size, Grid.Spacing, Grid.Origin + new Vec3(0, 0, 2), Matrix3.Identity)));
        var e = Assert.Throws<PreprocessingException>(() => ScanPreprocessor.Run(image, shifted, null, Small));
        Assert.StartsWith($"the liver mask {shifted} is not on the grid of its image {image}: the liver mask is 30x24x10", e.Message, StringComparison.Ordinal);

        string smaller = folder.File("smaller.nii.gz");
        NiftiWriter.Write(smaller, new Volume<byte>(VolumeGeometry.Axial(new Int3(30, 24, 9), Grid.Spacing)));
        var lesion = Assert.Throws<PreprocessingException>(() => ScanPreprocessor.Run(image, WriteScan(folder).Liver, smaller, Small));
        Assert.Contains($"the lesion mask {smaller} is not on the grid of its image {image}", lesion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mask_stored_in_another_orientation_on_the_same_world_grid_is_accepted()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder);
        var mask = NiftiReader.Read<byte>(liver);
        var g = mask.Geometry; // RAS: store it as LPS, every voxel keeping its world position
        var lps = new VolumeGeometry(g.Size, g.Spacing, g.IndexToWorld(g.Size.X - 1, g.Size.Y - 1, 0), Matrix3.Diagonal(new Vec3(-1, -1, 1)));
        var stored = new Volume<byte>(lps);
        for (int k = 0; k < g.Size.Z; k++)
        {
            for (int j = 0; j < g.Size.Y; j++)
            {
                for (int i = 0; i < g.Size.X; i++)
                {
                    stored[g.Size.X - 1 - i, g.Size.Y - 1 - j, k] = mask[i, j, k];
                }
            }
        }

        string lpsPath = folder.File("liver_lps.nii.gz");
        NiftiWriter.Write(lpsPath, stored);
        var a = ScanPreprocessor.Run(image, liver, null, Small);
        var b = ScanPreprocessor.Run(image, lpsPath, null, Small);
        Assert.Equal(a.Report.ToJson(), b.Report.ToJson());
        Assert.Equal(a.Liver.Voxels, b.Liver.Voxels);
    }

    [Fact]
    public void A_liver_label_selects_only_that_value_of_a_multi_label_mask()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder, liverValue: 5, otherOrganValue: 1);
        var any = ScanPreprocessor.Run(image, liver, null, Small);
        var label5 = ScanPreprocessor.Run(image, liver, null, Small with { LiverLabel = 5 });
        Assert.Equal(LiverVoxelCount, label5.Report.LiverVoxels);
        Assert.True(any.Report.LiverVoxels > label5.Report.LiverVoxels, "voxels > 0 includes the other organ");
    }

    [Fact]
    public void The_box_reaching_outside_the_scan_is_padded_with_air_and_an_empty_mask()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder);
        var options = Small with { Box = new Int3(40, 12, 6), Normalisation = Normalisation.None, PadHu = -1024 };
        var result = ScanPreprocessor.Run(image, liver, null, options);
        Assert.True(result.Report.CropStart[0] < 0, "the 40-voxel box must start before the 30-voxel scan");
        int padded = -result.Report.CropStart[0];
        for (int k = 0; k < 6; k++)
        {
            for (int j = 0; j < 12; j++)
            {
                for (int i = 0; i < padded; i++)
                {
                    Assert.Equal(-37f, result.Image[i, j, k]); // air, clipped to the window's low end
                    Assert.Equal(0, result.Liver[i, j, k]);
                }
            }
        }
    }

    [Fact]
    public void Output_voxels_sit_where_the_input_voxels_they_came_from_sit()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder, origin: new Vec3(12.5, -40, 100));
        var options = Small with { Spacing = new Vec3(1.5, 3, 2.5) };
        var result = ScanPreprocessor.Run(image, liver, null, options);
        var input = NiftiReader.ReadHeader(image).Geometry();
        var plan = ResamplePlan.Create(input.Size, input.Spacing, options.Spacing, options.Grid);
        var start = result.Report.CropStart;
        foreach (var (i, j, k) in new[] { (0, 0, 0), (5, 7, 3), (15, 11, 5) })
        {
            var expected = input.IndexToWorld(new Vec3((i + start[0]) * plan.X.Step, (j + start[1]) * plan.Y.Step, (k + start[2]) * plan.Z.Step));
            Assert.True((result.Image.Geometry.IndexToWorld(i, j, k) - expected).Norm < 1e-4, $"voxel ({i}, {j}, {k})");
        }
    }

    [Fact]
    public void Volumes_in_memory_give_the_same_result_as_their_files()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder);
        var fromFiles = ScanPreprocessor.Run(image, liver, null, Small);
        var fromMemory = ScanPreprocessor.Run(NiftiReader.Read<float>(image), NiftiReader.Read<byte>(liver), null, Small);
        Assert.Equal(fromFiles.Report.ToJson(), fromMemory.Report.ToJson());
        Assert.Equal(fromFiles.Image.Voxels, fromMemory.Image.Voxels);
    }

    [Fact]
    public void Lesion_labels_above_255_are_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder);
        string lesion = folder.File("lesion.nii.gz");
        var labels = new Volume<ushort>(Grid);
        labels[10, 10, 5] = 300;
        NiftiWriter.Write(lesion, labels);
        var e = Assert.Throws<NiftiFormatException>(() => ScanPreprocessor.Run(image, liver, lesion, Small));
        Assert.Contains(lesion, e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 300; a label map needs whole labels 1..255", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scan_too_short_for_the_target_spacing_is_an_error()
    {
        using var folder = new TempFolder();
        var (image, liver) = WriteScan(folder);
        var e = Assert.Throws<PreprocessingException>(() => ScanPreprocessor.Run(image, liver, null, Small with { Spacing = new Vec3(2, 2, 60) }));
        Assert.Equal($"the image {image} has 10 voxels of 4 mm along z, which resample to a single voxel at 60 mm: too short to preprocess", e.Message);
    }

    [Theory]
    [InlineData(0, 1, 1, 256, "spacing must be three positive numbers")]
    [InlineData(1, 1, 1, 0, "box must be three whole numbers in 1..4096")]
    [InlineData(1, 1, 1, 5000, "box must be three whole numbers in 1..4096")]
    public void Bad_options_are_refused_before_any_file_is_read(double sx, double sy, double sz, int box, string message)
    {
        var options = new PreprocessOptions { Spacing = new Vec3(sx, sy, sz), Box = new Int3(box, box, box) };
        var e = Assert.Throws<ArgumentException>(() => ScanPreprocessor.Run("/nonexistent/a.nii", "/nonexistent/b.nii", null, options));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        var window = Assert.Throws<ArgumentException>(() => (PreprocessOptions.Default with { WindowLow = 10, WindowHigh = 10 }).Validate());
        Assert.Equal("window must be two finite HU values with low < high, got [10, 10]", window.Message);
    }

    [Fact]
    public void The_cache_text_changes_with_every_parameter()
    {
        var d = PreprocessOptions.Default;
        PreprocessOptions[] variants =
        [
            d, d with { Spacing = new Vec3(1, 1, 2.4) }, d with { Box = new Int3(256, 256, 95) }, d with { WindowLow = -40 },
            d with { WindowHigh = 170 }, d with { Normalisation = Normalisation.MinMax }, d with { PadHu = -1000 },
            d with { Grid = GridMode.Exact }, d with { EmptyLiver = EmptyLiverPolicy.BodyCentre }, d with { LiverLabel = 5 },
        ];
        Assert.Equal(variants.Length, variants.Select(v => v.CanonicalText()).Distinct().Count());
        Assert.Equal("spacing=1,1,2.5;box=256,256,96;window=-37,171;norm=zscore;pad=-1024;grid=zoom;empty=error;label=any>0", d.CanonicalText());
    }

    private const int LiverVoxelCount = 6 * 5 * 4;

    /// <summary>
    /// A 30x24x10 CT: air, a body block (x 4..19, y 6..21, z 2..9) at 40 HU with a gradient, a liver block
    /// (x 8..13, y 10..14, z 4..7) at 100 HU marked <paramref name="liverValue"/>, and optionally another organ
    /// block marked <paramref name="otherOrganValue"/>.
    /// </summary>
    private static (string Image, string Liver) WriteScan(TempFolder folder, byte liverValue = 1, byte otherOrganValue = 0, Vec3? origin = null)
    {
        var grid = origin is { } o ? new VolumeGeometry(Grid.Size, Grid.Spacing, o, Matrix3.Identity) : Grid;
        var image = new Volume<short>(grid);
        var liver = new Volume<byte>(grid);
        for (int k = 0; k < grid.Size.Z; k++)
        {
            for (int j = 0; j < grid.Size.Y; j++)
            {
                for (int i = 0; i < grid.Size.X; i++)
                {
                    bool body = i is >= 4 and <= 19 && j is >= 6 and <= 21 && k >= 2;
                    bool inLiver = i is >= 8 and <= 13 && j is >= 10 and <= 14 && k is >= 4 and <= 7;
                    bool other = i is >= 15 and <= 18 && j is >= 8 and <= 9 && k is >= 3 and <= 5;
                    image[i, j, k] = (short)(inLiver ? 100 + i : body ? 40 + j : -1000);
                    liver[i, j, k] = inLiver ? liverValue : other ? otherOrganValue : (byte)0;
                }
            }
        }

        string id = Guid.NewGuid().ToString("N")[..8];
        string imagePath = folder.File($"ct_{id}.nii.gz");
        string liverPath = folder.File($"liver_{id}.nii.gz");
        NiftiWriter.Write(imagePath, image);
        NiftiWriter.Write(liverPath, liver);
        return (imagePath, liverPath);
    }
}
