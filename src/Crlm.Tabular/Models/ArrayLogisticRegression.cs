namespace Crlm.Tabular.Models;

/// <summary>
/// Binary logistic regression on arrays for the cross-validation folds: the objective ML.NET's
/// LbfgsLogisticRegressionBinaryTrainer minimises with the weights <see cref="LogisticFit"/> gives it,
/// <c>(Σ sᵢℓᵢ + L2/2‖w‖²) / W + (L1/N)‖w‖₁</c> (ℓ the log loss, sᵢ example weights summing to W, N rows,
/// bias unpenalised; <see cref="LbfgsRegularization"/>), minimised by L-BFGS, OWL-QN (Andrew and Gao, 2007)
/// when L1 &gt; 0.
/// </summary>
/// <remarks>
/// Why not ML.NET's trainer per fold: its fixed cost (host, channels, role-mapped data, cursors, calibrated
/// transformer) is milliseconds while the optimisation of a few hundred rows on ≤ 50 PCA scores is tens of
/// microseconds. The saved model still comes from ML.NET (<see cref="LogisticFit"/>). This solver works in
/// double and stops on a tighter criterion than ML.NET's float one (OptimizationTolerance 1e-7), so the two
/// differ by ML.NET's own distance from the optimum: tests/Crlm.Tabular.Tests/Models/ArrayPathTests.cs bounds it.
/// </remarks>
internal static class ArrayLogisticRegression
{
    /// <summary>L-BFGS memory, ML.NET's default HistorySize.</summary>
    private const int History = 20;

    /// <summary>Stop when the largest (pseudo-)gradient entry of the mean objective is below this.</summary>
    private const double GradientTolerance = 1e-10;

    private const double Armijo = 1e-4;

    private const int MaxHalvings = 60;

    /// <param name="features">Row-major, <paramref name="count"/> × <paramref name="dimension"/>.</param>
    /// <param name="weights">Example weights (empty: all 1).</param>
    /// <returns>The coefficients and the bias.</returns>
    public static (double[] Weights, double Bias) Fit(ReadOnlySpan<float> features, int count, int dimension, ReadOnlySpan<bool> labels, ReadOnlySpan<float> weights, BenchmarkModelConfig config)
    {
        double weightSum = LbfgsRegularization.WeightSum(weights, count);

        // The float-rounded weights ML.NET receives, so both solve the same problem.
        var reg = LbfgsRegularization.From(config, count, weightSum);
        var problem = new Problem(features.ToArray(), count, dimension, labels.ToArray(), weights.ToArray(), weightSum, reg.L2Weight, (double)reg.L1Weight / count);
        double[] x = Minimise(problem, config.MaxIterations);
        return (x[..dimension], x[dimension]);
    }

