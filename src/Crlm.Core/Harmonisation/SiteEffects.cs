namespace Crlm.Core.Harmonisation;

/// <summary>
/// One site's shrunk batch effects on the standardised scale: gamma* (additive) and delta²* (multiplicative) per feature.
/// The priors are the site's own, pooled over its features (Johnson, Li &amp; Rabinovic 2007; neuroCombat): gamma ~ N(γ̄, τ²),
/// delta² ~ InvGamma(a, b), with method-of-moments hyperparameters.
/// </summary>
internal sealed record SiteEffects(double[] Gamma, double[] Delta, int Iterations)
{
    /// <summary>
    /// Parametric EB. <paramref name="rows"/>: the site's standardised rows over the harmonised features (at least two
    /// rows, at least two features).
    /// </summary>
    public static SiteEffects Parametric(IReadOnlyList<double[]> rows, double convergence, int maxIterations, string site)
    {
        int m = rows.Count;
        double[] gammaHat = ColumnMeans(rows);
        double[] deltaHat = ColumnVariances(rows, gammaHat);
        for (int j = 0; j < deltaHat.Length; j++)
        {
            // A feature constant within the site has no scale to estimate; neuroCombat and sva treat it as delta² = 1.
            if (deltaHat[j] == 0)
            {
                deltaHat[j] = 1;
            }
        }

        (double gammaBar, double tau2) = MeanAndVariance(gammaHat);
        (double deltaMean, double deltaSpread) = MeanAndVariance(deltaHat);

        if (deltaSpread == 0)
        {
            // Every delta-hat equal: the moment-matched inverse gamma degenerates to a point mass at that value.
            var pointDelta = Enumerable.Repeat(deltaMean, deltaHat.Length).ToArray();
            return new SiteEffects(PosteriorMeans(gammaHat, gammaBar, tau2, m, pointDelta), pointDelta, 0);
        }

        // Method of moments for InvGamma(a, b): mean b/(a-1) = m̄, variance m̄²/(a-2) = s².
        double a = (2 * deltaSpread + deltaMean * deltaMean) / deltaSpread;
        double b = (deltaMean * deltaSpread + deltaMean * deltaMean * deltaMean) / deltaSpread;

        double[] gammaOld = (double[])gammaHat.Clone();
        double[] deltaOld = (double[])deltaHat.Clone();
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            double[] gammaNew = PosteriorMeans(gammaHat, gammaBar, tau2, m, deltaOld);
            var deltaNew = new double[gammaNew.Length];
            for (int j = 0; j < gammaNew.Length; j++)
            {
                double sum2 = 0;
                foreach (double[] row in rows)
                {
                    double r = row[j] - gammaNew[j];
                    sum2 += r * r;
                }

                deltaNew[j] = (0.5 * sum2 + b) / (m / 2.0 + a - 1.0);
            }

            double change = Math.Max(LargestRelativeChange(gammaNew, gammaOld), LargestRelativeChange(deltaNew, deltaOld));
            gammaOld = gammaNew;
            deltaOld = deltaNew;
            if (change <= convergence)
            {
                return new SiteEffects(gammaNew, deltaNew, iteration);
            }
        }

        throw new InvalidOperationException(
            $"ComBat's empirical-Bayes iteration for site '{site}' did not converge in {maxIterations} iterations");
    }

    /// <summary>
    /// Mean shift only (delta² = 1): neuroCombat's mean-only posterior, gamma* = (τ² γ̂ + γ̄) / (τ² + 1) (it takes n = 1 and
    /// delta² = 1 in the posterior mean, as sva does). Used for the mean-only variant and for single-row sites.
    /// </summary>
    public static SiteEffects MeanOnly(IReadOnlyList<double[]> rows)
    {
        double[] gammaHat = ColumnMeans(rows);
        (double gammaBar, double tau2) = MeanAndVariance(gammaHat);
        double[] ones = Enumerable.Repeat(1.0, gammaHat.Length).ToArray();
        return new SiteEffects(PosteriorMeans(gammaHat, gammaBar, tau2, 1, ones), ones, 0);
    }

    /// <summary>E[gamma | delta²]: the precision-weighted mix of the site mean γ̂ (n/δ²) and the prior mean γ̄ (1/τ²).</summary>
    private static double[] PosteriorMeans(double[] gammaHat, double gammaBar, double tau2, int n, double[] delta)
    {
        var result = new double[gammaHat.Length];
        for (int j = 0; j < result.Length; j++)
        {
            result[j] = (tau2 * n * gammaHat[j] + delta[j] * gammaBar) / (tau2 * n + delta[j]);
        }

        return result;
    }

    /// <summary>
    /// max |new − old| / old, the old value's sign kept as neuroCombat and sva compute it (a negative gamma then never
    /// holds the iteration back; the deltas, always positive, still do). Undefined ratios (old = 0) are skipped.
    /// </summary>
    private static double LargestRelativeChange(double[] current, double[] previous)
    {
        double largest = double.NegativeInfinity;
        for (int j = 0; j < current.Length; j++)
        {
            double ratio = Math.Abs(current[j] - previous[j]) / previous[j];
            if (!double.IsNaN(ratio) && ratio > largest)
            {
                largest = ratio;
            }
        }

        return largest;
    }

    private static double[] ColumnMeans(IReadOnlyList<double[]> rows)
    {
        var mean = new double[rows[0].Length];
        foreach (double[] row in rows)
        {
            for (int j = 0; j < mean.Length; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < mean.Length; j++)
        {
            mean[j] /= rows.Count;
        }

        return mean;
    }

    /// <summary>Sample variances (n − 1) per column.</summary>
    private static double[] ColumnVariances(IReadOnlyList<double[]> rows, double[] mean)
    {
        var variance = new double[mean.Length];
        foreach (double[] row in rows)
        {
            for (int j = 0; j < mean.Length; j++)
            {
                double d = row[j] - mean[j];
                variance[j] += d * d;
            }
        }

        for (int j = 0; j < mean.Length; j++)
        {
            variance[j] /= rows.Count - 1;
        }

        return variance;
    }

    /// <summary>Mean and sample variance (n − 1) of the values.</summary>
    private static (double Mean, double Variance) MeanAndVariance(double[] values)
    {
        double mean = values.Average();
        double sum2 = 0;
        foreach (double v in values)
        {
            sum2 += (v - mean) * (v - mean);
        }

        return (mean, sum2 / (values.Length - 1));
    }
}
