using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>Settings of <see cref="MorphologyFeatures"/>.</summary>
/// <param name="SpatialAutocorrelationMaxVoxels">
/// Moran's I and Geary's C sum over all voxel pairs (O(N²)). Up to this many intensity-mask voxels they are exact;
/// above it they are computed on a regular sub-lattice of the ROI (every s-th voxel along each axis, s the smallest
/// stride that fits), an approximation: distances between the kept voxels are true distances, but the nearest
/// neighbours, which dominate the 1/distance weights, are gone. 0 skips them (NaN).
/// </param>
public sealed record MorphologyOptions(int SpatialAutocorrelationMaxVoxels = 10_000)
{
    public static MorphologyOptions Default { get; } = new();
}

/// <summary>
/// IBSI "morphology" features (IBSI 3.1) from the ROI mask's marching-cubes mesh, its voxels and its intensities.
/// The oriented minimum bounding box and minimum volume enclosing ellipsoid densities are not computed (IBSI gives
/// no reference value for them).
/// </summary>
public static class MorphologyFeatures
{
    public const string Family = "morphology";

    /// <param name="mask">The morphological mask (non-zero = ROI).</param>
    /// <param name="image">Intensities, for the centre of mass shift, integrated intensity and Moran's I / Geary's C.</param>
    /// <param name="intensityMask">The intensity mask (e.g. after re-segmentation); the morphological mask when null.</param>
    /// <exception cref="ArgumentException">An empty mask, or grids that differ.</exception>
    public static IReadOnlyList<RadiomicsFeature> Compute(Volume<byte> mask, Volume<float> image, Volume<byte>? intensityMask = null, MorphologyOptions? options = null)
    {
        RoiIntensities.RequireSameGrid(image, mask);
        intensityMask ??= mask;
        RoiIntensities.RequireSameGrid(image, intensityMask);
        options ??= MorphologyOptions.Default;

        var mesh = MarchingCubesMesh.Build(mask);
        double volume = mesh.Volume();
        double area = mesh.SurfaceArea();
        var spacing = mask.Geometry.Spacing;
        var shape = VoxelShape.Of(mask, image, intensityMask);
        double voxelVolume = shape.MorphologicalCount * spacing.X * spacing.Y * spacing.Z;

        double sphere = Math.Cbrt(36 * Math.PI * volume * volume);
        var (l1, l2, l3) = shape.CovarianceEigenvalues;
        double a = 2 * Math.Sqrt(l1), b = 2 * Math.Sqrt(l2), c = 2 * Math.Sqrt(l3);

        var candidates = ConvexHull.Candidates(mesh.HalfVoxels, mesh.VertexCount);
        double diameter = MaximumDiameter(mesh, candidates);
        var (boxVolume, boxArea) = BoundingBox(mesh);
        var (hullVolume, hullArea) = HullVolumeAndArea(mesh, candidates, spacing);
        var (moran, geary) = SpatialAutocorrelation.Compute(image, intensityMask, options.SpatialAutocorrelationMaxVoxels);

        return
        [
            new(Family, "Volume (mesh)", volume),
            new(Family, "Volume (voxel counting)", voxelVolume),
            new(Family, "Surface area (mesh)", area),
            new(Family, "Surface to volume ratio", area / volume),
            new(Family, "Compactness 1", volume / (Math.Sqrt(Math.PI) * Math.Pow(area, 1.5))),
            new(Family, "Compactness 2", 36 * Math.PI * volume * volume / (area * area * area)),
            new(Family, "Spherical disproportion", area / sphere),
            new(Family, "Sphericity", sphere / area),
            new(Family, "Asphericity", Math.Cbrt(area * area * area / (36 * Math.PI * volume * volume)) - 1),
            new(Family, "Centre of mass shift", shape.CentreOfMassShift),
            new(Family, "Maximum 3D diameter", diameter),
            new(Family, "Major axis length", 4 * Math.Sqrt(l1)),
            new(Family, "Minor axis length", 4 * Math.Sqrt(l2)),
            new(Family, "Least axis length", 4 * Math.Sqrt(l3)),
            new(Family, "Elongation", Math.Sqrt(l2 / l1)),
            new(Family, "Flatness", Math.Sqrt(l3 / l1)),
            new(Family, "Volume density (axis-aligned bounding box)", volume / boxVolume),
            new(Family, "Area density (axis-aligned bounding box)", area / boxArea),
            new(Family, "Volume density (approximate enclosing ellipsoid)", volume / (4 * Math.PI * a * b * c / 3)),
            new(Family, "Area density (approximate enclosing ellipsoid)", area / EllipsoidArea(a, b, c)),
            new(Family, "Volume density (convex hull)", volume / hullVolume),
            new(Family, "Area density (convex hull)", area / hullArea),
            new(Family, "Integrated intensity", shape.MeanIntensity * volume),
            new(Family, "Moran's I index", moran),
            new(Family, "Geary's C measure", geary),
        ];
    }

