using Crlm.Core.Harmonisation;
using Crlm.Pipelines.Running;

namespace Crlm.Pipelines.Benchmark;

/// <summary>
/// ComBat by site on the encoder's columns of benchmark rows: fitted on training rows only, applied to held-out
/// rows, so no held-out row shapes the site estimates (docs/combat.md). Covariate columns pass unchanged. No
/// covariate is preserved: the label would be the obvious one, and it is unknown for held-out rows.
/// </summary>
public static class SiteHarmoniser
{
    public static (BenchmarkRows Fitted, BenchmarkRows Applied, IReadOnlyList<string> Warnings) Harmonise(
        BenchmarkRows fit, BenchmarkRows apply, int embeddingDimension, UnseenSitePolicy? unseen, string where)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(apply);
        var unseenSites = apply.Sites.Distinct(StringComparer.Ordinal).Except(fit.Sites, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (unseenSites.Length > 0 && unseen is null)
        {
            throw new StageFailedException(
                $"ComBat ({where}): site(s) {string.Join(", ", unseenSites)} have no training rows, so their site effect is unknown; " +
                "set 'combat_unseen_sites: pass_through' (leave them unharmonised) or 'error' under 'benchmark' to say what to do");
        }

        var options = new ComBatOptions { UnseenSites = unseen ?? UnseenSitePolicy.Error };
        try
        {
            var model = ComBatModel.Fit(Columns(fit, embeddingDimension), fit.Sites, null, options);
            var applied = model.Model.Apply(Columns(apply, embeddingDimension), apply.Sites);
            return (With(fit, model.Harmonised), With(apply, applied.Harmonised), [.. model.Warnings, .. applied.Warnings]);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"ComBat ({where}): {e.Message}", e);
        }
    }

    private static double[][] Columns(BenchmarkRows rows, int dimension) =>
        rows.Features.Select(f => f.AsSpan(0, dimension).ToArray().Select(v => (double)v).ToArray()).ToArray();

    private static BenchmarkRows With(BenchmarkRows rows, double[][] harmonised)
    {
        var features = new float[rows.Count][];
        for (int n = 0; n < rows.Count; n++)
        {
            var row = (float[])rows.Features[n].Clone();
            for (int d = 0; d < harmonised[n].Length; d++)
            {
                row[d] = (float)harmonised[n][d];
            }

            features[n] = row;
        }

        return rows with { Features = features };
    }
}
