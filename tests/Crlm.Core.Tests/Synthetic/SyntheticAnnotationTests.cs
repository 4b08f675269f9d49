using Crlm.Core.Cohort;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// Annotation caps, exercised where they bite: a patient with more metastases than the cap. The
/// file-level cohort test cannot show this, because its few crlm patients may all have three or
/// fewer metastases, so there the cap is never reached.
/// </summary>
public class SyntheticAnnotationTests
{
    /// <summary>The first patient of a one-site, all-crlm, portal-venous-only cohort who really has more than <paramref name="atLeast"/> - 1 metastases.</summary>
    private static (PatientPlan Plan, SyntheticCohortOptions Options, int Metastases) PatientWithManyMetastases(SyntheticSiteProfile site, int atLeast)
    {
        var options = new SyntheticCohortOptions(40, 17)
        {
            Sites = [site with { ClassMix = new SyntheticClassMix(1, 0, 0), Phases = SyntheticPhaseMix.PortalVenousOnly }],
        };
        foreach (var plan in CohortPlanner.Plan(options).Where(p => p.Lesions.Count(d => d.Kind == SyntheticLesionKind.Metastasis) >= atLeast))
        {
            // Placement may drop a lesion that fits nowhere; count what was actually painted.
            int painted = PatientSynthesis.Build(plan, options).Lesions.Count(l => l.Lesion.Kind == SyntheticLesionKind.Metastasis);
            if (painted >= atLeast)
            {
                return (plan, options, painted);
            }
        }

        throw new InvalidOperationException($"no {site.Name} patient with {atLeast}+ metastases in the test cohort");
    }

    private static (IReadOnlyList<LesionTruth> Truth, HashSet<int> MaskLabels) WriteAndReadBack(PatientPlan plan, SyntheticCohortOptions options)
    {
        string dir = Path.Combine(Path.GetTempPath(), "crlm-synth-ann-" + Guid.NewGuid().ToString("N"));
        try
        {
            var output = PatientSynthesis.Run(plan, options, dir, CancellationToken.None);
            var row = Assert.Single(output.Rows);
            Assert.Equal(ContrastPhase.PortalVenous, row.Phase);
            Assert.Equal(plan.Site.LesionsComplete, row.LesionsComplete);
            var mask = NiftiReader.Read<byte>(Path.Combine(dir, row.LesionMask));
            var labels = mask.Voxels.Where(v => v != 0).Select(v => (int)v).ToHashSet();
            return (Assert.Single(output.Truths).Lesions, labels);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void An_internal_site_annotates_only_its_cap_of_a_patients_metastases(int cap)
    {
        var site = SyntheticSiteDefaults.Gumed with { MaxAnnotatedLesions = cap };
        Assert.False(site.LesionsComplete);
        var (plan, options, metastases) = PatientWithManyMetastases(site, cap + 2);

        var (truth, maskLabels) = WriteAndReadBack(plan, options);
        var mets = truth.Where(l => l.Kind == SyntheticLesionKind.Metastasis).ToArray();
        Assert.Equal(metastases, mets.Length); // truth.json still lists every metastasis
        Assert.Equal(cap, mets.Count(l => l.Annotated));
        Assert.Equal(Enumerable.Range(1, cap).ToHashSet(), maskLabels);
        Assert.Equal(Enumerable.Range(1, cap), mets.Where(l => l.Annotated).Select(l => l.MaskLabel)); // labels follow lesion id order
        Assert.All(mets.Where(l => !l.Annotated), l => Assert.Equal(0, l.MaskLabel));
        Assert.DoesNotContain(truth, l => l.Kind != SyntheticLesionKind.Metastasis && l.Annotated);
    }

    [Fact]
    public void The_external_site_annotates_every_metastasis()
    {
        var site = SyntheticSiteDefaults.TciaCrlm;
        Assert.True(site.LesionsComplete);
        var (plan, options, metastases) = PatientWithManyMetastases(site, site.MaxAnnotatedLesions + 2);

        var (truth, maskLabels) = WriteAndReadBack(plan, options);
        var mets = truth.Where(l => l.Kind == SyntheticLesionKind.Metastasis).ToArray();
        Assert.Equal(metastases, mets.Length);
        Assert.All(mets, l => Assert.True(l.Annotated, $"metastasis {l.Id} not annotated"));
        Assert.Equal(Enumerable.Range(1, metastases).ToHashSet(), maskLabels);
    }

    [Fact]
    public void Capped_sites_do_not_always_annotate_the_largest_metastases()
    {
        // Readers outline conspicuous lesions first, not strictly the largest: over many capped
        // patients, a smaller metastasis must sometimes be picked over a larger one.
        var site = SyntheticSiteDefaults.Kaunos;
        var r = new SynthRandom(5);
        int notTopThree = 0;
        for (int n = 0; n < 200; n++)
        {
            var lesions = Enumerable.Range(1, 6).Select(id => new SyntheticLesion(id, SyntheticLesionKind.Metastasis, default,
                new Crlm.Core.Imaging.Vec3(5, 5, 5), Crlm.Core.Imaging.Matrix3.Identity, 20.0 / id, [], [], false, 0, false, 0)).ToArray();
            var labels = AnnotationPolicy.Select(lesions, site, ref r);
            Assert.Equal(3, labels.Count(l => l > 0));
            notTopThree += labels.Skip(3).Any(l => l > 0) ? 1 : 0;
        }

        Assert.InRange(notTopThree, 20, 190);
    }
}
