using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Draws one patient's anatomy. Sizes and positions are fractions of the patient's own body
/// (habitus, height, sex, age), so organs keep their relations (liver under the right dome, spleen
/// against the left posterolateral ribs, kidneys beside the spine, the right one lower) while every
/// patient differs. All lengths are mm in the patient frame (x right, y anterior, z superior).
/// </summary>
internal static class AnatomySampler
{
    // Fork keys: one independent stream per part, so changing one part's draws leaves the others alone.
    private const ulong BodyKey = 1, OrganKey = 2, VesselKey = 3, BowelKey = 4, ShapeKey = 5, LiverWobbleKey = 6, TreeKey = 7;

    public static PatientAnatomy Sample(SynthRandom rng, bool female, double age, double fieldOfViewMm)
    {
        var r = rng.Fork(BodyKey);
        double habitus = r.TruncatedGaussian(0, 1, -2.2, 2.5);
        double hz = r.TruncatedGaussian(female ? 0.95 : 1.0, 0.05, 0.85, 1.12);
        double w = Math.Clamp((female ? 146 : 156) + 13 * habitus + r.Gaussian(0, 5), 118, 0.45 * fieldOfViewMm);
        double d = Math.Clamp((female ? 104 : 110) + 12 * habitus + r.Gaussian(0, 5), 85, 0.38 * fieldOfViewMm);
        var body = new BodyShape(
            HalfWidth: w, HalfDepth: d, Skin: 1.8,
            FatLateral: Math.Clamp(15 + 9 * habitus + r.Gaussian(0, 3), 5, 45),
            FatAnterior: Math.Clamp((female ? 17 : 13) + 9 * habitus + r.Gaussian(0, 3), 5, 45),
            FatPosterior: Math.Clamp(12 + 7 * habitus + r.Gaussian(0, 3), 5, 40),
            MuscleWall: Math.Clamp((female ? 9 : 11) - 0.04 * (age - 60) + r.Gaussian(0, 1.2), 6, 15),
            WidthPerMmZ: 0.0003);
        double wc = body.CavityHalfWidth(0), da = body.CavityDepth(1), dp = body.CavityDepth(-1);

        double rvx = r.Uniform(20, 24), rvy = r.Uniform(15, 18);
        double spineY = -d + body.Skin + body.FatPosterior + r.Uniform(58, 68);
        double pitch = r.Uniform(30, 35) * hz;
        var spine = new SpineShape(spineY, rvx, rvy, spineY - rvy - 9.5, r.Uniform(7, 9),
            -d + body.Skin + body.FatPosterior + 6, pitch, r.Uniform(6, 9), r.Uniform(0, pitch));
        double front = spineY + rvy; // anterior surface of the vertebral body

        double domeR = hz * r.Uniform(80, 95);
        var diaphragm = new Diaphragm(domeR, domeR - r.Uniform(8, 20), 0.45 * wc, -0.45 * wc, r.Uniform(-5, 10), r.Uniform(120, 160));

        var o = rng.Fork(OrganKey);
        double liverZ = hz * o.Uniform(5, 20);
        var rightLobe = new Ellipsoid(
            new Vec3(0.42 * wc, 0.05 * da, liverZ),
            new Vec3(0.6 * wc * o.Uniform(0.9, 1.06), 0.5 * (da + dp) * o.Uniform(0.88, 1.02), hz * o.Uniform(78, 92)),
            SmoothMath.Rotation(o.Uniform(-0.1, 0.1), o.Uniform(0.05, 0.25), 0));
        var leftLobe = new Ellipsoid(
            new Vec3(-0.2 * wc, 0.45 * da, liverZ + hz * o.Uniform(25, 35)),
            new Vec3(0.55 * wc * o.Uniform(0.7, 1.2), 0.36 * da * o.Uniform(0.85, 1.1), hz * o.Uniform(36, 48)),
            SmoothMath.Rotation(0, 0, o.Uniform(-0.3, -0.1)));
        var caudate = new Ellipsoid(new Vec3(0.1 * wc, front + 8, liverZ + 30 * hz), new Vec3(20, 20, 35 * hz), Matrix3.Identity);
        var liver = new LiverShape(rightLobe, leftLobe, caudate, body, diaphragm,
            new LatticeNoise(rng.Fork(LiverWobbleKey), new Vec3(-w, -d, -250), new Vec3(w, d, 250), 45), o.Uniform(4, 8),
            (0, spineY - 6, rvx + 24, rvy + 30));

        var heart = new Ellipsoid(new Vec3(-0.15 * wc, 0.3 * da, diaphragm.LeftTopZ + 48), new Vec3(0.5 * wc, 0.55 * da, 52),
            SmoothMath.Rotation(0, 0, 0.35));
        double spleenScale = o.Uniform(0.8, 1.25);
        var spleen = new Ellipsoid(new Vec3(-0.72 * wc, -0.35 * dp, hz * o.Uniform(20, 40)),
            new Vec3(24 * spleenScale, 0.5 * dp * spleenScale, hz * o.Uniform(45, 60) * spleenScale),
            SmoothMath.Rotation(0, 0, -0.62 + o.Uniform(-0.15, 0.15)));
        double kidneyZ = hz * o.Uniform(-60, -38);
        var kidneyRight = Kidney(ref o, new Vec3(0.48 * wc, spineY + 8, kidneyZ), side: 1, hz);
        var kidneyLeft = Kidney(ref o, new Vec3(-0.48 * wc, spineY + 10, kidneyZ + hz * o.Uniform(12, 25)), side: -1, hz);
        var stomach = new Ellipsoid(new Vec3(-0.42 * wc, 0.25 * da, hz * o.Uniform(35, 55)),
            new Vec3(o.Uniform(35, 50), o.Uniform(32, 45), hz * o.Uniform(45, 60)), SmoothMath.Rotation(0, 0, 0.3));
        double airLevel = stomach.Centre.Y + stomach.Radii.Y * o.Uniform(0.05, 0.85);
        Ellipsoid? gallbladder = o.Chance(0.85)
            ? new Ellipsoid(new Vec3(0.3 * wc, 0.35 * da, liverZ - hz * o.Uniform(30, 45)),
                new Vec3(o.Uniform(12, 17), o.Uniform(12, 17), hz * o.Uniform(26, 36)), SmoothMath.Rotation(0.5, 0, 0))
            : null;

        double zp = hz * o.Uniform(-45, -30);
        double atrophy = Math.Clamp(1 - 0.004 * (age - 50), 0.75, 1.1);
        var pancreasPoints = new[]
        {
            (new Vec3(0.2 * wc, front + 35, zp), 15.0),
            (new Vec3(0.02 * wc, front + 42, zp + 8), 10.0),
            (new Vec3(-0.3 * wc, front + 32, zp + 20), 11.0),
            (new Vec3(-0.55 * wc, spleen.Centre.Y + 25, zp + 32), 9.0),
        };
        var pancreas = new List<Tube>();
        for (int n = 0; n + 1 < pancreasPoints.Length; n++)
        {
            pancreas.Add(new Tube(pancreasPoints[n].Item1, pancreasPoints[n + 1].Item1, pancreasPoints[n].Item2 * atrophy, pancreasPoints[n + 1].Item2 * atrophy));
        }

        var v = rng.Fork(VesselKey);
        var portaHepatis = new Vec3(0.28 * wc, front + 45, zp + 45);
        var hepaticVenousConfluence = new Vec3(20, front + 30, diaphragm.RightTopZ - 25);
        var vessels = VesselLayout.Extrahepatic(ref v, age, spine, diaphragm, portaHepatis, hepaticVenousConfluence,
            spleen, kidneyRight, kidneyLeft, new Vec3(0.05 * wc, front + 30, zp + 5), zp, hz, wc);

        var t = rng.Fork(TreeKey);
        var hepatic = VesselLayout.Intrahepatic(ref t, liver, portaHepatis, hepaticVenousConfluence);

        var b = rng.Fork(BowelKey);
        var bowel = BowelLayout.Sample(ref b, wc, da, dp, front, zp, rightLobe.Centre.Z - rightLobe.Radii.Z, stomach);

        return new PatientAnatomy
        {
            Body = body,
            Diaphragm = diaphragm,
            Spine = spine,
            Liver = liver,
            Heart = heart,
            Spleen = spleen,
            KidneyRight = kidneyRight,
            KidneyLeft = kidneyLeft,
            Stomach = stomach,
            StomachAirLevelY = airLevel,
            Gallbladder = gallbladder,
            Pancreas = pancreas,
            Vessels = vessels,
            HepaticVessels = hepatic,
            Bowel = bowel,
            PsoasTopZ = kidneyZ + 20 * hz,
            TableY = -d - r.Uniform(3, 15),
            ShapeNoise = new LatticeNoise(rng.Fork(ShapeKey), new Vec3(-w - 20, -d - 20, -500), new Vec3(w + 20, d + 20, 400), 30),
            EnhancementFactor = r.TruncatedGaussian(1, 0.12, 0.72, 1.3),
        };
    }

    /// <summary>A kidney tilted as in life: upper pole medial and posterior, hilum facing anteromedially.</summary>
    private static Ellipsoid Kidney(ref SynthRandom r, Vec3 centre, int side, double hz) =>
        new(centre, new Vec3(r.Uniform(24, 28), r.Uniform(21, 25), hz * r.Uniform(48, 56)),
            SmoothMath.Rotation(0.15, side * 0.18, side * 0.45));
}
