using System.CommandLine;
using Crlm.Cli.Commands;
using Spectre.Console;

namespace Crlm.Cli;

/// <summary>
/// The `crlm` command line. Output goes to the writers given, so tests run it in-process.
/// Argument errors exit with <see cref="ExitCodes.BadInput"/>, not System.CommandLine's default 1,
/// because 1 is reserved for a run that failed.
/// </summary>
internal sealed class CliApp(TextWriter stdout, TextWriter stderr)
{
    public int Run(string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),

            // Colour only on a real terminal: logs of unattended sweeps and captured output stay plain text.
            Ansi = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });

        // Never wrap: issue lines like "file:line: column 'x': ..." must stay whole for grep and for logs.
        console.Profile.Width = 100_000;
        var root = new RootCommand("crlm: benchmark CT foundation-model encoders and build, audit and report the models on top (Crlm.MLNet).")
        {
            InspectCommand.Build(stdout, stderr),
            ValidateCommand.Build(console, stderr),
            RunCommand.Build(console, stderr),
            SynthCommand.Build(console, stderr),
            PreprocessCommand.Build(stdout, stderr),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"crlm: {error.Message}");
            }

            stderr.WriteLine("Run 'crlm --help' for usage.");
            return ExitCodes.BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
