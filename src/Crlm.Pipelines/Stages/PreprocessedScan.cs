using Crlm.Core.Cohort;
using Crlm.Core.Preprocessing;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// One scan after the preprocess stage: where its box lies in the cache and what was done to it. Later
/// stages (encoders, detection) read the files; they never look at the original scan again.
/// </summary>
/// <param name="Scan">The manifest row it came from.</param>
/// <param name="Key">Content key of (input files, parameters, code version): the cache folder's name.</param>
/// <param name="ImagePath">float32 NIfTI of the normalised box.</param>
/// <param name="LiverMaskPath">uint8 0/1 liver mask on the box.</param>
/// <param name="LesionMaskPath">uint8 lesion labels on the box, when the manifest gives a lesion mask.</param>
/// <param name="Report">What was done (the peer's report fields, warnings included).</param>
public sealed record PreprocessedScan(
    ScanRecord Scan, string Key, string ImagePath, string LiverMaskPath, string? LesionMaskPath, PreprocessReport Report);
