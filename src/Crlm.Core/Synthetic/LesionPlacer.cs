using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>Where a painted lesion ended up on the canonical grid.</summary>
internal sealed record LesionFootprint(int Voxels, Int3 Min, Int3 Max, Vec3 Centroid);

/// <summary>
/// Places lesions inside the rasterised liver and paints them. A centre is drawn uniformly over
/// liver parenchyma voxels and accepted when the lesion sits mostly inside the envelope, clear of
/// other lesions and not centred in a large vessel; a lesion that fits nowhere is shrunk and tried
/// again, so big metastases still find the right lobe. A painted lesion is clipped to the liver
/// and always keeps the voxel at its centre, so no lesion vanishes on a coarse grid.
/// </summary>
internal static class LesionPlacer
{
    private const int Attempts = 80;

    public static IReadOnlyList<(SyntheticLesion Lesion, LesionFootprint Footprint)> PlaceAndPaint(
        IReadOnlyList<LesionDraft> drafts, PatientAnatomy anatomy, PatientLabels labels, ref SynthRandom r)
    {
        var placed = new List<(SyntheticLesion, LesionFootprint)>();
        if (drafts.Count == 0)
        {
            return placed;
        }

        var candidates = LiverVoxels(labels);
        if (candidates.Count == 0)
        {
            return placed;
        }

        var bigVessels = anatomy.HepaticVessels.Where(v => v.Tube.MaxRadius >= 3).Select(v => v.Tube).ToArray();
        foreach (var original in drafts)
        {
            var draft = original;
            for (int shrink = 0; shrink < 5; shrink++)
            {
                double req = Math.Cbrt(3 * draft.VolumeCm3 * 1000 / (4 * Math.PI));
                if (TryFindCentre(req, candidates, anatomy, labels, placed, bigVessels, ref r, out var centre))
                {
                    var lesion = LesionPlanner.Realise(placed.Count + 1, draft, centre, ref r);
                    var footprint = Paint(lesion, labels);
                    placed.Add((lesion, footprint));
                    break;
                }

                draft = draft with { VolumeCm3 = draft.VolumeCm3 * 0.6 };
            }
        }

        return placed;
    }

    private static List<int> LiverVoxels(PatientLabels labels)
    {
        var list = new List<int>();
        var map = labels.TissueMap;
        for (int v = 0; v < map.Length; v++)
        {
            if (map[v] == (byte)Tissue.Liver)
            {
                list.Add(v);
            }
        }

        return list;
    }

    private static bool TryFindCentre(double req, List<int> candidates, PatientAnatomy anatomy, PatientLabels labels,
        List<(SyntheticLesion Lesion, LesionFootprint Footprint)> placed, Tube[] bigVessels, ref SynthRandom r, out Vec3 centre)
    {
        var g = labels.Grid;
        int nx = g.Size.X, ny = g.Size.Y;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            int v = candidates[r.NextInt(candidates.Count)];
            int i = v % nx, j = v / nx % ny, k = v / (nx * ny);
            // Sub-voxel jitter: lesion centres must not all sit on voxel centres (partial volume differs).
            var p = g.PatientPosition(i + r.Uniform(-0.45, 0.45), j + r.Uniform(-0.45, 0.45), k + r.Uniform(-0.45, 0.45));
            if (labels.TissueMap[v] != (byte)Tissue.Liver || anatomy.Liver.Sdf(p) > -0.6 * req - 1)
            {
                continue;
            }

            bool clear = true;
            foreach (var (other, _) in placed)
            {
                double otherReq = other.MaxExtent;
                if ((other.Centre - p).Norm < req * 1.15 + otherReq + 2)
                {
                    clear = false;
                    break;
                }
            }

            foreach (var tube in bigVessels)
            {
                if (!clear || tube.Sdf(p) < 0.3 * req)
                {
                    clear = false;
                    break;
                }
            }

            if (clear)
            {
                centre = p;
                return true;
            }
        }

        centre = default;
        return false;
    }

    private static LesionFootprint Paint(SyntheticLesion lesion, PatientLabels labels)
    {
        var g = labels.Grid;
        double extent = lesion.MaxExtent + 1;
        var half = new Vec3(extent, extent, extent);
        var centreIndex = g.CanonicalIndex(lesion.Centre);
        int ci = (int)Math.Round(centreIndex.X), cj = (int)Math.Round(centreIndex.Y), ck = (int)Math.Round(centreIndex.Z);
        int count = 0;
        var min = new Int3(int.MaxValue, int.MaxValue, int.MaxValue);
        var max = new Int3(int.MinValue, int.MinValue, int.MinValue);
        double sx = 0, sy = 0, sz = 0;
        if (labels.TryRange(lesion.Centre - half, lesion.Centre + half, out var lo, out var hi))
        {
            for (int k = lo.Z; k <= hi.Z; k++)
            {
                for (int j = lo.Y; j <= hi.Y; j++)
                {
                    for (int i = lo.X; i <= hi.X; i++)
                    {
                        int v = labels.Index(i, j, k);
                        if (labels.Liver[v] == 0 || labels.LesionIds[v] != 0)
                        {
                            continue;
                        }

                        bool centreVoxel = i == ci && j == cj && k == ck;
                        if (!centreVoxel && lesion.NormalizedRadius(g.PatientPosition(i, j, k), out _) > 1)
                        {
                            continue;
                        }

                        labels.TissueMap[v] = (byte)Tissue.Lesion;
                        labels.LesionIds[v] = (byte)lesion.Id;
                        count++;
                        min = new Int3(Math.Min(min.X, i), Math.Min(min.Y, j), Math.Min(min.Z, k));
                        max = new Int3(Math.Max(max.X, i), Math.Max(max.Y, j), Math.Max(max.Z, k));
                        sx += i;
                        sy += j;
                        sz += k;
                    }
                }
            }
        }

        return new LesionFootprint(count, min, max, count > 0 ? new Vec3(sx / count, sy / count, sz / count) : centreIndex);
    }
}
