using Crlm.Core.Cohort;
using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>What kind of lesion to place and how large, before a position is found for it.</summary>
internal sealed record LesionDraft(SyntheticLesionKind Kind, double VolumeCm3);

/// <summary>
/// Which lesions a patient has, by label: crlm 1-8 metastases (fewer more likely) and sometimes an
/// incidental cyst or haemangioma, as in life; non_crlm mostly cysts or haemangiomas, and in some
/// patients mimics that look metastatic; negative none. Kinds come from each patient's own stream;
/// volumes are drawn for the whole cohort at once (<see cref="DrawCohort"/>) so that even a small
/// cohort's volume quartiles sit on the model's.
/// </summary>
internal static class LesionPlanner
{
    private static readonly double[] MetastasisCountWeights = [30, 20, 14, 10, 8, 7, 6, 5];

    /// <summary>The kinds of lesion one patient with <paramref name="label"/> has (volumes not yet drawn).</summary>
    public static IReadOnlyList<SyntheticLesionKind> DrawKinds(CohortLabel label, ref SynthRandom r)
    {
        var kinds = new List<SyntheticLesionKind>();
        switch (label)
        {
            case CohortLabel.Crlm:
                int metastases = r.Categorical(MetastasisCountWeights) + 1;
                kinds.AddRange(Enumerable.Repeat(SyntheticLesionKind.Metastasis, metastases));
                if (r.Chance(0.25))
                {
                    var incidental = r.Chance(0.75) ? SyntheticLesionKind.Cyst : SyntheticLesionKind.Haemangioma;
                    kinds.AddRange(Enumerable.Repeat(incidental, r.NextInt(2) + 1));
                }

                break;
            case CohortLabel.NonCrlm:
                double u = r.NextDouble();
                if (u < 0.55)
                {
                    kinds.AddRange(Enumerable.Repeat(SyntheticLesionKind.Cyst, r.NextInt(4) + 1));
                }
                else if (u < 0.85)
                {
                    kinds.AddRange(Enumerable.Repeat(SyntheticLesionKind.Haemangioma, r.NextInt(2) + 1));
                    if (r.Chance(0.3))
                    {
                        kinds.Add(SyntheticLesionKind.Cyst);
                    }
                }
                else
                {
                    kinds.AddRange(Enumerable.Repeat(SyntheticLesionKind.Mimic, r.NextInt(3) + 1));
                }

                break;
            default:
                break;
        }

        return kinds;
    }

    /// <summary>
    /// Volumes for every patient's lesions (<paramref name="kinds"/>, one list per patient): each
    /// kind's volumes are stratified over the cohort, then scaled by the difficulty; each patient's
    /// drafts come largest first (lesion ids follow that order).
    /// </summary>
    public static IReadOnlyList<LesionDraft>[] DrawCohort(IReadOnlyList<IReadOnlyList<SyntheticLesionKind>> kinds,
        SyntheticDifficulty difficulty, ref SynthRandom r)
    {
        var pools = new Dictionary<SyntheticLesionKind, Queue<double>>();
        foreach (var kind in Enum.GetValues<SyntheticLesionKind>())
        {
            int count = kinds.Sum(k => k.Count(x => x == kind));
            pools[kind] = new Queue<double>(LesionVolumeSampler.Stratified(kind, count, ref r));
        }

        var drafts = new IReadOnlyList<LesionDraft>[kinds.Count];
        for (int p = 0; p < kinds.Count; p++)
        {
            drafts[p] = kinds[p]
                .Select(kind => new LesionDraft(kind, pools[kind].Dequeue() * difficulty.LesionSizeScale))
                .OrderByDescending(d => d.VolumeCm3)
                .ToArray();
        }

        return drafts;
    }

    /// <summary>Gives a draft its shape and appearance features at a chosen centre.</summary>
    public static SyntheticLesion Realise(int id, LesionDraft draft, Vec3 centre, ref SynthRandom r)
    {
        double v = draft.VolumeCm3 * 1000; // mm3
        var kind = draft.Kind;
        double elongation = kind == SyntheticLesionKind.Cyst ? r.Uniform(0.9, 1.1) : r.Uniform(0.8, 1.25);
        double flat = r.Uniform(0.85, 1.15);
        double req = Math.Cbrt(3 * v / (4 * Math.PI));
        double scale = req / Math.Cbrt(elongation * flat);
        var radii = new Vec3(scale * elongation, scale, scale * flat);
        var rotation = SmoothMath.Rotation(r.Uniform(0, Math.PI), r.Uniform(0, Math.PI), r.Uniform(0, Math.PI));

        double irregularity = kind switch
        {
            SyntheticLesionKind.Metastasis => r.Uniform(0.15, 0.3),
            SyntheticLesionKind.Mimic => r.Uniform(0.05, 0.14),
            SyntheticLesionKind.Haemangioma => r.Uniform(0.04, 0.1),
            _ => r.Uniform(0.0, 0.03),
        };
        var harmonics = new List<(Vec3, double, double, double)>();
        for (int h = 0; h < 4; h++)
        {
            harmonics.Add((VecMath.RandomUnit(ref r), irregularity * r.Uniform(0.3, 1) / 2, r.Uniform(1, 3.5), r.Uniform(0, 2 * Math.PI)));
        }

        var nodules = new List<Vec3>();
        if (kind == SyntheticLesionKind.Haemangioma)
        {
            int count = r.NextInt(4) + 3;
            for (int n = 0; n < count; n++)
            {
                nodules.Add(VecMath.RandomUnit(ref r));
            }
        }

        bool rim = kind switch
        {
            SyntheticLesionKind.Metastasis => draft.VolumeCm3 > 0.5 && r.Chance(0.6),
            SyntheticLesionKind.Mimic => r.Chance(0.3),
            _ => false,
        };
        double necrosis = kind == SyntheticLesionKind.Metastasis && draft.VolumeCm3 > 6 && r.Chance(0.5) ? r.Uniform(0.3, 0.55) : 0;
        bool flash = kind == SyntheticLesionKind.Haemangioma && draft.VolumeCm3 < 2 && r.Chance(0.35);
        double jitter = kind == SyntheticLesionKind.Cyst ? r.Gaussian(0, 4) : r.Gaussian(0, 7);
        return new SyntheticLesion(id, kind, centre, radii, rotation, draft.VolumeCm3, harmonics, nodules, rim, necrosis, flash, jitter);
    }
}
