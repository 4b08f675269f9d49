using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Synthetic;

/// <summary>
/// One patient from plan to files: anatomy, grid, labels, lesions, annotation, then each phase
/// rendered and written with its liver and lesion masks. Everything random comes from the
/// patient's own stream, so the result does not depend on which thread runs it or when.
/// </summary>
internal static class PatientSynthesis
{
    private const ulong AnatomyKey = 21, GridKey = 22, TextureKey = 23, LesionKey = 24, AnnotationKey = 25, NoiseKey = 26;

    public const string ImageFolder = "images";
    public const string LiverMaskFolder = "liver_masks";
    public const string LesionMaskFolder = "lesion_masks";

    /// <summary>The patient's phantom before rendering: what tests inspect without touching the disk.</summary>
    internal sealed record Phantom(PatientPlan Plan, SynthRandom Stream, PatientAnatomy Anatomy, PatientLabels Labels,
        IReadOnlyList<(SyntheticLesion Lesion, LesionFootprint Footprint)> Lesions, int[] MaskLabels, ScannerModel Scanner);

    public static Phantom Build(PatientPlan plan, SyntheticCohortOptions options)
    {
        var rng = SynthRandom.ForPatient(options.Seed, plan.Index);
        var site = plan.Site;
        // Anatomy needs a body habitus; a patient whose sex the manifest leaves unknown still has one.
        bool female = plan.Sex == PatientSex.Female || (plan.Sex == PatientSex.Unknown && plan.Index % 2 == 0);
        var anatomy = AnatomySampler.Sample(rng.Fork(AnatomyKey), female, plan.Age, 512 * site.InPlaneSpacingMm);
        var gridRng = rng.Fork(GridKey);
        var grid = ScanGrid.Create(site, options.Size, anatomy.Liver.TopZ, anatomy.Liver.BottomZ, ref gridRng);
        var labels = AnatomyRasterizer.Rasterize(anatomy, grid, rng.Fork(TextureKey));
        var lesionRng = rng.Fork(LesionKey);
        var lesions = LesionPlacer.PlaceAndPaint(plan.Lesions, anatomy, labels, ref lesionRng);
        var annotationRng = rng.Fork(AnnotationKey);
        var maskLabels = AnnotationPolicy.Select(lesions.Select(l => l.Lesion).ToArray(), site, ref annotationRng);

        // Larger patients attenuate more: with tube-current modulation noise still grows, but slowly.
        double size = anatomy.Body.HalfWidth * anatomy.Body.HalfDepth / (152.0 * 108.0);
        double noise = site.NoiseSdHu * options.Difficulty.NoiseScale * Math.Clamp(Math.Sqrt(size), 0.8, 1.3);
        return new Phantom(plan, rng, anatomy, labels, lesions, maskLabels, new ScannerModel(noise, site.BlurSigmaMm, site.HuOffset));
    }

    /// <summary>Renders one phase on the canonical grid (int16 HU).</summary>
    public static short[] RenderPhase(Phantom phantom, ContrastPhase phase, SyntheticDifficulty difficulty)
    {
        // Each phase is a separate acquisition: its own noise realisation.
        var noiseRng = phantom.Stream.Fork(NoiseKey * 100 + (ulong)phase);
        return ScanRenderer.Render(phantom.Labels, phantom.Anatomy, phantom.Lesions.Select(l => l.Lesion).ToArray(), phase,
            phantom.Scanner, difficulty, noiseRng);
    }

