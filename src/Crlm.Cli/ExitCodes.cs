namespace Crlm.Cli;

/// <summary>The CLI's exit codes: scripts and sweep drivers rely on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input was fine but the run failed (a stage met a data problem it cannot pass).</summary>
    public const int RunFailed = 1;

    /// <summary>Bad input: a missing or malformed file, an invalid manifest or spec, a wrong argument.</summary>
    public const int BadInput = 2;
}
