using Crlm.Core.Harmonisation;
using Crlm.Core.Randomness;

namespace Crlm.Core.Tests.Harmonisation;

/// <summary>What ComBat must do whatever the numbers: remove site location and scale, keep covariate effects, treat a row
/// the same at fit and at apply time, not depend on row order, and handle unseen sites, single-row sites and degenerate
/// inputs as docs/combat.md says.</summary>
public class ComBatPropertyTests
{
    private static readonly string[] SiteNames = ["north", "south", "east"];

    /// <summary>Seeded multi-site data: 8 features, per-site shift and scale, an age effect of 0.3 per year on every feature,
    /// age ranges that differ by site.</summary>
    private static (double[][] Features, string[] Sites, double[] Age) Synthetic(long seed, int perSite = 30)
    {
        var rng = new SplitMix64(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double[] shift = [0, 3, -2];
        double[] scale = [1, 2.5, 0.5];
        var features = new List<double[]>();
        var sites = new List<string>();
        var age = new List<double>();
        for (int k = 0; k < SiteNames.Length; k++)
        {
            for (int i = 0; i < perSite; i++)
            {
                double a = 40 + (10 * k) + (30 * rng.NextDouble()); // older sites: age and site partly confounded
                features.Add(Enumerable.Range(0, 8).Select(j => 5 + j + (0.3 * (a - 60)) + shift[k] + (scale[k] * Normal())).ToArray());
                sites.Add(SiteNames[k]);
                age.Add(a);
            }
        }

        return (features.ToArray(), sites.ToArray(), age.ToArray());
    }

    [Fact]
    public void Per_site_means_and_variances_move_close_to_the_pooled_ones()
    {
        var (x, sites, age) = Synthetic(1, perSite: 200);
        var covariates = new[] { ComBatCovariate.Preserved("age", age) };

        var fit = ComBatModel.Fit(x, sites, covariates);

        // Residuals after the age effect, so that age imbalance between sites does not count as a site effect.
        for (int j = 0; j < 8; j++)
        {
            var (meanGapBefore, varianceRatioBefore) = SiteSpread(x, sites, age, j);
            var (meanGapAfter, varianceRatioAfter) = SiteSpread(fit.Harmonised, sites, age, j);
            Assert.True(meanGapAfter < meanGapBefore / 10, $"feature {j}: site mean gap {meanGapBefore} -> {meanGapAfter}");
            Assert.True(varianceRatioAfter < 1.6 && varianceRatioBefore > 10, $"feature {j}: variance ratio {varianceRatioBefore} -> {varianceRatioAfter}");
        }
    }

    [Fact]
    public void A_preserved_covariate_keeps_its_slope()
    {
        var (x, sites, age) = Synthetic(2, perSite: 200);

        var fit = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age)]);
        var withoutAge = ComBatModel.Fit(x, sites);

        // Within sites, ComBat only rescales: each site's own deviation from the pooled slope shrinks by 1/√δ*, so the
        // within-site slope stays near. Across sites, the older sites' higher means are age, not site: preserved, they
        // survive, and the one-intercept slope after harmonisation matches the within-site one; not preserved, ComBat
        // removes them as site effects and that slope drops.
        for (int j = 0; j < 8; j++)
        {
            double before = WithinSiteSlope(x, sites, age, j);
            double after = WithinSiteSlope(fit.Harmonised, sites, age, j);
            double acrossSites = OverallSlope(fit.Harmonised, age, j);
            double acrossSitesDropped = OverallSlope(withoutAge.Harmonised, age, j);
            Assert.InRange(before, 0.27, 0.33); // the generator's 0.3 per year
            Assert.True(Math.Abs(after - before) < 0.03, $"feature {j}: within-site slope {before} -> {after}");
            Assert.True(Math.Abs(acrossSites - before) < 0.03, $"feature {j}: one-intercept slope {acrossSites}, within-site {before}");
            Assert.True(acrossSitesDropped < before - 0.1, $"feature {j}: one-intercept slope {acrossSitesDropped} without age, {before} within sites");
        }
    }

    private static double OverallSlope(double[][] x, double[] covariate, int j)
    {
        double mc = covariate.Average();
        double my = x.Average(row => row[j]);
        double sxy = Enumerable.Range(0, x.Length).Sum(i => (covariate[i] - mc) * (x[i][j] - my));
        double sxx = covariate.Sum(c => (c - mc) * (c - mc));
        return sxy / sxx;
    }

    [Fact]
    public void Applying_to_training_rows_reproduces_the_fit_output_row_by_row()
    {
        var (x, sites, age) = Synthetic(3);
        var fit = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age)]);

        var all = fit.Model.Apply(x, sites, [ComBatCovariate.Preserved("age", age)]);
        var one = fit.Model.Apply([x[40]], [sites[40]], [ComBatCovariate.Preserved("age", [age[40]])]);

        AssertClose(fit.Harmonised, all.Harmonised, 1e-12);
        AssertClose([fit.Harmonised[40]], one.Harmonised, 1e-12);
        Assert.Empty(all.Warnings);
    }

    [Fact]
    public void Held_out_rows_of_a_training_site_are_adjusted_as_training_rows_are()
    {
        var (x, sites, age) = Synthetic(4);
        int[] trainRows = Enumerable.Range(0, x.Length).Where(i => i % 5 != 0).ToArray();
        int[] heldRows = Enumerable.Range(0, x.Length).Where(i => i % 5 == 0).ToArray();
        var fit = ComBatModel.Fit(
            trainRows.Select(i => x[i]).ToArray(), trainRows.Select(i => sites[i]).ToArray(), [ComBatCovariate.Preserved("age", trainRows.Select(i => age[i]).ToArray())]);

        var held = fit.Model.Apply(
            heldRows.Select(i => x[i]).ToArray(), heldRows.Select(i => sites[i]).ToArray(), [ComBatCovariate.Preserved("age", heldRows.Select(i => age[i]).ToArray())]);

        // The same affine map per (site, feature): x* = (x − μ(age) − σγ*)/√δ* + μ(age), checked against the model's estimates.
        for (int r = 0; r < heldRows.Length; r++)
        {
            int i = heldRows[r];
            for (int j = 0; j < 8; j++)
            {
                double sd = Math.Sqrt(fit.Model.PooledVariance[j]);
                double gamma = fit.Model.GammaStar(sites[i])[j];
                double delta = fit.Model.DeltaStar(sites[i])[j];
                double change = held.Harmonised[r][j] - x[i][j];
                double sameRowViaTraining = fit.Model.Apply([x[i]], [sites[i]], [ComBatCovariate.Preserved("age", [age[i]])]).Harmonised[0][j];
                Assert.Equal(sameRowViaTraining, held.Harmonised[r][j], 12);
                Assert.True(Math.Abs(change) > 0 || (gamma == 0 && delta == 1), "held-out rows are harmonised");
                Assert.True(sd > 0);
            }
        }
    }

    [Fact]
    public void Row_order_does_not_change_the_result()
    {
        var (x, sites, age) = Synthetic(5);
        int[] order = Enumerable.Range(0, x.Length).ToArray();
        new SplitMix64(99).Shuffle(order);

        var fit = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age)]);
        var shuffled = ComBatModel.Fit(
            order.Select(i => x[i]).ToArray(), order.Select(i => sites[i]).ToArray(), [ComBatCovariate.Preserved("age", order.Select(i => age[i]).ToArray())]);

        AssertClose(order.Select(i => fit.Harmonised[i]).ToArray(), shuffled.Harmonised, 1e-10);
    }

    [Fact]
    public void An_unseen_site_is_an_error_naming_it_by_default()
    {
        var (x, sites, _) = Synthetic(6);
        var fit = ComBatModel.Fit(x, sites);

        var error = Assert.Throws<ArgumentException>(() => fit.Model.Apply([x[0], x[1]], ["north", "mars"]));

        Assert.Contains("'mars'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not in the training data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unseen_site_passes_through_with_a_warning_when_asked()
    {
        var (x, sites, _) = Synthetic(6);
        var fit = ComBatModel.Fit(x, sites, options: new ComBatOptions { UnseenSites = UnseenSitePolicy.PassThrough });

        var result = fit.Model.Apply([x[0], x[1]], ["north", "mars"]);

        Assert.Equal(x[1], result.Harmonised[1]);
        Assert.NotEqual(x[0], result.Harmonised[0]);
        Assert.Contains(result.Warnings, w => w.Contains("'mars'", StringComparison.Ordinal) && w.Contains("un-harmonised", StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_row_site_gets_a_mean_shift_only_or_the_error_asked_for()
    {
        var (x, sites, _) = Synthetic(7);
        double[][] withSingle = [.. x, x[0].Select(v => v + 4).ToArray()];
        string[] singleSites = [.. sites, "solo"];

        var fit = ComBatModel.Fit(withSingle, singleSites);
        var error = Assert.Throws<ArgumentException>(() =>
            ComBatModel.Fit(withSingle, singleSites, options: new ComBatOptions { SingleRowSites = SingleRowSitePolicy.Error }));

        Assert.Equal(["solo"], fit.Model.MeanShiftOnlySites);
        Assert.All(fit.Model.DeltaStar("solo"), d => Assert.Equal(1.0, d));
        double[] expectedSolo = withSingle[^1].Select((v, j) => v - (Math.Sqrt(fit.Model.PooledVariance[j]) * fit.Model.GammaStar("solo")[j])).ToArray();
        for (int j = 0; j < 8; j++)
        {
            Assert.Equal(expectedSolo[j], fit.Harmonised[^1][j], 10); // a pure shift: x − σγ*
        }

        Assert.Single(fit.Warnings);
        Assert.Contains("'solo'", error.Message, StringComparison.Ordinal);
        Assert.Equal(fit.Harmonised[^1], fit.Model.Apply([withSingle[^1]], ["solo"]).Harmonised[0]);
    }

    [Fact]
    public void Mean_only_removes_shifts_but_keeps_site_scales()
    {
        var (x, sites, _) = Synthetic(8);

        var fit = ComBatModel.Fit(x, sites, options: new ComBatOptions { Variant = ComBatVariant.MeanOnly });

        Assert.Equal(SiteNames.Order(StringComparer.Ordinal), fit.Model.MeanShiftOnlySites);
        for (int j = 0; j < 8; j++)
        {
            double ratioBefore = SiteVariances(x, sites, j).Max() / SiteVariances(x, sites, j).Min();
            double ratioAfter = SiteVariances(fit.Harmonised, sites, j).Max() / SiteVariances(fit.Harmonised, sites, j).Min();
            Assert.Equal(ratioBefore, ratioAfter, 9);
        }
    }

    [Fact]
    public void A_training_only_label_is_preserved_in_the_fit_and_refused_at_apply()
    {
        var (x, sites, age) = Synthetic(9);
        double[] label = Enumerable.Range(0, x.Length).Select(i => (double)(i % 3 == 0 ? 1 : 0)).ToArray();
        var fit = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age), ComBatCovariate.TrainingOnlyOutcome("label", label)]);

        var refused = Assert.Throws<ArgumentException>(() =>
            fit.Model.Apply([x[0]], [sites[0]], [ComBatCovariate.Preserved("age", [age[0]]), ComBatCovariate.Preserved("label", [1])]));
        var missing = Assert.Throws<ArgumentException>(() => fit.Model.Apply([x[0]], [sites[0]]));
        var held = fit.Model.Apply([x[0]], [sites[0]], [ComBatCovariate.Preserved("age", [age[0]])]);

        Assert.Contains("training-only", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'age' is missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal(["age", "label"], fit.Model.CovariateNames);
        Assert.Equal(8, held.Harmonised[0].Length);
    }

    [Fact]
    public void A_covariate_confounded_with_site_is_an_error_naming_it()
    {
        var (x, sites, _) = Synthetic(10);
        double[] scannerKv = sites.Select(s => s == "north" ? 120.0 : 100.0).ToArray();

        var error = Assert.Throws<ArgumentException>(() => ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("kvp", scannerKv)]));

        Assert.Contains("'kvp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitting_is_deterministic()
    {
        var (x, sites, age) = Synthetic(11);

        var first = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age)]);
        var second = ComBatModel.Fit(x, sites, [ComBatCovariate.Preserved("age", age)]);

        AssertClose(first.Harmonised, second.Harmonised, 0);
    }

    private static (double MeanGap, double VarianceRatio) SiteSpread(double[][] x, string[] sites, double[] age, int j)
    {
        double slope = WithinSiteSlope(x, sites, age, j);
        double[][] residual = x.Select((row, i) => new[] { row[j] - (slope * age[i]) }).ToArray();
        double[] means = SiteNames.Select(s => Enumerable.Range(0, x.Length).Where(i => sites[i] == s).Average(i => residual[i][0])).ToArray();
        double[] variances = SiteVariances(residual, sites, 0);
        return (means.Max() - means.Min(), variances.Max() / variances.Min());
    }

    private static double[] SiteVariances(double[][] x, string[] sites, int j) =>
        SiteNames.Select(s =>
        {
            double[] v = Enumerable.Range(0, x.Length).Where(i => sites[i] == s).Select(i => x[i][j]).ToArray();
            double mean = v.Average();
            return v.Sum(t => (t - mean) * (t - mean)) / (v.Length - 1);
        }).ToArray();

    /// <summary>OLS slope of feature j on the covariate with one intercept per site (site effects cannot pose as covariate effects).</summary>
    private static double WithinSiteSlope(double[][] x, string[] sites, double[] covariate, int j)
    {
        double sxy = 0, sxx = 0;
        foreach (string s in SiteNames)
        {
            int[] rows = Enumerable.Range(0, x.Length).Where(i => sites[i] == s).ToArray();
            double mc = rows.Average(i => covariate[i]);
            double my = rows.Average(i => x[i][j]);
            sxy += rows.Sum(i => (covariate[i] - mc) * (x[i][j] - my));
            sxx += rows.Sum(i => (covariate[i] - mc) * (covariate[i] - mc));
        }

        return sxy / sxx;
    }

    private static void AssertClose(double[][] expected, double[][] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            for (int j = 0; j < expected[i].Length; j++)
            {
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= tolerance, $"row {i}, feature {j}: {expected[i][j]} vs {actual[i][j]}");
            }
        }
    }
}
