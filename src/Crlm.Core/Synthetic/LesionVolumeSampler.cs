namespace Crlm.Core.Synthetic;

/// <summary>
/// Lesion volumes: log-normal, the heavy tail the study's lesions show. For metastases the
/// parameters are solved from the study's quartile edges (TCIA_CRLM test set: Q1 up to 0.80 cm3,
/// Q4 above 11.49 cm3), so a quarter of metastases are sub-centimetre and a few are very large.
/// Draws beyond the plausible range are folded back inside it (within a factor of two of the
/// bound), which leaves every quantile between the bounds, the quartiles included, unchanged.
/// </summary>
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

    /// <summary>A volume in cm3 for a lesion of <paramref name="kind"/>, before any difficulty scaling.</summary>
    public static double Sample(SyntheticLesionKind kind, ref SynthRandom r)
    {
        var (mu, sigma, min, max) = kind switch
        {
            SyntheticLesionKind.Metastasis => Metastasis,
            SyntheticLesionKind.Cyst => Cyst,
            SyntheticLesionKind.Haemangioma => Haemangioma,
            _ => Mimic,
        };
        double v = Math.Exp(r.Gaussian(mu, sigma));
        if (v < min)
        {
            v = min * Math.Exp(r.Uniform(0, Math.Log(2)));
        }
        else if (v > max)
        {
            v = max * Math.Exp(-r.Uniform(0, Math.Log(2)));
        }

        return v;
    }
}
