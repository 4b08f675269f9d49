using System.Diagnostics;
using System.Globalization;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// Opt-in wall-clock measurement of a whole default cohort, for docs/synthetic-cohort.md (speed is
/// measured, not asserted: a timed unit test would fail on a busy machine). Run with
/// <c>CRLM_SYNTH_TIMING=/tmp/cohort CRLM_SYNTH_PATIENTS=100 [CRLM_SYNTH_SIZE=paper] dotnet test -c Release ... --filter FullyQualifiedName~SyntheticTimingProbe --logger "console;verbosity=detailed"</c>.
/// </summary>
public class SyntheticTimingProbe
{
    [RequiresEnvironmentFact("CRLM_SYNTH_TIMING")]
    public void Generate_cohort_for_timing()
    {
        string dir = Environment.GetEnvironmentVariable("CRLM_SYNTH_TIMING")!;
        int patients = int.Parse(Environment.GetEnvironmentVariable("CRLM_SYNTH_PATIENTS") ?? "100", CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        var size = Environment.GetEnvironmentVariable("CRLM_SYNTH_SIZE") == "paper" ? SyntheticSize.Paper : SyntheticSize.Small;
        var result = SyntheticCohortGenerator.Generate(SyntheticCohortOptions.Default(patients, 1) with { Size = size }, dir);
        Assert.Equal(patients, result.Patients);
        Console.WriteLine($"TIMING {size} {patients} patients, {result.Scans} scans, {result.Lesions} lesions: {watch.Elapsed.TotalSeconds:F1} s");
    }
}
