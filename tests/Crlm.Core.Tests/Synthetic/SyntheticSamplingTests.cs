using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>Cohort-level statistics drawn without rendering any image.</summary>
public class SyntheticSamplingTests
{
    [Fact]
    public void Metastasis_volume_quartiles_match_the_study()
    {
        var r = new SynthRandom(2024);
        var volumes = new double[40_000];
        for (int n = 0; n < volumes.Length; n++)
        {
            volumes[n] = LesionVolumeSampler.Sample(SyntheticLesionKind.Metastasis, ref r);
        }

        Array.Sort(volumes);
        Assert.Equal(0.80, volumes[volumes.Length / 4], 0.05);
        Assert.Equal(11.49, volumes[volumes.Length * 3 / 4], 0.7);
        Assert.True(volumes[0] >= 0.06 && volumes[^1] <= 180, "volumes must stay inside the plausible range");
        Assert.True(volumes.Count(v => v < 0.5) > volumes.Length / 8, "many sub-centimetre lesions");
    }

    [Fact]
    public void Class_mix_per_site_follows_table_2()
    {
        // The study's own cohort size: every site's counts come out as Table 2 reports them (within one patient).
        var plans = CohortPlanner.Plan(SyntheticCohortOptions.Default(2634, 1));
        var expected = new Dictionary<string, (int Total, int Crlm, int NonCrlm, int Negative)>
        {
            ["KAUNOS"] = (490, 237, 149, 104),
            ["GUMED"] = (848, 353, 209, 286),
            ["UMEA"] = (401, 27, 374, 0),
            ["UNIPI"] = (698, 93, 272, 333),
            ["TCIA_CRLM"] = (197, 197, 0, 0),
        };
        foreach (var (site, e) in expected)
        {
            var at = plans.Where(p => p.Site.Name == site).ToArray();
            Assert.Equal(e.Total, at.Length);
            Assert.Equal(e.Crlm, at.Count(p => p.Label == CohortLabel.Crlm), 1.0);
            Assert.Equal(e.NonCrlm, at.Count(p => p.Label == CohortLabel.NonCrlm), 1.0);
            Assert.Equal(e.Negative, at.Count(p => p.Label == CohortLabel.Negative), 1.0);
        }

        Assert.Equal(plans.Count, plans.Select(p => p.PatientId).Distinct().Count());
        double scansPerPatient = plans.Where(p => !p.Site.External).Average(p => p.Phases.Count);
        Assert.InRange(scansPerPatient, 2.0, 2.5); // the study: 5,592 scans for 2,437 patients
    }

    [Fact]
    public void Crlm_patients_have_one_to_eight_metastases_and_negatives_none()
    {
        var r = new SynthRandom(7);
        for (int n = 0; n < 500; n++)
        {
            var crlm = LesionPlanner.DrawKinds(CohortLabel.Crlm, ref r);
            Assert.InRange(crlm.Count(k => k == SyntheticLesionKind.Metastasis), 1, 8);
            var benign = LesionPlanner.DrawKinds(CohortLabel.NonCrlm, ref r);
            Assert.NotEmpty(benign);
            Assert.DoesNotContain(SyntheticLesionKind.Metastasis, benign);
            Assert.Empty(LesionPlanner.DrawKinds(CohortLabel.Negative, ref r));
        }
    }

    [Fact]
    public void Storage_mirroring_keeps_every_voxel_at_the_same_world_position()
    {
        var canonical = new ScanGrid(new Int3(5, 4, 3), new Vec3(0.7, 0.8, 2.5), new Vec3(-10, 20, -40), new Vec3(3, -4, -300), SyntheticStorage.Ras);
        var values = Enumerable.Range(0, canonical.VoxelCount).ToArray();
        var reference = canonical.StoredGeometry();
        foreach (var storage in new[] { new SyntheticStorage(true, true, false), new SyntheticStorage(true, true, true), new SyntheticStorage(true, false, false) })
        {
            var grid = canonical with { Storage = storage };
            var stored = grid.ToStorage(values);
            var g = grid.StoredGeometry();
            Assert.Equal(storage.AxisCodes, g.AxisCodes());
            for (int k = 0; k < 3; k++)
            {
                for (int j = 0; j < 4; j++)
                {
                    for (int i = 0; i < 5; i++)
                    {
                        int value = stored[i + 5 * (j + 4 * k)];
                        int ci = value % 5, cj = value / 5 % 4, ck = value / 20;
                        var expected = reference.IndexToWorld(ci, cj, ck);
                        Assert.True((g.IndexToWorld(i, j, k) - expected).Norm < 1e-9, $"{storage.AxisCodes} voxel ({i},{j},{k})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_offending_value_named()
    {
        var bad = SyntheticCohortOptions.Default(10, 1) with { Sites = [SyntheticSiteDefaults.Gumed with { SliceSpacingMm = 12 }] };
        var e = Assert.Throws<ArgumentException>(() => SyntheticCohortGenerator.Generate(bad, Path.GetTempPath()));
        Assert.Contains("GUMED", e.Message, StringComparison.Ordinal);
        Assert.Contains("SliceSpacingMm", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SyntheticCohortGenerator.Generate(SyntheticCohortOptions.Default(0, 1), Path.GetTempPath()));
    }
}
