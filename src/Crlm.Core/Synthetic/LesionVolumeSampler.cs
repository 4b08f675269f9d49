namespace Crlm.Core.Synthetic;

/// <summary>
/// Lesion volumes: log-normal, the heavy tail the study's lesions show. For metastases the
/// parameters are solved from the study's quartile edges (TCIA_CRLM test set: Q1 up to 0.80 cm3,
/// Q4 above 11.49 cm3), so a quarter of metastases are sub-centimetre and a few are very large.
/// Draws beyond the plausible range are folded back inside it (within a factor of two of the
/// bound), which leaves every quantile between the bounds, the quartiles included, unchanged.
/// </summary>
/// <remarks>
/// A cohort draws its volumes stratified (<see cref="Stratified"/>), not independently: with
/// sigma near 2, a hundred independent draws put the sample quartiles anywhere within about 30%
/// of the targets (a seed-1, 100-patient cohort drew Q4 at 17.6 cm3 for 11.5), and every cohort a
/// pipeline or test makes is small. Stratifying keeps each lesion's marginal distribution and
/// pins the cohort's quartiles to within one stratum.
/// </remarks>
internal static class LesionVolumeSampler
{
    public const double MetastasisQ1Cm3 = 0.80;
    public const double MetastasisQ3Cm3 = 11.49;

    // Normal quantile of 0.75: the quartiles of a log-normal sit at mu +- 0.6745 sigma.
    private const double Z75 = 0.6744897501960817;

    private static readonly (double Mu, double Sigma, double Min, double Max) Metastasis =
        (0.5 * (Math.Log(MetastasisQ1Cm3) + Math.Log(MetastasisQ3Cm3)), (Math.Log(MetastasisQ3Cm3) - Math.Log(MetastasisQ1Cm3)) / (2 * Z75), 0.06, 180);

    private static readonly (double Mu, double Sigma, double Min, double Max) Cyst = (Math.Log(0.9), 1.3, 0.05, 150);
    private static readonly (double Mu, double Sigma, double Min, double Max) Haemangioma = (Math.Log(2.5), 1.2, 0.1, 150);
    private static readonly (double Mu, double Sigma, double Min, double Max) Mimic = (Math.Log(2.0), 1.4, 0.08, 80);

    /// <summary>One independent volume in cm3 for a lesion of <paramref name="kind"/>, before any difficulty scaling.</summary>
    public static double Sample(SyntheticLesionKind kind, ref SynthRandom r) => Quantile(kind, r.NextDouble());

    /// <summary>
    /// <paramref name="count"/> volumes whose probabilities fill the strata [n/count, (n+1)/count)
    /// once each (a random point in each), in random order: each is still distributed as
    /// <see cref="Sample"/>, but together their quantiles sit within one stratum of the model's.
    /// </summary>
    public static double[] Stratified(SyntheticLesionKind kind, int count, ref SynthRandom r)
    {
        var volumes = new double[count];
        for (int n = 0; n < count; n++)
        {
            volumes[n] = Quantile(kind, (n + r.NextDouble()) / count);
        }

        for (int n = count - 1; n > 0; n--)
        {
            int m = r.NextInt(n + 1);
            (volumes[n], volumes[m]) = (volumes[m], volumes[n]);
        }

        return volumes;
    }

    /// <summary>The volume at probability <paramref name="p"/> in [0, 1), tails folded inside the plausible range.</summary>
    public static double Quantile(SyntheticLesionKind kind, double p)
    {
        var (mu, sigma, min, max) = kind switch
        {
            SyntheticLesionKind.Metastasis => Metastasis,
            SyntheticLesionKind.Cyst => Cyst,
            SyntheticLesionKind.Haemangioma => Haemangioma,
            _ => Mimic,
        };
        // The folds reuse p's position inside the tail as a fresh uniform, so the folded mass lands
        // uniformly (in log) within a factor of two of the bound without consuming another draw.
        double pMin = StandardNormal.Cdf((Math.Log(min) - mu) / sigma);
        double pMax = StandardNormal.Cdf((Math.Log(max) - mu) / sigma);
        if (p < pMin)
        {
            return min * Math.Exp(Math.Log(2) * p / pMin);
        }

        if (p >= pMax)
        {
            return max * Math.Exp(-Math.Log(2) * (p - pMax) / (1 - pMax));
        }

        return Math.Exp(mu + sigma * StandardNormal.Quantile(p));
    }
}

/// <summary>The standard normal distribution function and its inverse, accurate to about 1e-9.</summary>
internal static class StandardNormal
{
    // Acklam's rational approximation of the normal quantile (relative error below 1.2e-9).
    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    public static double Quantile(double p)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return double.PositiveInfinity;
        }

        const double Low = 0.02425;
        if (p < Low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }

        if (p > 1 - Low)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }

        double u = p - 0.5, r = u * u;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * u /
            (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    /// <summary>The distribution function; only the fold bounds use it, where 1e-7 is ample.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    // Numerical Recipes' erfc (Chebyshev fit, fractional error below 1.2e-7 everywhere).
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double y = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : 2 - y;
    }
}
