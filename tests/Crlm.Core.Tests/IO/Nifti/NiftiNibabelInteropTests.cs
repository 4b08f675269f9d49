using System.Numerics;
using System.Text.Json;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>Files written by <see cref="NiftiWriter"/>, loaded by nibabel: same shape, affine, dtype and voxels.</summary>
public sealed class NiftiNibabelInteropTests
{
    private const double AffineTolerance = 1e-5;

    // One Python process for every file: importing nibabel costs more than all the comparisons.
    private const string Script = """
        import json, sys
        import nibabel as nib
        import numpy as np
        out = []
        for path in sys.argv[1:]:
            img = nib.load(path)
            hdr = img.header
            out.append({
                "path": path,
                "shape": [int(x) for x in img.shape],
                "dtype": str(hdr.get_data_dtype().newbyteorder("=")),
                "affine": img.affine.tolist(),
                "qform": hdr.get_qform().tolist(),
                "sform": hdr.get_sform().tolist(),
                "codes": [int(hdr["qform_code"]), int(hdr["sform_code"])],
                "units": list(hdr.get_xyzt_units()),
                "slope_inter": [float(img.dataobj.slope), float(img.dataobj.inter)],
                "voxels": np.asanyarray(img.dataobj).reshape(-1, order="F").astype(np.float64).tolist(),
            })
        print(json.dumps(out))
        """;

    [RequiresNibabelFact]
    public void Nibabel_reads_what_we_write()
    {
        using var temp = new TempFolder();
        var grid = NiftiTestFiles.ObliqueGrid();
        var written = new List<(string Path, string Dtype, double[] Voxels, VolumeGeometry Grid)>
        {
            Write<byte>(temp, "u8.nii.gz", "uint8", grid),
            Write<sbyte>(temp, "i8.nii", "int8", grid),
            Write<short>(temp, "i16.nii.gz", "int16", grid),
            Write<ushort>(temp, "u16.nii", "uint16", grid),
            Write<int>(temp, "i32.nii.gz", "int32", grid),
            Write<float>(temp, "f32.nii", "float32", grid),
            Write<double>(temp, "f64.nii.gz", "float64", grid),
            Write<short>(temp, "axial.nii", "int16", VolumeGeometry.Axial(new Int3(4, 6, 2), new Vec3(0.5, 0.75, 5))),
        };

        string stdout = NibabelPython.Run(Script, written.Select(w => w.Path).ToArray());
        using var doc = JsonDocument.Parse(stdout);
        var readings = doc.RootElement.EnumerateArray().ToList();

        Assert.Equal(written.Count, readings.Count);
        for (int n = 0; n < written.Count; n++)
        {
            var (path, dtype, voxels, g) = written[n];
            var r = readings[n];
            string name = Path.GetFileName(path);
            Assert.Equal(new[] { g.Size.X, g.Size.Y, g.Size.Z }, r.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(dtype, r.GetProperty("dtype").GetString());
            NiftiFixtureTests.AssertAffine(r.GetProperty("affine"), g.Affine(), AffineTolerance, name + " affine");
            NiftiFixtureTests.AssertAffine(r.GetProperty("qform"), g.Affine(), AffineTolerance, name + " qform");
            NiftiFixtureTests.AssertAffine(r.GetProperty("sform"), g.Affine(), AffineTolerance, name + " sform");
            Assert.Equal(new[] { 1, 1 }, r.GetProperty("codes").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("mm", r.GetProperty("units")[0].GetString());
            Assert.Equal(new[] { 1.0, 0.0 }, r.GetProperty("slope_inter").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(voxels, r.GetProperty("voxels").EnumerateArray().Select(e => e.GetDouble()));
        }
    }

    private static (string, string, double[], VolumeGeometry) Write<T>(TempFolder temp, string name, string dtype, VolumeGeometry grid)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var volume = NiftiTestFiles.Sweep<T>(grid);
        string path = temp.File(name);
        NiftiWriter.Write(path, volume);
        return (path, dtype, volume.Voxels.Select(double.CreateTruncating).ToArray(), grid);
    }
}
