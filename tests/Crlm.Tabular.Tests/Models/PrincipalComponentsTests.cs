using Crlm.Tabular.Models;

namespace Crlm.Tabular.Tests.Models;

public class PrincipalComponentsTests
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
}
