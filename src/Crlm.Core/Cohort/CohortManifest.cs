namespace Crlm.Core.Cohort;

/// <summary>
/// One row of a cohort manifest: one scan. Paths are absolute (resolved against the manifest's
/// folder when the file gives them relative). <see cref="Line"/> is the manifest line it came from.
/// </summary>
public sealed record ScanRecord(
    string PatientId,
    string ScanId,
    string Site,
    ContrastPhase Phase,
    CohortLabel Label,
    string ImagePath,
    string LiverMaskPath,
    string? LesionMaskPath,
    bool LesionsComplete,
    double? Age,
    PatientSex Sex,
    IReadOnlyDictionary<string, string> Covariates,
    int Line);

/// <summary>A patient: every scan of one patient_id (a split never separates them).</summary>
public sealed record PatientRecord(string PatientId, string Site, CohortLabel Label, IReadOnlyList<ScanRecord> Scans);

/// <summary>A loaded cohort manifest: the scans that parsed cleanly, in file order.</summary>
public sealed record CohortManifest(string Path, IReadOnlyList<ScanRecord> Scans)
{
    /// <summary>Required columns, in the order PRODUCT.md gives them; other columns are clinical covariates.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
    [
        "patient_id", "scan_id", "site", "phase", "label", "image", "liver_mask", "lesion_mask", "lesions_complete", "age", "sex",
    ];

    /// <summary>
    /// Patients ordered by id (ordinal), each with its scans. A patient's label and site are those of
    /// its first scan; validation reports patients whose scans disagree.
    /// </summary>
    public IReadOnlyList<PatientRecord> Patients()
    {
        return Scans
            .GroupBy(s => s.PatientId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PatientRecord(g.Key, g.First().Site, g.First().Label, g.ToArray()))
            .ToArray();
    }

    public IReadOnlyList<string> Sites() =>
        Scans.Select(s => s.Site).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
