using Crlm.Core.Cohort;
using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// HU inside a lesion for a phase, before blur and noise. Each kind follows its textbook
/// behaviour on contrast CT:
/// metastases are hypoattenuating to liver in every phase, most in portal venous, often with a
/// brighter rim and, when large, a near-water necrotic centre; cysts stay at water HU; haemangiomas
/// enhance like blood in peripheral nodules in the arterial phase and fill towards the centre by
/// the delayed phase (small ones flash-fill); mimics are solid, hypoattenuating, less irregular.
/// The difficulty's contrast scale shrinks every lesion's difference from the liver around it.
/// </summary>
internal static class LesionAppearance
{
    public static double Hu(SyntheticLesion lesion, ContrastPhase phase, double rho, Vec3 direction, double texture,
        double enhancement, double contrastScale)
    {
        double liver = TissueHu.Mean(Tissue.Liver, phase, enhancement);
        double hu = lesion.Kind switch
        {
            SyntheticLesionKind.Metastasis => Metastasis(lesion, phase, rho, enhancement),
            SyntheticLesionKind.Cyst => 6 + lesion.HuJitter,
            SyntheticLesionKind.Haemangioma => Haemangioma(lesion, phase, rho, direction, enhancement),
            _ => Mimic(lesion, phase, rho, enhancement),
        };

        double textureSd = lesion.Kind == SyntheticLesionKind.Cyst ? 1.5 : 7;
        hu += textureSd * texture;

        // Infiltrative margins: a metastasis fades into the liver over its outer shell instead of ending sharply.
        if (lesion.Kind is SyntheticLesionKind.Metastasis or SyntheticLesionKind.Mimic)
        {
            hu += (liver - hu) * 0.35 * SmoothMath.SmoothStep(0.82, 1.0, rho);
        }

        return liver + contrastScale * (hu - liver);
    }

    private static double Enhance(ContrastPhase phase, double arterial, double portal, double delayed) => phase switch
    {
        ContrastPhase.Arterial => arterial,
        ContrastPhase.PortalVenous => portal,
        ContrastPhase.Delayed => delayed,
        _ => 0,
    };

    private static double Metastasis(SyntheticLesion lesion, ContrastPhase phase, double rho, double e)
    {
        double hu = 38 + lesion.HuJitter + e * Enhance(phase, 12, 22, 24);
        if (lesion.Rim)
        {
            hu += e * Enhance(phase, 30, 22, 8) * SmoothMath.SmoothStep(0.62, 0.86, rho);
        }

        if (lesion.NecrosisRadius > 0)
        {
            double necrotic = 1 - SmoothMath.SmoothStep(lesion.NecrosisRadius - 0.12, lesion.NecrosisRadius + 0.08, rho);
            hu += (18 - hu) * necrotic;
        }

        return hu;
    }

    private static double Mimic(SyntheticLesion lesion, ContrastPhase phase, double rho, double e)
    {
        double hu = 42 + lesion.HuJitter + e * Enhance(phase, 18, 34, 34);
        if (lesion.Rim)
        {
            hu += e * Enhance(phase, 20, 14, 6) * SmoothMath.SmoothStep(0.65, 0.9, rho);
        }

        return hu;
    }

    private static double Haemangioma(SyntheticLesion lesion, ContrastPhase phase, double rho, Vec3 direction, double e)
    {
        double unfilled = 42 + lesion.HuJitter;
        double blood = phase switch
        {
            ContrastPhase.Arterial => 0.8 * TissueHu.Mean(Tissue.Aorta, phase, e),
            ContrastPhase.PortalVenous => 0.95 * TissueHu.Mean(Tissue.PortalVein, phase, e),
            ContrastPhase.Delayed => TissueHu.Mean(Tissue.HepaticVein, phase, e),
            _ => unfilled,
        };
        if (lesion.FlashFilling)
        {
            return blood;
        }

        double nodular = 0;
        foreach (var n in lesion.Nodules)
        {
            nodular = Math.Max(nodular, SmoothMath.SmoothStep(0.77, 0.95, direction.Dot(n)));
        }

        // The fill front moves inwards: nodules only at the rim (arterial), coalescing and half-way
        // in (portal venous), nearly complete with a small central cleft in large lesions (delayed).
        double front = phase switch
        {
            ContrastPhase.Arterial => 1.05 - 0.35 * nodular,
            ContrastPhase.PortalVenous => 0.85 - 0.5 * nodular,
            _ => lesion.NominalVolumeCm3 > 20 ? 0.22 : 0.05,
        };
        double filled = SmoothMath.SmoothStep(front - 0.06, front + 0.06, rho);
        return unfilled + (blood - unfilled) * filled;
    }
}
