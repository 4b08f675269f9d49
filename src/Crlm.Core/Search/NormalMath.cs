namespace Crlm.Core.Search;

/// <summary>The standard normal functions TPE needs; .NET has no erf, so we carry our own.</summary>
internal static class NormalMath
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrt2Pi;

    /// <summary>P(Z &lt;= z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// ln P(a &lt;= Z &lt;= b). Both ends in the upper tail are computed from the upper tail to keep
    /// precision; a narrow interval uses the midpoint density, whose relative error (~width²/24)
    /// is far below that of a difference of two nearly equal probabilities.
    /// </summary>
    public static double LogMass(double a, double b)
    {
        if (!(b > a))
        {
            return double.NegativeInfinity;
        }

        if (b - a < 1e-3)
        {
            return LogPdf(0.5 * (a + b)) + Math.Log(b - a);
        }

        double mass = a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a);
        return mass > 0 ? Math.Log(mass) : LogPdf(0.5 * (a + b)) + Math.Log(b - a);
    }

    /// <summary>
    /// Complementary error function, Numerical Recipes' Chebyshev-fitted erfcc (fractional error
    /// below 1.2e-7 everywhere, tails included): ample to rank TPE candidates.
    /// </summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        // Horner form of the published polynomial in t, highest coefficient first.
        ReadOnlySpan<double> coefficients =
        [
            0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807,
            -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
        ];
        double poly = 0;
        foreach (double c in coefficients)
        {
            poly = (poly * t) + c;
        }

        double ans = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? ans : 2.0 - ans;
    }

    /// <summary>Standard normal draw (Box-Muller, one value per pair of uniforms so the stream use is fixed).</summary>
    public static double NextStandardNormal(Randomness.SplitMix64 rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0, 1]: keeps the log finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// A normal(mu, sigma) draw truncated to [low, high], by rejection. TPE's components always
    /// have mu inside [low, high] and sigma &lt;= high - low, so the interval spans at least one
    /// standard deviation and contains the mean: acceptance is at least P(0 &lt;= Z &lt;= 1) ≈ 0.34.
    /// The bounded loop ends in a clamp only if that guarantee is ever broken.
    /// </summary>
    public static double NextTruncatedNormal(Randomness.SplitMix64 rng, double mu, double sigma, double low, double high)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            double x = mu + (sigma * NextStandardNormal(rng));
            if (x >= low && x <= high)
            {
                return x;
            }
        }

        return Math.Clamp(mu, low, high);
    }
}
