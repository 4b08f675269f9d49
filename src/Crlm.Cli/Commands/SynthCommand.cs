using System.CommandLine;
using Crlm.Core.Synthetic;
using Spectre.Console;

namespace Crlm.Cli.Commands;

/// <summary>
/// `crlm synth`: write a synthetic multi-site contrast-enhanced CT cohort (NIfTI images, liver and
/// lesion masks, manifest.csv, truth.json). Same arguments, byte-identical files.
/// </summary>
internal static class SynthCommand
{
    public static Command Build(IAnsiConsole console, TextWriter stderr)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the cohort to (created if missing).", Required = true };
        var patients = new Option<int>("--patients") { Description = "Number of patients.", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "Seed: same arguments and seed give byte-identical files.", DefaultValueFactory = _ => 0 };
        var size = new Option<string>("--size") { Description = "small (about 160x160x60 voxels, CI-sized) or paper (512x512x100-200, clinical).", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "paper");
        var sites = new Option<string[]>("--sites")
        {
            Description = $"Sites to include, by name (default: all of {string.Join(", ", SyntheticSiteDefaults.Study.Select(s => s.Name))}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var contrast = new Option<double>("--lesion-contrast") { Description = "Scale of lesion-to-liver contrast (1 = default; lower is harder).", DefaultValueFactory = _ => 1 };
        var noise = new Option<double>("--noise") { Description = "Scale of every site's image noise (1 = default).", DefaultValueFactory = _ => 1 };
        var lesionSize = new Option<double>("--lesion-size") { Description = "Scale of lesion volumes (1 = default; lower is harder).", DefaultValueFactory = _ => 1 };
        var command = new Command("synth", "Write a synthetic multi-site contrast-enhanced CT cohort with a manifest and the full lesion truth.")
        {
            output, patients, seed, size, sites, contrast, noise, lesionSize,
        };
        command.SetAction((parse, cancellation) =>
        {
            var profiles = SyntheticSiteDefaults.Study;
            if (parse.GetValue(sites) is { Length: > 0 } names)
            {
                var unknown = names.Where(n => profiles.All(p => p.Name != n)).ToArray();
                if (unknown.Length > 0)
                {
                    stderr.WriteLine($"crlm synth: unknown site(s) {string.Join(", ", unknown)}; known: {string.Join(", ", profiles.Select(p => p.Name))}");
                    return Task.FromResult(ExitCodes.BadInput);
                }

                profiles = profiles.Where(p => names.Contains(p.Name)).ToArray();
            }

            var options = new SyntheticCohortOptions(parse.GetValue(patients), parse.GetValue(seed))
            {
                Size = parse.GetValue(size) == "paper" ? SyntheticSize.Paper : SyntheticSize.Small,
                Sites = profiles,
                Difficulty = new SyntheticDifficulty(parse.GetValue(contrast), parse.GetValue(noise), parse.GetValue(lesionSize)),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"crlm synth: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }

            string folder = parse.GetValue(output)!.FullName;
            var observer = new ConsoleRunObserver(console);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = SyntheticCohortGenerator.Generate(
                options, folder, new Progress<int>(done => observer.Progress("synth", done, options.Patients)), cancellation);
            console.MarkupLine(Markup.Escape(
                $"{result.Patients} patients, {result.Scans} scans, {result.Lesions} lesions ({result.AnnotatedLesions} annotated) in {watch.Elapsed.TotalSeconds:F1} s"));
            console.MarkupLine(Markup.Escape($"manifest: {result.ManifestPath}"));
            console.MarkupLine(Markup.Escape($"truth:    {result.TruthPath}"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
