namespace Crlm.Core.Harmonisation;

/// <summary>
/// ComBat's standardisation model: per feature, OLS of x on [site indicators (one per site, no intercept), centred
/// covariates]. Gives the grand mean α (row-weighted mean of the site intercepts), the covariate coefficients β and the
/// pooled variance σ² (mean squared residual, divided by n as neuroCombat does).
/// </summary>
internal sealed record SiteCovariateRegression(double[] GrandMean, double[][] Beta, double[] PooledVariance)
{
    public double CovariateEffect(double[] centredCovariates, int feature)
    {
        double effect = 0;
        for (int c = 0; c < centredCovariates.Length; c++)
        {
            effect += centredCovariates[c] * Beta[c][feature];
        }

        return effect;
    }

    public static SiteCovariateRegression Fit(
        IReadOnlyList<double[]> features, int[] siteOf, int[] counts, double[][] centredCovariates, IReadOnlyList<string> covariateNames)
    {
        int n = features.Count;
        int sites = counts.Length;
        int q = covariateNames.Count;
        int width = sites + q;
        int featureCount = features[0].Length;

        double[][] design = new double[n][];
        for (int i = 0; i < n; i++)
        {
            design[i] = new double[width];
            design[i][siteOf[i]] = 1;
            Array.Copy(centredCovariates[i], 0, design[i], sites, q);
        }

        var gram = new double[width, width];
        foreach (double[] d in design)
        {
            for (int a = 0; a < width; a++)
            {
                for (int b = 0; b <= a; b++)
                {
                    gram[a, b] += d[a] * d[b];
                }
            }
        }

        Cholesky factor = Cholesky.TryFactor(gram, out int failed)
            ?? throw new ArgumentException(
                $"ComBat: covariate '{covariateNames[failed - sites]}' is (nearly) a combination of the site indicators and the " +
                "covariates before it (e.g. constant within every site); its effect cannot be told apart from the site effects");

        var grandMean = new double[featureCount];
        var beta = Enumerable.Range(0, q).Select(_ => new double[featureCount]).ToArray();
        var pooledVariance = new double[featureCount];
        var rhs = new double[width];
        for (int j = 0; j < featureCount; j++)
        {
            Array.Clear(rhs);
            for (int i = 0; i < n; i++)
            {
                for (int a = 0; a < width; a++)
                {
                    rhs[a] += design[i][a] * features[i][j];
                }
            }

            double[] coef = factor.Solve(rhs);
            for (int k = 0; k < sites; k++)
            {
                grandMean[j] += (double)counts[k] / n * coef[k];
            }

            for (int c = 0; c < q; c++)
            {
                beta[c][j] = coef[sites + c];
            }

            double sum2 = 0;
            for (int i = 0; i < n; i++)
            {
                double fitted = 0;
                for (int a = 0; a < width; a++)
                {
                    fitted += design[i][a] * coef[a];
                }

                double r = features[i][j] - fitted;
                sum2 += r * r;
            }

            pooledVariance[j] = sum2 / n;
        }

        return new SiteCovariateRegression(grandMean, beta, pooledVariance);
    }
}
