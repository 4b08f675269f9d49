using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Where the vessels run. Outside the liver: aorta with coeliac, superior mesenteric and renal
/// branches and the iliac bifurcation; the IVC from the iliac confluence to the right atrium; the
/// splenic and superior mesenteric veins joining behind the pancreas into the portal vein. Inside
/// the liver: portal and hepatic venous trees grown by random branching that stays inside the
/// liver envelope, so enhancing branches (and, in the arterial phase, dark unopacified hepatic
/// veins that mimic lesions) appear where a radiologist expects them.
/// </summary>
internal static class VesselLayout
{
    public static IReadOnlyList<Vessel> Extrahepatic(ref SynthRandom r, double age, SpineShape spine, Diaphragm diaphragm,
        Vec3 portaHepatis, Vec3 hepaticVenousConfluence, Ellipsoid spleen, Ellipsoid kidneyRight, Ellipsoid kidneyLeft,
        Vec3 portalConfluence, double zPancreas, double hz, double cavityHalfWidth)
    {
        var list = new List<Vessel>();
        double front = spine.BodyY + spine.BodyRadiusY;
        double ra = Math.Clamp(10 + 0.05 * (age - 50) + r.Gaussian(0, 1), 8.5, 15);
        double xa = -0.3 * spine.BodyRadiusX - 6, ya = front + 3 + ra;
        double zBifurcation = -150 * hz;
        double thoraxZ = diaphragm.LeftTopZ;
        var thoracic = new Vec3(-spine.BodyRadiusX - 6, spine.BodyY + 4, thoraxZ + 30);
        Path(list, Tissue.Aorta, ra,
            new Vec3(xa, ya, zBifurcation), new Vec3(xa, ya, thoraxZ - 20), thoracic, thoracic + new Vec3(-2, 0, 300));
        foreach (double dx in new[] { -38.0, 32.0 })
        {
            Path(list, Tissue.Aorta, 0.6 * ra, new Vec3(xa, ya, zBifurcation + 2), new Vec3(xa + dx, ya - 12, zBifurcation - 110),
                new Vec3(xa + 1.6 * dx, ya - 25, zBifurcation - 260));
        }

        double ri = r.Uniform(10, 13);
        double xi = 0.3 * spine.BodyRadiusX + 14;
        Path(list, Tissue.Ivc, ri,
            new Vec3(xi, front + 10, zBifurcation - 20), new Vec3(xi + 2, front + 10, -40 * hz), new Vec3(xi + 4, front + 22, 10),
            hepaticVenousConfluence, new Vec3(10, front + 50, diaphragm.RightTopZ + 25));
        foreach (double dx in new[] { -30.0, 36.0 })
        {
            Path(list, Tissue.Ivc, 0.65 * ri, new Vec3(xi, front + 10, zBifurcation - 18),
                new Vec3(xi + dx, front - 5, zBifurcation - 130), new Vec3(xi + 1.4 * dx, front - 20, zBifurcation - 280));
        }

        // Portal venous system: superior mesenteric and splenic veins meet behind the pancreatic neck.
        Path(list, Tissue.PortalVein, r.Uniform(6.5, 8), portalConfluence, Mid(portalConfluence, portaHepatis, new Vec3(0, 4, 0)), portaHepatis);
        Path(list, Tissue.PortalVein, r.Uniform(5, 6), portalConfluence, portalConfluence + new Vec3(3, 15, -60),
            portalConfluence + new Vec3(6, 20, -200));
        var spleenHilum = spleen.Centre + new Vec3(0.8 * spleen.Radii.X, 0.25 * spleen.Radii.Y, -0.2 * spleen.Radii.Z);
        Path(list, Tissue.PortalVein, r.Uniform(4, 5), portalConfluence,
            new Vec3(-0.3 * cavityHalfWidth, front + 20, zPancreas + 18), spleenHilum);

        // Arteries: coeliac trunk (hepatic and splenic arteries), superior mesenteric, renal.
        double zc = zPancreas + 25;
        var coeliac = new Vec3(xa + 2, ya + ra + 12, zc + 2);
        Path(list, Tissue.Artery, 3.5, new Vec3(xa, ya, zc), coeliac);
        Path(list, Tissue.Artery, 2.6, coeliac, Mid(coeliac, portaHepatis, new Vec3(0, 8, 4)), portaHepatis + new Vec3(-4, 6, -2));
        Path(list, Tissue.Artery, 2.6, coeliac, Mid(coeliac, spleenHilum, new Vec3(r.Uniform(-8, 8), r.Uniform(-4, 10), r.Uniform(0, 12))), spleenHilum + new Vec3(2, 4, 6));
        double zs = zPancreas + 12;
        Path(list, Tissue.Artery, 3.5, new Vec3(xa, ya, zs), new Vec3(xa + 3, ya + ra + 15, zs - 10), new Vec3(xa + 10, ya + ra + 20, zs - 180));
        foreach ((var kidney, int side) in new[] { (kidneyRight, 1), (kidneyLeft, -1) })
        {
            var hilum = kidney.Centre + new Vec3(-side * 0.85 * kidney.Radii.X, 6, 5);
            Path(list, Tissue.Artery, 2.8, new Vec3(xa, ya, hilum.Z + 6), hilum + new Vec3(0, -3, 3));
            var crossing = side > 0 ? Mid(hilum, new Vec3(xi, front + 12, hilum.Z), default) : new Vec3(xa, ya + ra + 6, hilum.Z + 4);
            Path(list, Tissue.Ivc, 4.5, hilum, crossing, new Vec3(xi, front + 12, hilum.Z + 6));
        }

        return list;
    }

