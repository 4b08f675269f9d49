using System.CommandLine;
using Crlm.Core.IO.Nifti;

namespace Crlm.Cli.Commands;

/// <summary>`crlm inspect FILE [--json]`: geometry, datatype, value statistics and label counts of a NIfTI image.</summary>
internal static class InspectCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "A NIfTI image (.nii or .nii.gz, NIfTI-1 or NIfTI-2)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (dims, spacing, affine, datatype, min, max, mean, labels) instead of text." };
        var command = new Command("inspect", "Print a NIfTI image's dims, spacing, affine (RAS+), datatype, min/max/mean and, for label images, voxel counts per label.")
        {
            file,
            json,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                stderr.WriteLine($"crlm inspect: {path.FullName}: file not found");
                return ExitCodes.BadInput;
            }

            try
            {
                var inspection = NiftiInspection.Inspect(path.FullName);
                stdout.WriteLine(parse.GetValue(json) ? inspection.ToJson() : inspection.ToText());
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is NiftiFormatException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"crlm inspect: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }
}