    private static double[] Minimise(Problem p, int maxIterations)
    {
        int n = p.Dimension + 1;
        var x = new double[n];
        var g = new double[n];
        double f = p.Evaluate(x, g) + p.L1Norm(x);
        var pg = new double[n];
        p.PseudoGradient(x, g, pg);
        var s = new double[History][];
        var y = new double[History][];
        var rho = new double[History];
        int stored = 0;
        int newest = -1;
        var d = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var alphas = new double[History];
        for (int iteration = 0; iteration < maxIterations && MaxAbs(pg) >= GradientTolerance; iteration++)
        {
            // Two-loop recursion: d = −H·pg.
            Array.Copy(pg, d, n);
            for (int m = 0, h = newest; m < stored; m++, h = (h - 1 + History) % History)
            {
                alphas[h] = rho[h] * Dot(s[h], d);
                Axpy(-alphas[h], y[h], d);
            }

            if (stored > 0)
            {
                Scale(d, 1 / (rho[newest] * Dot(y[newest], y[newest])));
            }

            for (int m = 0, h = (newest - stored + 1 + History) % History; m < stored; m++, h = (h + 1) % History)
            {
                double beta = rho[h] * Dot(y[h], d);
                Axpy(alphas[h] - beta, s[h], d);
            }

            Scale(d, -1);
            if (p.L1 > 0)
            {
                // OWL-QN: keep only the components that descend along −pg.
                for (int j = 0; j < p.Dimension; j++)
                {
                    if (d[j] * pg[j] >= 0)
                    {
                        d[j] = 0;
                    }
                }
            }

            if (Dot(d, pg) >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                for (int j = 0; j < n; j++)
                {
                    d[j] = -pg[j];
                }

                stored = 0;
            }

            double step = stored == 0 ? 1 / Math.Sqrt(Dot(pg, pg)) : 1;
            double fNew = double.NaN;
            bool accepted = false;
            for (int halving = 0; halving < MaxHalvings; halving++, step /= 2)
            {
                double decrease = 0;
                for (int j = 0; j < n; j++)
                {
                    xNew[j] = x[j] + (step * d[j]);
                    // OWL-QN: a weight that would cross zero stops at zero (orthant of x, or of −pg where x is 0).
                    if (p.L1 > 0 && j < p.Dimension)
                    {
                        double orthant = x[j] != 0 ? Math.Sign(x[j]) : -Math.Sign(pg[j]);
                        if (Math.Sign(xNew[j]) != orthant)
                        {
                            xNew[j] = 0;
                        }
                    }

                    decrease += pg[j] * (xNew[j] - x[j]);
                }

                fNew = p.Evaluate(xNew, gNew) + p.L1Norm(xNew);
                if (fNew <= f + (Armijo * decrease))
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted || !(fNew < f || MaxAbs(gNew) == 0))
            {
                break; // no further decrease at double precision
            }

            newest = (newest + 1) % History;
            s[newest] ??= new double[n];
            y[newest] ??= new double[n];
            double sy = 0;
            for (int j = 0; j < n; j++)
            {
                s[newest][j] = xNew[j] - x[j];
                y[newest][j] = gNew[j] - g[j];
                sy += s[newest][j] * y[newest][j];
            }

            if (sy > 0)
            {
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, History);
            }
            else
            {
                // A convex loss gives sy > 0, rounding may not: drop this pair (and the oldest, which its slot overwrote).
                newest = (newest - 1 + History) % History;
                stored = Math.Min(stored, History - 1);
            }

            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            p.PseudoGradient(x, g, pg);
        }

        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    private static void Scale(double[] x, double factor)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= factor;
        }
    }

    private static double MaxAbs(double[] x)
    {
        double max = 0;
        foreach (double v in x)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>The data and penalties; parameters are [w₀ … w_{d−1}, bias].</summary>
    private sealed record Problem(float[] Features, int Count, int Dimension, bool[] Labels, float[] ExampleWeights, double WeightSum, double L2, double L1)
    {
        /// <summary>The smooth part (Σ sᵢℓᵢ + L2/2‖w‖²) / W and its gradient.</summary>
        public double Evaluate(double[] x, double[] gradient)
        {
            int d = Dimension;
            Array.Clear(gradient);
            double loss = 0;
            for (int i = 0; i < Count; i++)
            {
                var row = Features.AsSpan(i * d, d);
                double z = x[d];
                for (int j = 0; j < d; j++)
                {
                    z += x[j] * row[j];
                }

                double sign = Labels[i] ? 1 : -1;
                double margin = sign * z;
                double weight = ExampleWeights.Length > 0 ? ExampleWeights[i] : 1;
                // log(1 + e^(−margin)), stable for both signs.
                loss += weight * (margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin)));
                double dz = -sign * weight / (1 + Math.Exp(margin)); // d loss / dz
                for (int j = 0; j < d; j++)
                {
                    gradient[j] += dz * row[j];
                }

                gradient[d] += dz;
            }

            for (int j = 0; j < d; j++)
            {
                loss += L2 / 2 * x[j] * x[j];
                gradient[j] += L2 * x[j];
            }

            for (int j = 0; j <= d; j++)
            {
                gradient[j] /= WeightSum;
            }

            return loss / WeightSum;
        }

        public double L1Norm(double[] x)
        {
            if (L1 == 0)
            {
                return 0;
            }

            double sum = 0;
            for (int j = 0; j < Dimension; j++)
            {
                sum += Math.Abs(x[j]);
            }

            return L1 * sum;
        }

        /// <summary>OWL-QN's pseudo-gradient of smooth + L1: the gradient where |w| is differentiable, else the minimum-norm subgradient.</summary>
        public void PseudoGradient(double[] x, double[] gradient, double[] result)
        {
            Array.Copy(gradient, result, gradient.Length);
            if (L1 == 0)
            {
                return;
            }

            for (int j = 0; j < Dimension; j++)
            {
                double g = gradient[j];
                result[j] = x[j] > 0 ? g + L1
                    : x[j] < 0 ? g - L1
                    : g + L1 < 0 ? g + L1
                    : g - L1 > 0 ? g - L1
                    : 0;
            }
        }
    }
}
