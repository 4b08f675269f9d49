using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Bowel loops: the colon frame (ascending, hepatic flexure under the liver tip, transverse,
/// splenic flexure, descending) with gas or mottled faeces, the duodenal C-loop around the
/// pancreatic head, and small-bowel loops as persistent random walks in the mid and lower
/// abdomen with fluid, gas or collapsed lumens. They are painted only over free abdominal fat,
/// so they pack between the solid organs.
/// </summary>
internal static class BowelLayout
{
    public static IReadOnlyList<BowelSegment> Sample(ref SynthRandom r, double wc, double da, double dp, double spineFront,
        double zPancreas, double liverBottomZ, Ellipsoid stomach)
    {
        var list = new List<BowelSegment>();
        double colonRadius = r.Uniform(16, 23);
        double faecesShare = r.Uniform(0.3, 0.85);
        var frame = new[]
        {
            new Vec3(0.62 * wc, -0.05 * dp, -340),
            new Vec3(0.62 * wc, 0.0, liverBottomZ - 12),
            new Vec3(0.4 * wc, 0.5 * da, liverBottomZ - 18),
            new Vec3(0.0, 0.62 * da, liverBottomZ - r.Uniform(30, 80)),
            new Vec3(-0.45 * wc, 0.45 * da, stomach.Centre.Z - stomach.Radii.Z + 10),
            new Vec3(-0.68 * wc, 0.05 * da, stomach.Centre.Z - 25),
            new Vec3(-0.68 * wc, -0.15 * dp, -340),
        };
        for (int n = 0; n + 1 < frame.Length; n++)
        {
            Meander(list, ref r, frame[n], frame[n + 1], colonRadius, 3, faecesShare, BowelContent.Faeces, BowelContent.Gas);
        }

        var pylorus = new Vec3(0.05 * wc, 0.35 * da, zPancreas + 25);
        var duodenum = new[]
        {
            pylorus,
            new Vec3(0.3 * wc, 0.2 * da, zPancreas + 18),
            new Vec3(0.38 * wc, spineFront + 35, zPancreas - 10),
            new Vec3(0.36 * wc, spineFront + 35, zPancreas - 50),
            new Vec3(0.0, spineFront + 30, zPancreas - 60),
            new Vec3(-0.2 * wc, spineFront + 35, zPancreas - 40),
        };
        double duodenalRadius = r.Uniform(9, 13);
        for (int n = 0; n + 1 < duodenum.Length; n++)
        {
            var content = r.Chance(0.25) ? BowelContent.Gas : BowelContent.Fluid;
            list.Add(new BowelSegment(new Tube(duodenum[n], duodenum[n + 1], duodenalRadius, duodenalRadius), 2.5, content));
        }

        int loops = r.NextInt(10) + 22;
        for (int loop = 0; loop < loops; loop++)
        {
            var p = new Vec3(r.Uniform(-0.55, 0.5) * wc, r.Uniform(-0.1 * dp, 0.75 * da), r.Uniform(-320, zPancreas - 40));
            var dir = VecMath.RandomUnit(ref r);
            double u = r.NextDouble();
            var content = u < 0.62 ? BowelContent.Fluid : u < 0.68 ? BowelContent.Gas : BowelContent.Collapsed;
            double radius = content == BowelContent.Collapsed ? r.Uniform(5, 7) : r.Uniform(9, 13);
            for (int step = 0; step < 6; step++)
            {
                dir = VecMath.Deflect(dir, r.Uniform(0.3, 0.9), ref r);
                var next = p + r.Uniform(18, 28) * dir;
                list.Add(new BowelSegment(new Tube(p, next, radius, radius), 2.5, content));
                p = next;
            }
        }

        return list;
    }

    /// <summary>Splits a→b into ~30 mm pieces whose joints wander a little, each piece with its own content.</summary>
    private static void Meander(List<BowelSegment> list, ref SynthRandom r, Vec3 a, Vec3 b, double radius, double wall,
        double shareOfFirst, BowelContent first, BowelContent second)
    {
        int pieces = Math.Max(1, (int)Math.Round((b - a).Norm / 30));
        var previous = a;
        for (int n = 1; n <= pieces; n++)
        {
            var next = a + (double)n / pieces * (b - a);
            if (n < pieces)
            {
                next += new Vec3(r.Gaussian(0, 6), r.Gaussian(0, 6), r.Gaussian(0, 6));
            }

            double rr = radius * r.Uniform(0.8, 1.15);
            list.Add(new BowelSegment(new Tube(previous, next, rr, rr), wall, r.Chance(shareOfFirst) ? first : second));
            previous = next;
        }
    }
}
