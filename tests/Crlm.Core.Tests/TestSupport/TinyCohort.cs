using System.Globalization;
using System.Text;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Tests.TestSupport;

/// <summary>
/// Writes a small cohort to disk (4x4x2 volumes, real NIfTI files and a manifest) for tests of
/// the manifest checks and the runner, where the image content does not matter.
/// </summary>
public static class TinyCohort
{
    public const string Header = "patient_id,scan_id,site,phase,label,image,liver_mask,lesion_mask,lesions_complete,age,sex";

    public static readonly VolumeGeometry Grid = new(new Int3(4, 4, 2), new Vec3(1, 1, 2.5), new Vec3(-10, 5, 30), Matrix3.Identity);

    /// <summary>Writes <paramref name="perSite"/> patients per (site, label) and returns the manifest path.</summary>
    public static string Write(string folder, string[] sites, int perSite)
    {
        var manifest = new StringBuilder(Header).Append('\n');
        int n = 0;
        foreach (string site in sites)
        {
            foreach (string label in new[] { "crlm", "non_crlm", "negative" })
            {
                for (int p = 0; p < perSite; p++, n++)
                {
                    string id = string.Create(CultureInfo.InvariantCulture, $"{site}-{label}-{p}");
                    WriteScan(folder, id, Grid);
                    manifest.Append(CultureInfo.InvariantCulture,
                        $"{id},{id}-pv,{site},portal_venous,{label},img/{id}.nii.gz,liver/{id}.nii.gz,lesion/{id}.nii.gz,false,{50 + p},F\n");
                }
            }
        }

        string path = Path.Combine(folder, "manifest.csv");
        File.WriteAllText(path, manifest.ToString());
        return path;
    }

    public static void WriteScan(string folder, string id, VolumeGeometry grid, VolumeGeometry? maskGrid = null)
    {
        var image = new Volume<short>(grid);
        for (int v = 0; v < image.Voxels.Length; v++)
        {
            image.Voxels[v] = (short)(v * 7 - 40);
        }

        NiftiWriter.Write(Path.Combine(folder, "img", id + ".nii.gz"), image);
        var liver = new Volume<byte>(maskGrid ?? grid);
        liver.Voxels.AsSpan(0, liver.Voxels.Length / 2).Fill(1);
        NiftiWriter.Write(Path.Combine(folder, "liver", id + ".nii.gz"), liver);
        NiftiWriter.Write(Path.Combine(folder, "lesion", id + ".nii.gz"), new Volume<byte>(maskGrid ?? grid));
    }
}
