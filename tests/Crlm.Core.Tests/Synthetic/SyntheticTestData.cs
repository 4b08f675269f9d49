using Crlm.Core.Cohort;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>Phantoms shared by the physics tests: built once per test run (each costs a fraction of a second).</summary>
internal static class SyntheticTestData
{
    public static SyntheticCohortOptions Options { get; } = SyntheticCohortOptions.Default(40, 11);

    private static readonly Lazy<PatientSynthesis.Phantom> CrlmLazy = new(() =>
    {
        // The first GUMED crlm patient whose largest metastasis is big enough to have interior voxels.
        foreach (var plan in CohortPlanner.Plan(Options).Where(p => p.Label == CohortLabel.Crlm && p.Site.Name == "GUMED"))
        {
            var phantom = PatientSynthesis.Build(plan, Options);
            if (phantom.Lesions.Any(l => l.Lesion.Kind == SyntheticLesionKind.Metastasis && l.Footprint.Voxels >= 60))
            {
                return phantom;
            }
        }

        throw new InvalidOperationException("no GUMED crlm patient with a sizeable metastasis in the test cohort");
    });

    private static readonly Dictionary<ContrastPhase, Lazy<short[]>> Renders = new()
    {
        [ContrastPhase.Arterial] = new(() => PatientSynthesis.RenderPhase(Crlm, ContrastPhase.Arterial, Options.Difficulty)),
        [ContrastPhase.PortalVenous] = new(() => PatientSynthesis.RenderPhase(Crlm, ContrastPhase.PortalVenous, Options.Difficulty)),
        [ContrastPhase.Delayed] = new(() => PatientSynthesis.RenderPhase(Crlm, ContrastPhase.Delayed, Options.Difficulty)),
    };

    public static PatientSynthesis.Phantom Crlm => CrlmLazy.Value;

    /// <summary>The crlm phantom rendered in <paramref name="phase"/>, canonical order, int16 HU.</summary>
    public static short[] CrlmImage(ContrastPhase phase) => Renders[phase].Value;

    /// <summary>
    /// Mean HU over voxels of <paramref name="tissue"/> whose six neighbours share the label, so
    /// partial volume at borders does not pull the mean towards the neighbours.
    /// </summary>
    public static (double Mean, int Count) InteriorMean(PatientLabels labels, short[] hu, Func<int, bool> include)
    {
        var g = labels.Grid;
        int nx = g.Size.X, ny = g.Size.Y, nz = g.Size.Z;
        double sum = 0;
        int count = 0;
        for (int k = 1; k < nz - 1; k++)
        {
            for (int j = 1; j < ny - 1; j++)
            {
                for (int i = 1; i < nx - 1; i++)
                {
                    int v = labels.Index(i, j, k);
                    if (include(v) && include(v - 1) && include(v + 1) && include(v - nx) && include(v + nx) &&
                        include(v - nx * ny) && include(v + nx * ny))
                    {
                        sum += hu[v];
                        count++;
                    }
                }
            }
        }

        return (count > 0 ? sum / count : double.NaN, count);
    }

    public static (double Mean, int Count) TissueMean(ContrastPhase phase, Tissue tissue)
    {
        var labels = Crlm.Labels;
        return InteriorMean(labels, CrlmImage(phase), v => labels.TissueMap[v] == (byte)tissue);
    }
}

/// <summary>A small default cohort written to disk once for the file-level tests.</summary>
public sealed class SmallCohortFixture : IDisposable
{
    public SmallCohortFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "crlm-synth-" + Guid.NewGuid().ToString("N"));
        Options = SyntheticCohortOptions.Default(10, 5);
        Result = SyntheticCohortGenerator.Generate(Options, Directory);
    }

    public string Directory { get; }

    public SyntheticCohortOptions Options { get; }

    public SyntheticCohortResult Result { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
