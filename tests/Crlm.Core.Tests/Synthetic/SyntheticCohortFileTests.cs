using System.Text.Json;
using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>The files of a generated cohort, read back the way the pipeline reads them.</summary>
public class SyntheticCohortFileTests(SmallCohortFixture cohort) : IClassFixture<SmallCohortFixture>
{
    private JsonElement[] TruthScans()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(cohort.Result.TruthPath));
        return [.. doc.RootElement.GetProperty("scans").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public void Manifest_has_the_exact_columns_and_parses_without_issues()
    {
        var lines = File.ReadAllLines(cohort.Result.ManifestPath);
        Assert.Equal("patient_id,scan_id,site,phase,label,image,liver_mask,lesion_mask,lesions_complete,age,sex", lines[0]);
        Assert.Equal(cohort.Result.Scans, lines.Length - 1);

        var report = ManifestReader.Load(cohort.Result.ManifestPath);
        Assert.False(report.HasErrors, string.Join("\n", report.Issues));
        Assert.Equal(cohort.Result.Scans, report.Manifest.Scans.Count);
        Assert.Equal(cohort.Options.Patients, report.Manifest.Patients().Count);
        foreach (var scan in report.Manifest.Scans)
        {
            Assert.True(File.Exists(scan.ImagePath), scan.ImagePath);
            Assert.True(File.Exists(scan.LiverMaskPath), scan.LiverMaskPath);
            Assert.True(File.Exists(scan.LesionMaskPath), scan.LesionMaskPath);
            Assert.Equal(scan.Site == "TCIA_CRLM", scan.LesionsComplete);
            Assert.NotEqual(ContrastPhase.Unknown, scan.Phase);
        }
    }

    [Fact]
    public void Every_site_is_present_and_the_external_site_is_crlm_portal_venous_only()
    {
        var scans = ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans;
        Assert.Equal(["GUMED", "KAUNOS", "TCIA_CRLM", "UMEA", "UNIPI"], scans.Select(s => s.Site).Distinct().Order(StringComparer.Ordinal));
        Assert.All(scans.Where(s => s.Site == "TCIA_CRLM"), s =>
        {
            Assert.Equal(CohortLabel.Crlm, s.Label);
            Assert.Equal(ContrastPhase.PortalVenous, s.Phase);
        });
    }

    [Fact]
    public void Images_are_int16_and_masks_share_their_grid()
    {
        var scan = ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans[0];
        Assert.Equal(NiftiDataType.Int16, NiftiReader.ReadHeader(scan.ImagePath).DataType);
        var image = NiftiReader.Read<short>(scan.ImagePath);
        var liver = NiftiReader.Read<byte>(scan.LiverMaskPath);
        var lesion = NiftiReader.Read<byte>(scan.LesionMaskPath!);
        Assert.True(image.Geometry.SameGridAs(liver.Geometry));
        Assert.True(image.Geometry.SameGridAs(lesion.Geometry));
        Assert.InRange(image.Size.X, 150, 170);
        Assert.InRange(image.Size.Z, 48, 80);
    }

    [Fact]
    public void Lesion_masks_lie_inside_liver_masks_and_hold_exactly_the_annotated_lesions()
    {
        var truth = TruthScans().ToDictionary(s => s.GetProperty("scan_id").GetString()!);
        foreach (var scan in ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans)
        {
            var liver = NiftiReader.Read<byte>(scan.LiverMaskPath);
            var lesion = NiftiReader.Read<byte>(scan.LesionMaskPath!);
            var labels = new HashSet<int>();
            for (int v = 0; v < lesion.Voxels.Length; v++)
            {
                if (lesion.Voxels[v] != 0)
                {
                    Assert.Equal(1, liver.Voxels[v]);
                    labels.Add(lesion.Voxels[v]);
                }
            }

            var lesions = truth[scan.ScanId].GetProperty("lesions").EnumerateArray().ToArray();
            int annotated = lesions.Count(l => l.GetProperty("annotated").GetBoolean());
            Assert.Equal(Enumerable.Range(1, annotated).ToHashSet(), labels);
            int metastases = lesions.Count(l => l.GetProperty("type").GetString() == "metastasis");
            if (scan.LesionsComplete)
            {
                Assert.Equal(metastases, annotated);
            }
            else
            {
                Assert.Equal(Math.Min(3, metastases), annotated);
            }
        }
    }

    [Fact]
    public void Truth_volumes_are_the_voxel_counts_of_the_written_masks_and_follow_the_drawn_volumes()
    {
        var manifest = ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans.ToDictionary(s => s.ScanId);
        int checkedLesions = 0;
        foreach (var scan in TruthScans())
        {
            var mask = NiftiReader.Read<byte>(manifest[scan.GetProperty("scan_id").GetString()!].LesionMaskPath!);
            var sp = mask.Geometry.Spacing;
            double voxelCm3 = sp.X * sp.Y * sp.Z / 1000;
            var counts = new int[256];
            foreach (byte b in mask.Voxels)
            {
                counts[b]++;
            }

            foreach (var lesion in scan.GetProperty("lesions").EnumerateArray())
            {
                int voxels = lesion.GetProperty("voxels").GetInt32();
                double volume = lesion.GetProperty("volume_cm3").GetDouble();
                double nominal = lesion.GetProperty("nominal_volume_cm3").GetDouble();
                Assert.Equal(voxels * voxelCm3, volume, 0.001);
                if (lesion.GetProperty("annotated").GetBoolean())
                {
                    Assert.Equal(voxels, counts[lesion.GetProperty("mask_label").GetInt32()]);
                    checkedLesions++;
                }

                // Shapes are calibrated to paint their drawn volume; only a few-voxel lesion may miss by a voxel or two.
                Assert.True(Math.Abs(volume - nominal) <= Math.Max(2 * voxelCm3, 0.2 * nominal),
                    $"{scan.GetProperty("scan_id").GetString()} lesion {lesion.GetProperty("id").GetInt32()}: painted {volume:F3} cm3, drawn {nominal:F3} cm3");
            }
        }

        Assert.True(checkedLesions > 0, "the test cohort has no annotated lesion");
    }

    [Fact]
    public void Truth_centres_land_in_their_own_lesion_after_reading_the_mask_back()
    {
        var manifest = ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans.ToDictionary(s => s.ScanId);
        int checkedLesions = 0;
        foreach (var scan in TruthScans())
        {
            var lesions = scan.GetProperty("lesions").EnumerateArray().Where(l => l.GetProperty("annotated").GetBoolean()).ToArray();
            if (lesions.Length == 0)
            {
                continue;
            }

            var mask = NiftiReader.Read<byte>(manifest[scan.GetProperty("scan_id").GetString()!].LesionMaskPath!);
            foreach (var lesion in lesions)
            {
                var c = lesion.GetProperty("centre_world_mm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                var index = mask.Geometry.WorldToIndex(new Vec3(c[0], c[1], c[2]));
                int i = (int)Math.Round(index.X), j = (int)Math.Round(index.Y), k = (int)Math.Round(index.Z);
                Assert.Equal(lesion.GetProperty("mask_label").GetInt32(), mask[i, j, k]);
                var stored = lesion.GetProperty("centre_voxel").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(index.X, stored[0], 0.011);
                Assert.Equal(index.Y, stored[1], 0.011);
                Assert.Equal(index.Z, stored[2], 0.011);
                checkedLesions++;
            }
        }

        Assert.True(checkedLesions > 0, "the test cohort has no annotated lesion");
    }

    [Fact]
    public void Liver_sits_in_the_right_upper_abdomen_in_world_coordinates_for_every_storage_orientation()
    {
        var seen = new HashSet<string>();
        foreach (var scan in ManifestReader.Load(cohort.Result.ManifestPath).Manifest.Scans)
        {
            var liver = NiftiReader.Read<byte>(scan.LiverMaskPath);
            var g = liver.Geometry;
            seen.Add(g.AxisCodes());
            double si = 0, sj = 0, sk = 0;
            long n = 0;
            for (int k = 0; k < g.Size.Z; k++)
            {
                for (int j = 0; j < g.Size.Y; j++)
                {
                    for (int i = 0; i < g.Size.X; i++)
                    {
                        if (liver[i, j, k] != 0)
                        {
                            si += i;
                            sj += j;
                            sk += k;
                            n++;
                        }
                    }
                }
            }

            Assert.True(n > 0, $"{scan.ScanId}: empty liver mask");
            var centroid = g.IndexToWorld(new Vec3(si / n, sj / n, sk / n));
            var centre = g.IndexToWorld(new Vec3((g.Size.X - 1) / 2.0, (g.Size.Y - 1) / 2.0, (g.Size.Z - 1) / 2.0));
            // RAS+: +x is the patient's right, +z superior.
            Assert.True(centroid.X - centre.X > 20, $"{scan.ScanId} ({g.AxisCodes()}): liver centroid x {centroid.X:F1} not right of centre {centre.X:F1}");
            Assert.True(centroid.Z > centre.Z, $"{scan.ScanId} ({g.AxisCodes()}): liver centroid z {centroid.Z:F1} not above centre {centre.Z:F1}");
            double litres = n * g.Spacing.X * g.Spacing.Y * g.Spacing.Z / 1e6;
            Assert.InRange(litres, 0.6, 2.6);
        }

        Assert.True(seen.Count >= 3, $"only storages {string.Join(",", seen)} were exercised");
    }
}