    /// <summary>The largest distance between two mesh vertices (IBSI: between vertices, not voxel centres).</summary>
    private static double MaximumDiameter(TriangleMesh mesh, int[] candidates)
    {
        var p = mesh.Positions;
        double best = 0;
        for (int s = 0; s < candidates.Length; s++)
        {
            int a = 3 * candidates[s];
            double ax = p[a], ay = p[a + 1], az = p[a + 2];
            for (int t = s + 1; t < candidates.Length; t++)
            {
                int b = 3 * candidates[t];
                double dx = p[b] - ax, dy = p[b + 1] - ay, dz = p[b + 2] - az;
                best = Math.Max(best, dx * dx + dy * dy + dz * dz);
            }
        }

        return Math.Sqrt(best);
    }

    /// <summary>Volume and surface area of the mesh's axis-aligned bounding box.</summary>
    private static (double Volume, double Area) BoundingBox(TriangleMesh mesh)
    {
        var p = mesh.Positions;
        Span<double> lo = [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity];
        Span<double> hi = [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];
        for (int n = 0; n < p.Length; n++)
        {
            int axis = n % 3;
            lo[axis] = Math.Min(lo[axis], p[n]);
            hi[axis] = Math.Max(hi[axis], p[n]);
        }

        double x = hi[0] - lo[0], y = hi[1] - lo[1], z = hi[2] - lo[2];
        return (x * y * z, 2 * (x * y + y * z + z * x));
    }

    private static (double Volume, double Area) HullVolumeAndArea(TriangleMesh mesh, int[] candidates, Vec3 spacing)
    {
        var lattice = new long[3 * candidates.Length];
        for (int s = 0; s < candidates.Length; s++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                lattice[3 * s + axis] = mesh.HalfVoxels[3 * candidates[s] + axis];
            }
        }

        var faces = ConvexHull.Build(lattice);
        if (faces is null)
        {
            return (double.NaN, double.NaN);
        }

        var positions = new double[lattice.Length];
        for (int n = 0; n < lattice.Length; n++)
        {
            positions[n] = 0.5 * lattice[n] * spacing[n % 3];
        }

        var triangles = new int[3 * faces.Count];
        for (int f = 0; f < faces.Count; f++)
        {
            (triangles[3 * f], triangles[3 * f + 1], triangles[3 * f + 2]) = faces[f];
        }

        var hull = new TriangleMesh(positions, triangles, []);
        return (hull.Volume(), hull.SurfaceArea());
    }

    /// <summary>
    /// Surface area of an ellipsoid with semi-axes a ≥ b ≥ c, by IBSI's Legendre series (20 terms):
    /// 4π a b Σ_ν (αβ)^ν / (1 - 4ν²) P_ν((α² + β²) / (2αβ)), α = √(1 - b²/a²), β = √(1 - c²/a²).
    /// Q_ν = (αβ)^ν P_ν(...) runs through Bonnet's recurrence multiplied out, so a sphere (αβ = 0) needs no division.
    /// </summary>
    internal static double EllipsoidArea(double a, double b, double c)
    {
        double alpha = Math.Sqrt(Math.Max(0, 1 - b * b / (a * a)));
        double beta = Math.Sqrt(Math.Max(0, 1 - c * c / (a * a)));
        double product = alpha * beta;
        double half = 0.5 * (alpha * alpha + beta * beta); // x (αβ) with x = (α² + β²) / (2αβ)
        double previous = 1; // Q_0
        double current = half; // Q_1
        double sum = previous + current / (1 - 4.0);
        for (int nu = 1; nu < 20; nu++)
        {
            double next = ((2 * nu + 1) * half * current - nu * product * product * previous) / (nu + 1);
            previous = current;
            current = next;
            int order = nu + 1;
            sum += current / (1 - 4.0 * order * order);
        }

        return 4 * Math.PI * a * b * sum;
    }
}
