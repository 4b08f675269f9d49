using System.Diagnostics;

namespace Crlm.Core.Tests.TestSupport;

/// <summary>
/// Runs Debian's /usr/bin/python3 (not whatever python3 is first on PATH) with nibabel, to check our
/// files against an independent reader. CI installs python3-nibabel; elsewhere the tests are skipped.
/// </summary>
public static class NibabelPython
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Why nibabel cannot be used here, or null when it can (probed once per test run).</summary>
    public static string? UnavailableReason => Probe.Value;

    private static readonly Lazy<string?> Probe = new(() =>
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is absent (CI installs python3-nibabel)";
        }

        try
        {
            Run("import nibabel, numpy; print(nibabel.__version__)");
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"{Python} cannot import nibabel (CI installs python3-nibabel): {e.Message}";
        }
    });

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> and returns its stdout; throws with stderr on failure.</summary>
    public static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{Python} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Python} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}

/// <summary>A fact that is skipped with a clear reason when /usr/bin/python3 or nibabel is missing.</summary>
public sealed class RequiresNibabelFactAttribute : FactAttribute
{
    public RequiresNibabelFactAttribute()
    {
        if (NibabelPython.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that is skipped with a clear reason when Debian's /usr/bin/python3 is missing (its standard library is enough).</summary>
public sealed class RequiresPythonFactAttribute : FactAttribute
{
    public RequiresPythonFactAttribute()
    {
        if (!File.Exists(NibabelPython.Python))
        {
            Skip = $"{NibabelPython.Python} is absent";
        }
    }
}
