using System.CommandLine;
using Crlm.Core.Cohort;
using Spectre.Console;

namespace Crlm.Cli.Commands;

/// <summary>`crlm validate MANIFEST.csv`: every problem in a cohort manifest at once, each with its line and column.</summary>
internal static class ValidateCommand
{
    public static Command Build(IAnsiConsole console, TextWriter stderr)
    {
        var manifest = new Argument<FileInfo>("manifest") { Description = "The cohort manifest CSV (format: README.md, 'Cohort manifest')." };
        var noFiles = new Option<bool>("--no-files") { Description = "Check the CSV only; do not open the images and masks." };
        var command = new Command("validate", "Check a cohort manifest: columns, labels, phases, duplicate scans, patients with conflicting labels, missing files, masks off their image's grid.")
        {
            manifest,
            noFiles,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(manifest)!.ToString();
            ManifestReport report;
            try
            {
                report = ManifestValidator.Validate(path, checkFiles: !parse.GetValue(noFiles));
            }
            catch (ManifestFormatException e)
            {
                stderr.WriteLine($"crlm validate: {e.Message}");
                return ExitCodes.BadInput;
            }

            foreach (var issue in report.Issues)
            {
                string colour = issue.IsError ? "red" : "yellow";
                console.MarkupLine($"[{colour}]{Markup.Escape(issue.ToString())}[/]");
            }

            var manifestData = report.Manifest;
            console.MarkupLine(Markup.Escape(
                $"{path}: {manifestData.Scans.Count} scans, {manifestData.Patients().Count} patients, {manifestData.Sites().Count} sites; " +
                $"{report.ErrorCount} error(s), {report.WarningCount} warning(s)"));
            return report.HasErrors ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return command;
    }
}
