using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// The voxel grid of one patient's scans. Rendering happens on a canonical grid (i towards
/// patient Right, j Anterior, k Superior) placed in the patient frame (mm, RAS+ axes, origin at
/// the body axis on the liver's mid level); the scanner puts the patient frame at
/// <see cref="WorldOffset"/> in world RAS+ mm. Storage then mirrors axes as the site does, and
/// <see cref="StoredGeometry"/> keeps the affine truthful for every storage.
/// </summary>
internal sealed record ScanGrid(Int3 Size, Vec3 Spacing, Vec3 PatientOrigin, Vec3 WorldOffset, SyntheticStorage Storage)
{
    public double VoxelVolumeCm3 => Spacing.X * Spacing.Y * Spacing.Z / 1000.0;

    public int VoxelCount => checked((int)Size.Product);

    /// <summary>Patient-frame position (mm) of canonical voxel (i, j, k).</summary>
    public Vec3 PatientPosition(double i, double j, double k) =>
        PatientOrigin + new Vec3(i * Spacing.X, j * Spacing.Y, k * Spacing.Z);

    /// <summary>Continuous canonical index of a patient-frame point.</summary>
    public Vec3 CanonicalIndex(Vec3 patient) => new(
        (patient.X - PatientOrigin.X) / Spacing.X,
        (patient.Y - PatientOrigin.Y) / Spacing.Y,
        (patient.Z - PatientOrigin.Z) / Spacing.Z);

    /// <summary>Index of a canonical voxel in the stored (possibly mirrored) array; works for continuous indices too.</summary>
    public Vec3 StoredIndex(Vec3 canonical) => new(
        Storage.FlipX ? Size.X - 1 - canonical.X : canonical.X,
        Storage.FlipY ? Size.Y - 1 - canonical.Y : canonical.Y,
        Storage.ReverseSlices ? Size.Z - 1 - canonical.Z : canonical.Z);

    /// <summary>The stored array's geometry: mirrored axes get negative direction columns and a far-corner origin.</summary>
    public VolumeGeometry StoredGeometry()
    {
        var worldOrigin = PatientOrigin + WorldOffset;
        var origin = worldOrigin + new Vec3(
            Storage.FlipX ? (Size.X - 1) * Spacing.X : 0,
            Storage.FlipY ? (Size.Y - 1) * Spacing.Y : 0,
            Storage.ReverseSlices ? (Size.Z - 1) * Spacing.Z : 0);
        var direction = Matrix3.Diagonal(new Vec3(Storage.FlipX ? -1 : 1, Storage.FlipY ? -1 : 1, Storage.ReverseSlices ? -1 : 1));
        return new VolumeGeometry(Size, Spacing, origin, direction);
    }

    /// <summary>Copies a canonical buffer into storage order (row copies, reversed where the site mirrors).</summary>
    public T[] ToStorage<T>(T[] canonical) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(canonical);
        int nx = Size.X, ny = Size.Y, nz = Size.Z;
        var stored = new T[canonical.Length];
        for (int k = 0; k < nz; k++)
        {
            int ks = Storage.ReverseSlices ? nz - 1 - k : k;
            for (int j = 0; j < ny; j++)
            {
                int js = Storage.FlipY ? ny - 1 - j : j;
                var source = canonical.AsSpan((k * ny + j) * nx, nx);
                var target = stored.AsSpan((ks * ny + js) * nx, nx);
                source.CopyTo(target);
                if (Storage.FlipX)
                {
                    target.Reverse();
                }
            }
        }

        return stored;
    }

    /// <summary>
    /// Chooses the grid for a patient: the site's field of view (512 x its pixel spacing) at the
    /// requested size, a slab that covers the whole liver with some abdomen below it, and a
    /// patient position on the couch that differs a little from scan to scan of the cohort.
    /// </summary>
    public static ScanGrid Create(SyntheticSiteProfile site, SyntheticSize size, double liverTopZ, double liverBottomZ, ref SynthRandom rng)
    {
        double fov = 512 * site.InPlaneSpacingMm;
        int n;
        double sxy, sz;
        int nz;
        double coverage = rng.Uniform(270, 320);
        if (size == SyntheticSize.Small)
        {
            n = 160;
            sxy = fov / n;
            sz = Math.Clamp(2 * site.SliceSpacingMm, 4, 5);
            nz = Math.Clamp((int)Math.Round(coverage / sz), 48, 80);
        }
        else
        {
            n = 512;
            sxy = site.InPlaneSpacingMm;
            sz = site.SliceSpacingMm;
            nz = Math.Clamp((int)Math.Round(coverage / sz), 100, 200);
        }

        double span = (nz - 1) * sz;

        // The slab is centred a little below the liver (upper abdomen protocols run to the pelvis),
        // but never cuts the liver when the slab is long enough to hold it.
        double centre = 0.5 * (liverTopZ + liverBottomZ) - rng.Uniform(20, 60);
        double zStart = centre - span / 2;
        zStart = Math.Min(zStart, liverBottomZ - 8);
        zStart = Math.Max(zStart, liverTopZ + 8 - span);

        // The body is centred near, not at, the isocentre; the couch position is arbitrary.
        double ox = rng.Gaussian(0, 6), oy = rng.Gaussian(-8, 6);
        double oz = Math.Round(rng.Uniform(-650, -250), 1);
        var origin = new Vec3(-ox - (n - 1) * sxy / 2, -oy - (n - 1) * sxy / 2, zStart);
        return new ScanGrid(new Int3(n, n, nz), new Vec3(sxy, sxy, sz), origin, new Vec3(ox, oy, oz), site.Storage);
    }
}
