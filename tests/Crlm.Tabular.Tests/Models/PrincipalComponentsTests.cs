using Crlm.Tabular.Models;
using Xunit.Abstractions;

namespace Crlm.Tabular.Tests.Models;

public class PrincipalComponentsTests(ITestOutputHelper output)
{
    private static readonly double[] Rows = ModelFixtures.Flat(ModelFixtures.Components.GetProperty("resampled_x"), out Count, out Dim);
    private static readonly int Count;
    private static readonly int Dim;

    [Fact]
    public void Explained_variance_ratio_matches_scikit_learn_for_every_component()
    {
        var all = PrincipalComponents.Fit(Rows, Count, Dim, Math.Min(Count, Dim));
        var expected = ModelFixtures.Doubles(ModelFixtures.Components.GetProperty("pca_all_explained_variance_ratio"));
        Assert.Equal(expected.Length, all.ExplainedVarianceRatio.Count);
        output.WriteLine($"max |Δ ratio| vs sklearn: {expected.Select((e, c) => Math.Abs(e - all.ExplainedVarianceRatio[c])).Max():E2}");
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.Equal(expected[c], all.ExplainedVarianceRatio[c], 1e-12);
        }
    }

    [Fact]
    public void Components_mean_and_signs_match_scikit_learns_svd_flip()
    {
        var pca = PrincipalComponents.Fit(Rows, Count, Dim, 5);
        var expected = ModelFixtures.Flat(ModelFixtures.Components.GetProperty("pca_components"), out _, out _);
        var mean = ModelFixtures.Doubles(ModelFixtures.Components.GetProperty("pca_mean"));
        output.WriteLine($"max |Δ component| vs sklearn: {expected.Select((e, i) => Math.Abs(e - pca.Components[i])).Max():E2}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], pca.Components[i], 1e-10);
        }

        for (int j = 0; j < Dim; j++)
        {
            Assert.Equal(mean[j], pca.Mean[j], 1e-12);
        }
    }

    [Fact]
    public void Projections_match_scikit_learns_transform()
    {
        var pca = PrincipalComponents.Fit(Rows, Count, Dim, 5);
        var expected = ModelFixtures.Flat(ModelFixtures.Components.GetProperty("pca_projection_first5"), out int n, out int k);
        var scores = new double[k];
        for (int i = 0; i < n; i++)
        {
            pca.Project(Rows.AsSpan(i * Dim, Dim), scores);
            for (int c = 0; c < k; c++)
            {
                Assert.Equal(expected[(i * k) + c], scores[c], 1e-10);
            }
        }
    }

    [Fact]
    public void More_features_than_rows_takes_the_transposed_path_and_agrees_with_the_other()
    {
        // 12 rows of the fixture, 24 features: rank 12; compare with the same data padded to 30 rows of copies' mean.
        var wide = Rows.AsSpan(0, 12 * Dim).ToArray();
        var pca = PrincipalComponents.Fit(wide, 12, Dim, 4);
        double total = pca.ExplainedVarianceRatio.Sum();
        Assert.InRange(total, 0, 1);
        // Reconstruct each score through the components: orthonormal rows.
        for (int a = 0; a < 4; a++)
        {
            for (int b = 0; b < 4; b++)
            {
                double dot = Enumerable.Range(0, Dim).Sum(j => pca.Components[(a * Dim) + j] * pca.Components[(b * Dim) + j]);
                Assert.Equal(a == b ? 1 : 0, dot, 1e-10);
            }
        }
    }

    [Fact]
    public void Too_many_components_names_the_limit()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PrincipalComponents.Fit(Rows, Count, Dim, Dim + 1));
        Assert.Contains($"[1, {Dim}]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40, 120, 1)] // wide: the n × n Gram route
    [InlineData(150, 30, 2)] // tall: the d × d covariance route
    [InlineData(24, 24, 3)]
    public void The_eigen_route_gives_the_SVD_routes_components_and_variances(int count, int dimension, int seed)
    {
        var rows = RandomRows(count, dimension, seed);
        var eigen = PcaBasis.Fit(rows, count, dimension, PcaSolver.Eigen);
        var svd = PcaBasis.Fit(rows, count, dimension, PcaSolver.Svd);

        // Centred Gaussian rows: rank min(n − 1, d), every eigenvalue far above the floor but the null one (wide/square).
        Assert.Equal(Math.Min(count - 1, dimension), eigen.Count);
        Assert.Equal(Math.Min(count, dimension), svd.Count);
        double worstComponent = 0, worstVariance = 0, worstRatio = 0;
        for (int c = 0; c < eigen.Count; c++)
        {
            for (int j = 0; j < dimension; j++)
            {
                worstComponent = Math.Max(worstComponent, Math.Abs(eigen.Components.Components[(c * dimension) + j] - svd.Components.Components[(c * dimension) + j]));
            }

            worstVariance = Math.Max(worstVariance, Math.Abs(eigen.Components.ExplainedVariance[c] - svd.Components.ExplainedVariance[c]) / svd.Components.ExplainedVariance[0]);
            worstRatio = Math.Max(worstRatio, Math.Abs(eigen.Components.ExplainedVarianceRatio[c] - svd.Components.ExplainedVarianceRatio[c]));
        }

        output.WriteLine($"{count} × {dimension}: max |Δ component| {worstComponent:E2}, max |Δ variance| / λ₁ {worstVariance:E2}, max |Δ ratio| {worstRatio:E2}");
        Assert.True(worstComponent < 1e-10, $"components differ by {worstComponent}");
        Assert.True(worstVariance < 1e-12, $"variances differ by {worstVariance} of the largest");
        Assert.True(worstRatio < 1e-12, $"variance ratios differ by {worstRatio}");
    }

    [Fact]
    public void Basis_scores_are_Projects_and_leading_components_are_Fits()
    {
        var basis = PcaBasis.Fit(Rows, Count, Dim, PcaSolver.Eigen);
        var fit = PrincipalComponents.Fit(Rows, Count, Dim, 7);
        Assert.Equal(fit.Components, basis.Components.Leading(7).Components);
        Assert.Equal(fit.ExplainedVarianceRatio, basis.Components.Leading(7).ExplainedVarianceRatio);
        var scores = new double[7];
        var leading = basis.LeadingScores(7);
        for (int i = 0; i < Count; i++)
        {
            fit.Project(Rows.AsSpan(i * Dim, Dim), scores);
            for (int c = 0; c < 7; c++)
            {
                Assert.Equal((float)scores[c], leading[(i * 7) + c]);
            }
        }
    }

    [Fact]
    public void Components_past_the_eigen_routes_floor_come_from_the_SVD()
    {
        // 10 rows, 30 features: centred rank 9, so the 10th component is a null direction only the SVD returns.
        var rows = RandomRows(10, 30, 4);
        Assert.Equal(9, PcaBasis.Fit(rows, 10, 30, PcaSolver.Eigen).Count);
        var all = PrincipalComponents.Fit(rows, 10, 30, 10);
        var svd = PrincipalComponents.Fit(rows, 10, 30, 10, PcaSolver.Svd);
        Assert.Equal(svd.Components, all.Components);
    }

    private static double[] RandomRows(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        // Unequal column scales so the spectrum is spread like real features', not flat.
        var scale = Enumerable.Range(0, dimension).Select(j => 1 + (3.0 * j / dimension)).ToArray();
        return [.. Enumerable.Range(0, count * dimension).Select(i => FoldCacheTests.Gaussian(random) * scale[i % dimension])];
    }
}
