namespace Crlm.Core.Radiomics;

/// <summary>
/// One computed radiomics feature. <paramref name="Name"/> is the IBSI manual's name (e.g. "Joint maximum"), so
/// results can be matched to the IBSI reference tables and to other IBSI-conformant tools by name.
/// </summary>
/// <param name="Family">e.g. "morphology", "intensity_statistics", "intensity_histogram", "glcm", "glrlm", "glszm".</param>
/// <param name="Name">The IBSI feature name.</param>
/// <param name="Value">NaN when the feature is undefined for this ROI (e.g. a correlation of a constant ROI).</param>
public sealed record RadiomicsFeature(string Family, string Name, double Value);