    public static IReadOnlyList<Vessel> Intrahepatic(ref SynthRandom r, LiverShape liver, Vec3 portaHepatis, Vec3 hepaticVenousConfluence)
    {
        var list = new List<Vessel>();
        Grow(list, liver, Tissue.PortalVein, portaHepatis, VecMath.Normalize(new Vec3(1, -0.4, 0.25)), 40, 6.5, 0, ref r);
        Grow(list, liver, Tissue.PortalVein, portaHepatis, VecMath.Normalize(new Vec3(-0.8, 0.6, 0.35)), 42, 5.5, 0, ref r);
        Grow(list, liver, Tissue.PortalVein, portaHepatis, VecMath.Normalize(new Vec3(0.3, 0.5, -0.5)), 32, 4.5, 1, ref r);
        Grow(list, liver, Tissue.HepaticVein, hepaticVenousConfluence, VecMath.Normalize(new Vec3(1, 0.1, -0.55)), 55, 6, 0, ref r);
        Grow(list, liver, Tissue.HepaticVein, hepaticVenousConfluence, VecMath.Normalize(new Vec3(0.35, 1, -0.45)), 50, 5.5, 0, ref r);
        Grow(list, liver, Tissue.HepaticVein, hepaticVenousConfluence, VecMath.Normalize(new Vec3(-0.65, 0.9, -0.15)), 45, 5, 0, ref r);
        return list;
    }

    private const int MaxGeneration = 6;
    private const double MinRadius = 1.0;

    /// <summary>
    /// Recursive branching: each segment ends in two children turned 20-50 degrees apart, thinner
    /// (Murray-like 0.7-0.8) and shorter; a child whose end would leave the liver is re-aimed a few
    /// times and dropped if it cannot stay inside.
    /// </summary>
    private static void Grow(List<Vessel> list, LiverShape liver, Tissue tissue, Vec3 start, Vec3 dir, double length, double radius,
        int generation, ref SynthRandom r)
    {
        if (generation > MaxGeneration || radius < MinRadius)
        {
            return;
        }

        Vec3 end = start + length * dir;
        bool inside = liver.Sdf(end) < -radius - 1;
        for (int attempt = 0; attempt < 5 && !inside; attempt++)
        {
            dir = VecMath.Deflect(dir, r.Uniform(0.3, 0.9), ref r);
            length *= 0.85;
            end = start + length * dir;
            inside = liver.Sdf(end) < -radius - 1;
        }

        if (!inside && generation > 0)
        {
            return;
        }

        double endRadius = radius * r.Uniform(0.85, 0.95);
        list.Add(new Vessel(new Tube(start, end, radius, endRadius), tissue));
        int children = r.Chance(0.25) ? 3 : 2;
        for (int c = 0; c < children; c++)
        {
            var childDir = VecMath.Deflect(dir, r.Uniform(0.35, 0.85), ref r);
            Grow(list, liver, tissue, end, childDir, length * r.Uniform(0.7, 0.9), endRadius * r.Uniform(0.7, 0.82), generation + 1, ref r);
        }
    }

    /// <summary>Adds tubes joining consecutive points with a constant radius.</summary>
    private static void Path(List<Vessel> list, Tissue tissue, double radius, params Vec3[] points)
    {
        for (int n = 0; n + 1 < points.Length; n++)
        {
            list.Add(new Vessel(new Tube(points[n], points[n + 1], radius, radius), tissue));
        }
    }

    private static Vec3 Mid(Vec3 a, Vec3 b, Vec3 bend) => 0.5 * (a + b) + bend;
}
