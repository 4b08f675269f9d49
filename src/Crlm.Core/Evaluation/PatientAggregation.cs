namespace Crlm.Core.Evaluation;

/// <summary>One scan's predicted probability; the pipeline predicts per scan.</summary>
/// <param name="Dataset">Which evaluation set the patient belongs to, e.g. "internal_test" or "external".</param>
public sealed record ScanPrediction(string PatientId, string ScanId, string Site, string Dataset, string Phase, bool Positive, double Probability);

/// <summary>One patient's probability: the mean over their scans (or over their scans of one phase).</summary>
/// <param name="Phase">Null for all phases together.</param>
public sealed record PatientPrediction(string PatientId, string Site, string Dataset, string? Phase, bool Positive, double Probability, int Scans);

/// <summary>
/// Scan probabilities to patient probabilities. The study's unit is the patient (splits and bootstrap resample
/// patients), so a patient with three scans must count once, not three times. The mean is used: it keeps the
/// probability scale (Brier and calibration stay meaningful) and no single scan decides alone.
/// </summary>
public static class PatientAggregation
{
    /// <summary>One row per patient, ordered by patient id (ordinal). Label, site and dataset must agree across a
    /// patient's scans; a disagreement is a data error and is reported rather than guessed.</summary>
    public static IReadOnlyList<PatientPrediction> ByPatient(IEnumerable<ScanPrediction> scans) => Aggregate(scans, byPhase: false);

    /// <summary>One row per (patient, phase), ordered by patient id then phase (ordinal).</summary>
    public static IReadOnlyList<PatientPrediction> ByPatientAndPhase(IEnumerable<ScanPrediction> scans) => Aggregate(scans, byPhase: true);

    private static List<PatientPrediction> Aggregate(IEnumerable<ScanPrediction> scans, bool byPhase)
    {
        ArgumentNullException.ThrowIfNull(scans);
        var groups = new SortedDictionary<(string Patient, string Phase), List<ScanPrediction>>(
            Comparer<(string Patient, string Phase)>.Create((a, b) =>
            {
                int c = string.CompareOrdinal(a.Patient, b.Patient);
                return c != 0 ? c : string.CompareOrdinal(a.Phase, b.Phase);
            }));
        foreach (var scan in scans)
        {
            ArgumentNullException.ThrowIfNull(scan);
            if (!double.IsFinite(scan.Probability))
            {
                throw new ArgumentException($"scan {scan.ScanId} of patient {scan.PatientId} has probability {scan.Probability}", nameof(scans));
            }

            var key = (scan.PatientId, byPhase ? scan.Phase : "");
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(scan);
        }

        var rows = new List<PatientPrediction>(groups.Count);
        foreach (var ((patient, phase), list) in groups)
        {
            ScanPrediction first = list[0];
            foreach (var s in list)
            {
                if (s.Positive != first.Positive || s.Site != first.Site || s.Dataset != first.Dataset)
                {
                    throw new ArgumentException(
                        $"patient {patient}: scans {first.ScanId} and {s.ScanId} disagree on label, site or dataset", nameof(scans));
                }
            }

            double sum = 0;
            foreach (var s in list)
            {
                sum += s.Probability;
            }

            rows.Add(new PatientPrediction(patient, first.Site, first.Dataset, byPhase ? phase : null, first.Positive, sum / list.Count, list.Count));
        }

        return rows;
    }
}
