using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>The images obey contrast-CT physics: tissue HU per phase, enhancement order, lesion contrast signs.</summary>
public class SyntheticPhysicsTests
{
    private static double Mean(ContrastPhase phase, Tissue tissue, int minVoxels = 20)
    {
        var (mean, count) = SyntheticTestData.TissueMean(phase, tissue);
        Assert.True(count >= minVoxels, $"only {count} interior {tissue} voxels in {phase}");
        return mean;
    }

    [Theory]
    [InlineData(nameof(Tissue.Liver), 100, 135)]
    [InlineData(nameof(Tissue.SubcutaneousFat), -125, -80)]
    [InlineData(nameof(Tissue.Muscle), 40, 80)]
    [InlineData(nameof(Tissue.Spleen), 90, 135)]
    [InlineData(nameof(Tissue.Aorta), 140, 220)]
    [InlineData(nameof(Tissue.CancellousBone), 150, 320)]
    public void Portal_venous_tissue_means_are_in_their_clinical_ranges(string tissue, double lo, double hi) =>
        Assert.InRange(Mean(ContrastPhase.PortalVenous, Enum.Parse<Tissue>(tissue)), lo, hi);

    [Fact]
    public void Gas_in_bowel_or_stomach_is_below_minus_500_hu()
    {
        var labels = SyntheticTestData.Crlm.Labels;
        var (mean, count) = SyntheticTestData.InteriorMean(labels, SyntheticTestData.CrlmImage(ContrastPhase.PortalVenous),
            v => labels.TissueMap[v] == (byte)Tissue.BowelGas);
        Assert.True(count > 0, "no interior gas voxels");
        Assert.True(mean < -500, $"gas mean {mean:F0} HU");
    }

    [Fact]
    public void Contrast_moves_through_the_phases_as_on_a_real_scanner()
    {
        // Arterial: aorta brightest, liver not yet enhanced, renal cortex ahead of medulla.
        Assert.True(Mean(ContrastPhase.Arterial, Tissue.Aorta) > Mean(ContrastPhase.PortalVenous, Tissue.Aorta) + 80);
        Assert.True(Mean(ContrastPhase.Arterial, Tissue.Liver) < Mean(ContrastPhase.PortalVenous, Tissue.Liver) - 20);
        Assert.True(Mean(ContrastPhase.Arterial, Tissue.KidneyCortex, 5) > Mean(ContrastPhase.Arterial, Tissue.KidneyMedulla, 5) + 50);
        // Delayed: parenchyma washes out from its portal venous peak; fat never enhances.
        Assert.True(Mean(ContrastPhase.Delayed, Tissue.Liver) < Mean(ContrastPhase.PortalVenous, Tissue.Liver) - 5);
        Assert.Equal(Mean(ContrastPhase.Arterial, Tissue.SubcutaneousFat), Mean(ContrastPhase.Delayed, Tissue.SubcutaneousFat), tolerance: 8.0);
    }

    [Theory]
    [InlineData(ContrastPhase.Arterial, 5)]
    [InlineData(ContrastPhase.PortalVenous, 25)]
    [InlineData(ContrastPhase.Delayed, 10)]
    public void Metastases_are_hypodense_to_liver_in_every_phase_most_in_portal_venous(ContrastPhase phase, double minimumContrast)
    {
        var phantom = SyntheticTestData.Crlm;
        var labels = phantom.Labels;
        var image = SyntheticTestData.CrlmImage(phase);
        var metastasisIds = phantom.Lesions.Where(l => l.Lesion.Kind == SyntheticLesionKind.Metastasis).Select(l => (byte)l.Lesion.Id).ToHashSet();
        double lesionSum = 0;
        int lesionCount = 0;
        for (int v = 0; v < image.Length; v++)
        {
            if (metastasisIds.Contains(labels.LesionIds[v]))
            {
                lesionSum += image[v];
                lesionCount++;
            }
        }

        double liver = SyntheticTestData.TissueMean(phase, Tissue.Liver).Mean;
        Assert.True(liver - lesionSum / lesionCount > minimumContrast,
            $"{phase}: metastases {lesionSum / lesionCount:F0} HU vs liver {liver:F0} HU");
    }

    private static SyntheticLesion Lesion(SyntheticLesionKind kind, bool flash = false) =>
        new(1, kind, new Vec3(0, 0, 0), new Vec3(15, 15, 15), Matrix3.Identity, 14, [], [new Vec3(1, 0, 0)], false, 0, flash, 0);

    private static double Hu(SyntheticLesion lesion, ContrastPhase phase, double rho, Vec3 direction, double contrast = 1) =>
        LesionAppearance.Hu(lesion, phase, rho, direction, 0, 1, contrast);

    private static double Liver(ContrastPhase phase) => TissueHu.Mean(Tissue.Liver, phase);

    [Theory]
    [InlineData(ContrastPhase.Arterial)]
    [InlineData(ContrastPhase.PortalVenous)]
    [InlineData(ContrastPhase.Delayed)]
    public void Cysts_stay_near_water_and_far_below_liver(ContrastPhase phase)
    {
        double hu = Hu(Lesion(SyntheticLesionKind.Cyst), phase, 0.3, new Vec3(0, 0, 1));
        Assert.InRange(hu, -5, 20);
        Assert.True(Liver(phase) - hu > 50);
    }

    [Fact]
    public void Haemangiomas_enhance_in_peripheral_nodules_then_fill_in_by_the_delayed_phase()
    {
        var h = Lesion(SyntheticLesionKind.Haemangioma);
        var towardsNodule = new Vec3(1, 0, 0);
        var awayFromNodule = new Vec3(-1, 0, 0);
        Assert.True(Hu(h, ContrastPhase.Arterial, 0.9, towardsNodule) > Liver(ContrastPhase.Arterial) + 80, "arterial nodule");
        Assert.True(Hu(h, ContrastPhase.Arterial, 0.9, awayFromNodule) < Liver(ContrastPhase.Arterial), "arterial non-nodular rim");
        Assert.True(Hu(h, ContrastPhase.Arterial, 0.2, towardsNodule) < Liver(ContrastPhase.Arterial), "arterial centre");
        Assert.True(Hu(h, ContrastPhase.Delayed, 0.3, awayFromNodule) >= Liver(ContrastPhase.Delayed), "delayed fill-in");
        var flash = Lesion(SyntheticLesionKind.Haemangioma, flash: true);
        Assert.True(Hu(flash, ContrastPhase.Arterial, 0.1, awayFromNodule) > Liver(ContrastPhase.Arterial) + 80, "flash filling");
    }

    [Fact]
    public void Contrast_scale_pulls_lesions_towards_the_liver()
    {
        var m = Lesion(SyntheticLesionKind.Metastasis);
        var dir = new Vec3(0, 1, 0);
        double full = Liver(ContrastPhase.PortalVenous) - Hu(m, ContrastPhase.PortalVenous, 0.3, dir);
        double half = Liver(ContrastPhase.PortalVenous) - Hu(m, ContrastPhase.PortalVenous, 0.3, dir, contrast: 0.5);
        Assert.True(full > 40);
        Assert.Equal(full / 2, half, 6);
        Assert.Equal(Liver(ContrastPhase.PortalVenous), Hu(m, ContrastPhase.PortalVenous, 0.3, dir, contrast: 0), 6);
    }
}