    public static PatientOutput Run(PatientPlan plan, SyntheticCohortOptions options, string outDir, CancellationToken ct)
    {
        var phantom = Build(plan, options);
        var grid = phantom.Labels.Grid;
        var geometry = grid.StoredGeometry();
        var liverMask = new Volume<byte>(geometry, grid.ToStorage(phantom.Labels.Liver));
        var lesionMask = new Volume<byte>(geometry, grid.ToStorage(LesionMask(phantom)));
        var lesionTruths = LesionTruths(phantom, geometry);
        var rows = new List<ManifestRow>();
        var truths = new List<ScanTruth>();
        foreach (var phase in plan.Phases)
        {
            ct.ThrowIfCancellationRequested();
            string scanId = plan.ScanId(phase);
            string image = $"{ImageFolder}/{scanId}.nii.gz";
            string liver = $"{LiverMaskFolder}/{scanId}.nii.gz";
            string lesion = $"{LesionMaskFolder}/{scanId}.nii.gz";
            var hu = RenderPhase(phantom, phase, options.Difficulty);
            NiftiWriter.Write(Path.Combine(outDir, image), new Volume<short>(geometry, grid.ToStorage(hu)));
            NiftiWriter.Write(Path.Combine(outDir, liver), liverMask);
            NiftiWriter.Write(Path.Combine(outDir, lesion), lesionMask);
            bool complete = plan.Site.LesionsComplete;
            rows.Add(new ManifestRow(plan.PatientId, scanId, plan.Site.Name, phase, plan.Label, image, liver, lesion, complete, plan.Age, plan.Sex));
            truths.Add(new ScanTruth(scanId, plan.PatientId, plan.Site.Name, phase, plan.Label, complete, image,
                plan.Site.Storage.AxisCodes, lesionTruths));
        }

        int annotated = phantom.MaskLabels.Count(l => l > 0);
        return new PatientOutput(rows, truths, phantom.Lesions.Count, annotated);
    }

    /// <summary>Canonical lesion mask: instance labels for annotated lesions only.</summary>
    public static byte[] LesionMask(Phantom phantom)
    {
        var ids = phantom.Labels.LesionIds;
        var mask = new byte[ids.Length];
        var map = new byte[256];
        for (int n = 0; n < phantom.MaskLabels.Length; n++)
        {
            map[n + 1] = (byte)phantom.MaskLabels[n];
        }

        for (int v = 0; v < ids.Length; v++)
        {
            mask[v] = map[ids[v]];
        }

        return mask;
    }

    private static LesionTruth[] LesionTruths(Phantom phantom, VolumeGeometry geometry)
    {
        var grid = phantom.Labels.Grid;
        var list = new List<LesionTruth>();
        for (int n = 0; n < phantom.Lesions.Count; n++)
        {
            var (lesion, footprint) = phantom.Lesions[n];
            var centreVoxel = grid.StoredIndex(grid.CanonicalIndex(lesion.Centre));
            var a = grid.StoredIndex(new Vec3(footprint.Min.X, footprint.Min.Y, footprint.Min.Z));
            var b = grid.StoredIndex(new Vec3(footprint.Max.X, footprint.Max.Y, footprint.Max.Z));
            var lo = new Int3((int)Math.Min(a.X, b.X), (int)Math.Min(a.Y, b.Y), (int)Math.Min(a.Z, b.Z));
            var hi = new Int3((int)Math.Max(a.X, b.X), (int)Math.Max(a.Y, b.Y), (int)Math.Max(a.Z, b.Z));
            var w1 = geometry.IndexToWorld(new Vec3(lo.X - 0.5, lo.Y - 0.5, lo.Z - 0.5));
            var w2 = geometry.IndexToWorld(new Vec3(hi.X + 0.5, hi.Y + 0.5, hi.Z + 0.5));
            list.Add(new LesionTruth(
                lesion.Id, lesion.Kind, phantom.MaskLabels[n] > 0, phantom.MaskLabels[n],
                lesion.Centre + grid.WorldOffset, centreVoxel, lo, hi,
                new Vec3(Math.Min(w1.X, w2.X), Math.Min(w1.Y, w2.Y), Math.Min(w1.Z, w2.Z)),
                new Vec3(Math.Max(w1.X, w2.X), Math.Max(w1.Y, w2.Y), Math.Max(w1.Z, w2.Z)),
                footprint.Voxels, footprint.Voxels * grid.VoxelVolumeCm3, lesion.NominalVolumeCm3, lesion.Rim, lesion.NecrosisRadius > 0));
        }

        return [.. list];
    }
}
