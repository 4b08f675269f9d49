using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// Opt-in wall-clock measurement of a whole default cohort, for docs/synthetic-cohort.md (speed is
/// measured, not asserted: a timed unit test would fail on a busy machine). It also prints the
/// quartiles of the metastasis volumes written to truth.json, the numbers the docs quote. Run with
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

        // Every scan of a patient repeats its lesions: count each (patient, lesion id) once.
        using var truth = JsonDocument.Parse(File.ReadAllText(result.TruthPath));
        var volumes = truth.RootElement.GetProperty("scans").EnumerateArray()
            .SelectMany(s => s.GetProperty("lesions").EnumerateArray()
                .Where(l => l.GetProperty("type").GetString() == "metastasis")
                .Select(l => (Key: $"{s.GetProperty("patient_id").GetString()}/{l.GetProperty("id").GetInt32()}", Volume: l.GetProperty("volume_cm3").GetDouble())))
            .DistinctBy(l => l.Key)
            .Select(l => l.Volume)
            .Order()
            .ToArray();
        if (volumes.Length > 0)
        {
            double Quantile(double q)
            {
                double at = q * (volumes.Length - 1);
                int lo = (int)Math.Floor(at);
                return volumes[lo] + (volumes[Math.Min(lo + 1, volumes.Length - 1)] - volumes[lo]) * (at - lo);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VOLUMES {volumes.Length} metastases, written Q1 / median / Q3: {Quantile(0.25):F2} / {Quantile(0.5):F2} / {Quantile(0.75):F2} cm3"));
        }
    }
}
