namespace Crlm.Core.Harmonisation;

/// <summary>Harmonised rows (same order and shape as the input) and what the caller should know about them.</summary>
public sealed record ComBatResult(double[][] Harmonised, IReadOnlyList<string> Warnings);

/// <summary>
/// A fitted model and the training rows harmonised with their own covariates (a training-only label included, so these
/// can differ from <c>Model.Apply</c> on the same rows when a label is preserved).
/// </summary>
public sealed record ComBatFit(ComBatModel Model, double[][] Harmonised, IReadOnlyList<string> Warnings);
