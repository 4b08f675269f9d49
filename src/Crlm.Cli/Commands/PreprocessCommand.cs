using System.CommandLine;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;

namespace Crlm.Cli.Commands;

/// <summary>
/// `crlm preprocess --image CT --liver-mask LIVER --out OUT`: the study's preprocessing of one scan (flags named
/// like ../shared/peers/preprocess.py), writing the float32 box and optionally its masks, and printing the
/// report as one JSON line with the peer's keys.
/// </summary>
internal static class PreprocessCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var d = PreprocessOptions.Default;
        var image = new Option<FileInfo>("--image") { Description = "CT image (NIfTI, HU).", Required = true };
        var liver = new Option<FileInfo>("--liver-mask") { Description = "Liver mask on the image's grid (voxels > 0, or --liver-label).", Required = true };
        var lesion = new Option<FileInfo?>("--lesion-mask") { Description = "Lesion (instance) mask on the image's grid; follows the same geometry." };
        var output = new Option<FileInfo>("--out") { Description = "Output image: float32 NIfTI of the box (.nii or .nii.gz).", Required = true };
        var outMask = new Option<FileInfo?>("--out-mask") { Description = "Also write the liver mask on the box (uint8)." };
        var outLesion = new Option<FileInfo?>("--out-lesion-mask") { Description = "Also write the lesion mask on the box (uint8, labels kept); needs --lesion-mask." };
        var spacing = Triple<double>("--spacing", "X Y Z", $"Target spacing in mm (default {d.Spacing.X:G} {d.Spacing.Y:G} {d.Spacing.Z:G}).");
        var box = Triple<int>("--box", "X Y Z", $"Output box in voxels (default {d.Box.X} {d.Box.Y} {d.Box.Z}).");
        var window = new Option<double[]>("--window")
        {
            Description = $"HU window (default {d.WindowLow:G} {d.WindowHigh:G}).",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(2, 2),
            HelpName = "LO HI",
        };
        var norm = new Option<string>("--norm") { Description = "zscore (over the liver, default), minmax (window to [0, 1]) or none.", DefaultValueFactory = _ => "zscore" };
        norm.AcceptOnlyFromAmong("zscore", "minmax", "none");
        var grid = new Option<string>("--grid", "--resample") { Description = "zoom (corner-aligned, scipy.ndimage.zoom; default) or exact (exactly the target spacing).", DefaultValueFactory = _ => "zoom" };
        grid.AcceptOnlyFromAmong("zoom", "exact");
        var label = new Option<int?>("--liver-label") { Description = "The liver's value in the mask, e.g. 5 for TotalSegmentator's multi-label output (default: every voxel > 0)." };
        var pad = new Option<double>("--pad-hu") { Description = $"Image value outside the scan (default {d.PadHu:G}).", DefaultValueFactory = _ => d.PadHu };
        var empty = new Option<string>("--empty-liver") { Description = "An empty liver mask is an error (default) or centres the box on the body with a warning.", DefaultValueFactory = _ => "error" };
        empty.AcceptOnlyFromAmong("error", "body-centre");
        var command = new Command("preprocess", "Preprocess one CT: canonical orientation, resampling, a box centred on the liver, HU window, normalisation. Prints the report as one JSON line.")
        {
            image, liver, lesion, output, outMask, outLesion, spacing, box, window, norm, grid, label, pad, empty,
        };
        command.SetAction(parse =>
        {
            // An absent list option reads as an empty array, not null.
            double[] sp = parse.GetValue(spacing) is { Length: 3 } s ? s : d.Spacing.ToArray();
            int[] bx = parse.GetValue(box) is { Length: 3 } b ? b : [d.Box.X, d.Box.Y, d.Box.Z];
            double[] win = parse.GetValue(window) is { Length: 2 } w ? w : [d.WindowLow, d.WindowHigh];
            var options = new PreprocessOptions
            {
                Spacing = new Vec3(sp[0], sp[1], sp[2]),
                Box = new Int3(bx[0], bx[1], bx[2]),
                WindowLow = win[0],
                WindowHigh = win[1],
                Normalisation = PreprocessOptions.ParseNorm(parse.GetValue(norm)!)!.Value,
                Grid = PreprocessOptions.ParseGrid(parse.GetValue(grid)!)!.Value,
                LiverLabel = parse.GetValue(label),
                PadHu = parse.GetValue(pad),
                EmptyLiver = PreprocessOptions.ParseEmptyLiver(parse.GetValue(empty)!)!.Value,
            };
            var lesionFile = parse.GetValue(lesion);
            var outLesionFile = parse.GetValue(outLesion);
            if (outLesionFile is not null && lesionFile is null)
            {
                stderr.WriteLine("crlm preprocess: --out-lesion-mask needs --lesion-mask");
                return ExitCodes.BadInput;
            }

            foreach (var file in new[] { parse.GetValue(image)!, parse.GetValue(liver)!, lesionFile })
            {
                if (file is not null && !file.Exists)
                {
                    stderr.WriteLine($"crlm preprocess: {file.FullName}: file not found");
                    return ExitCodes.BadInput;
                }
            }

            try
            {
                options.Validate();
                var result = ScanPreprocessor.Run(parse.GetValue(image)!.FullName, parse.GetValue(liver)!.FullName, lesionFile?.FullName, options);
                NiftiWriter.Write(parse.GetValue(output)!.FullName, result.Image);
                if (parse.GetValue(outMask) is { } maskFile)
                {
                    NiftiWriter.Write(maskFile.FullName, result.Liver);
                }

                if (outLesionFile is not null && result.Lesions is not null)
                {
                    NiftiWriter.Write(outLesionFile.FullName, result.Lesions);
                }

                foreach (string warning in result.Report.Warnings)
                {
                    stderr.WriteLine($"crlm preprocess: warning: {warning}");
                }

                stdout.WriteLine(result.Report.ToJson());
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is PreprocessingException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"crlm preprocess: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static Option<T[]> Triple<T>(string name, string helpName, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
        Arity = new ArgumentArity(3, 3),
        HelpName = helpName,
    };
}
