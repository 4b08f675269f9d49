using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>Small synthetic volumes and byte-level NIfTI builders for the reader/writer tests.</summary>
internal static class NiftiTestFiles
{
    /// <summary>Rotation about z then x, composed with an x flip: oblique, and det &lt; 0 (a reflection).</summary>
    public static Matrix3 ObliqueFlippedDirection()
    {
        double a = 0.3, b = 0.2;
        var rz = new Matrix3(Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1);
        var rx = new Matrix3(1, 0, 0, 0, Math.Cos(b), -Math.Sin(b), 0, Math.Sin(b), Math.Cos(b));
        return rz * rx * Matrix3.Diagonal(new Vec3(-1, 1, 1));
    }

    /// <summary>7x5x3, odd spacing, non-zero origin (exact in float32), oblique flipped direction.</summary>
    public static VolumeGeometry ObliqueGrid() =>
        new(new Int3(7, 5, 3), new Vec3(0.7, 1.3, 2.9), new Vec3(-120.5, 33.25, 10.125), ObliqueFlippedDirection());

    /// <summary>A volume whose voxels sweep <typeparamref name="T"/>'s range, both extremes included.</summary>
    public static Volume<T> Sweep<T>(VolumeGeometry grid) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var v = new Volume<T>(grid);
        double lo = double.CreateTruncating(T.MinValue), hi = double.CreateTruncating(T.MaxValue);
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            lo = -3.0e4;
            hi = 1.0e5;
        }

        for (int n = 0; n < v.Voxels.Length; n++)
        {
            double t = (n * 37 % v.Voxels.Length) / (double)(v.Voxels.Length - 1);
            v.Voxels[n] = T.CreateSaturating(lo + t * (hi - lo) + (typeof(T) == typeof(float) || typeof(T) == typeof(double) ? 0.125 : 0));
        }

        v.Voxels[0] = T.MinValue;
        v.Voxels[^1] = T.MaxValue;
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            v.Voxels[0] = T.CreateChecked(-1.5e-7);
            v.Voxels[^1] = T.CreateChecked(3.25e6);
        }

        return v;
    }

    /// <summary>The exact bytes <see cref="NiftiWriter"/> writes (uncompressed) for <paramref name="volume"/>.</summary>
    public static byte[] Nifti1Bytes<T>(Volume<T> volume) where T : unmanaged, INumber<T>
    {
        byte[] header = NiftiHeaderCodec.EncodeNifti1(NiftiWriter.HeaderFor(volume));
        var data = MemoryMarshal.AsBytes(volume.Voxels.AsSpan());
        var all = new byte[header.Length + data.Length];
        header.CopyTo(all, 0);
        data.CopyTo(all.AsSpan(header.Length));
        return all;
    }

    /// <summary>A small valid int16 file (7x5x3 oblique grid, sform and qform) as bytes.</summary>
    public static byte[] ValidInt16File() => Nifti1Bytes(Sweep<short>(ObliqueGrid()));

    public static void PutInt16(byte[] b, int offset, short v) => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(offset), v);
    public static void PutInt32(byte[] b, int offset, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(offset), v);
    public static void PutFloat(byte[] b, int offset, float v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(offset), v);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(raw);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Uncompressed bytes of a fixture under Fixtures/nifti (gunzipped when it is gzip).</summary>
    public static byte[] FixtureBytes(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestSupport.SharedData.Fixtures("nifti"), name));
        return bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b ? Gunzip(bytes) : bytes;
    }
}
