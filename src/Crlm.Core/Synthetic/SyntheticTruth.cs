using Crlm.Core.Cohort;
using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>Ground truth of one lesion in one scan's stored (possibly mirrored) voxel grid.</summary>
internal sealed record LesionTruth(
    int Id,
    SyntheticLesionKind Kind,
    bool Annotated,
    int MaskLabel,
    Vec3 CentreWorldMm,
    Vec3 CentreVoxel,
    Int3 BoxMinVoxel,
    Int3 BoxMaxVoxel,
    Vec3 BoxMinWorldMm,
    Vec3 BoxMaxWorldMm,
    int Voxels,
    double VolumeCm3,
    double NominalVolumeCm3,
    bool Rim,
    bool Necrotic);

/// <summary>Ground truth of one scan: every lesion, annotated or not.</summary>
internal sealed record ScanTruth(
    string ScanId,
    string PatientId,
    string Site,
    ContrastPhase Phase,
    CohortLabel Label,
    bool LesionsComplete,
    string Image,
    string StorageAxes,
    IReadOnlyList<LesionTruth> Lesions);

/// <summary>One manifest row (PRODUCT.md columns, paths relative to the manifest).</summary>
internal sealed record ManifestRow(
    string PatientId,
    string ScanId,
    string Site,
    ContrastPhase Phase,
    CohortLabel Label,
    string Image,
    string LiverMask,
    string LesionMask,
    bool LesionsComplete,
    int Age,
    PatientSex Sex);

/// <summary>Everything one patient contributes to the cohort-level files.</summary>
internal sealed record PatientOutput(IReadOnlyList<ManifestRow> Rows, IReadOnlyList<ScanTruth> Truths, int Lesions, int AnnotatedLesions);

/// <summary>Summary of a generated cohort.</summary>
/// <param name="ManifestPath">Absolute path of manifest.csv.</param>
/// <param name="TruthPath">Absolute path of truth.json.</param>
public sealed record SyntheticCohortResult(string ManifestPath, string TruthPath, int Patients, int Scans, int Lesions, int AnnotatedLesions);
