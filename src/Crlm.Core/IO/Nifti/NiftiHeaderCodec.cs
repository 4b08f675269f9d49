using System.Buffers.Binary;
using System.Text;
using Crlm.Core.Imaging;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// Byte layout of the NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers: parsing either, in either byte
/// order, and encoding NIfTI-1 little-endian for the writer. Field offsets are those of nifti1.h / nifti2.h.
/// Parsing validates everything later code relies on to size buffers (dims, vox_offset), so no
/// arithmetic downstream can overflow.
/// </summary>
internal static class NiftiHeaderCodec
{
    public const int Nifti1HeaderSize = 348;
    public const int Nifti2HeaderSize = 540;

    /// <summary>Bytes before the voxel data in a single-file NIfTI-1 without extensions (header + 4 extension flag bytes).</summary>
    public const int Nifti1MinVoxOffset = Nifti1HeaderSize + 4;
    public const int Nifti2MinVoxOffset = Nifti2HeaderSize + 4;

    /// <summary>Larger offsets mean megabytes of "extensions": not a real file, so refuse before reading them.</summary>
    public const long MaxVoxOffset = 256L << 20;

    /// <summary>
    /// Identifies the version and byte order from the first four bytes (sizeof_hdr), as the standard says to.
    /// </summary>
    public static (int Version, bool BigEndian)? Identify(ReadOnlySpan<byte> first4)
    {
        int le = BinaryPrimitives.ReadInt32LittleEndian(first4);
        int be = BinaryPrimitives.ReadInt32BigEndian(first4);
        return le switch
        {
            Nifti1HeaderSize => (1, false),
            Nifti2HeaderSize => (2, false),
            _ => be switch
            {
                Nifti1HeaderSize => (1, true),
                Nifti2HeaderSize => (2, true),
                _ => null,
            },
        };
    }

    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, int version, bool bigEndian, string path)
    {
        var r = new FieldReader(bytes, bigEndian);
        return version == 1 ? ParseNifti1(r, path) : ParseNifti2(r, path);
    }

    private static NiftiHeader ParseNifti1(FieldReader r, string path)
    {
        ReadOnlySpan<byte> magic = r.Bytes.Slice(344, 4);
        CheckMagic(magic, "n+1"u8, "ni1"u8, path);

        var dims = new long[8];
        for (int n = 0; n < 8; n++)
        {
            dims[n] = r.I16(40 + 2 * n);
        }

        var pixdim = new double[8];
        for (int n = 0; n < 8; n++)
        {
            pixdim[n] = r.F32(76 + 4 * n);
        }

        double voxOffsetRaw = r.F32(108);
        if (!double.IsFinite(voxOffsetRaw) || voxOffsetRaw != Math.Floor(voxOffsetRaw))
        {
            throw NiftiFormatException.For(path, $"vox_offset {voxOffsetRaw} is not a whole number of bytes");
        }

        long voxOffset = voxOffsetRaw > long.MaxValue / 2 ? long.MaxValue : (long)voxOffsetRaw;
        var (ndim, size) = CheckDims(dims, path);
        CheckVoxOffset(voxOffset, Nifti1MinVoxOffset, path);

        return new NiftiHeader
        {
            Version = 1,
            IsBigEndian = r.BigEndian,
            NDim = ndim,
            Size = size,
            DataType = (NiftiDataType)r.I16(70),
            BitPix = r.I16(72),
            PixDim = pixdim,
            VoxOffset = voxOffset,
            SclSlope = r.F32(112),
            SclInter = r.F32(116),
            XyztUnits = r.Bytes[123],
            Description = Text(r.Bytes.Slice(148, 80)),
            QformCode = r.I16(252),
            SformCode = r.I16(254),
            QuaternB = r.F32(256),
            QuaternC = r.F32(260),
            QuaternD = r.F32(264),
            QOffsetX = r.F32(268),
            QOffsetY = r.F32(272),
            QOffsetZ = r.F32(276),
            SRowX = [r.F32(280), r.F32(284), r.F32(288), r.F32(292)],
            SRowY = [r.F32(296), r.F32(300), r.F32(304), r.F32(308)],
            SRowZ = [r.F32(312), r.F32(316), r.F32(320), r.F32(324)],
            SourcePath = path,
        };
    }

    private static NiftiHeader ParseNifti2(FieldReader r, string path)
    {
        CheckMagic(r.Bytes.Slice(4, 4), "n+2"u8, "ni2"u8, path);

        // Bytes 8..11 catch a file mangled by a text-mode transfer (CR/LF translation). nibabel accepts
        // all-zero as "unset" and refuses anything else that is not the standard sequence; so do we.
        ReadOnlySpan<byte> eol = r.Bytes.Slice(8, 4);
        if (!eol.SequenceEqual(new byte[] { 13, 10, 26, 10 }) && !eol.SequenceEqual(new byte[4]))
        {
            throw NiftiFormatException.For(path, "NIfTI-2 end-of-line check bytes are damaged (text-mode transfer?)");
        }

        var dims = new long[8];
        for (int n = 0; n < 8; n++)
        {
            dims[n] = r.I64(16 + 8 * n);
        }

        var pixdim = new double[8];
        for (int n = 0; n < 8; n++)
        {
            pixdim[n] = r.F64(104 + 8 * n);
        }

        long voxOffset = r.I64(168);
        var (ndim, size) = CheckDims(dims, path);
        CheckVoxOffset(voxOffset, Nifti2MinVoxOffset, path);

        return new NiftiHeader
        {
            Version = 2,
            IsBigEndian = r.BigEndian,
            NDim = ndim,
            Size = size,
            DataType = (NiftiDataType)r.I16(12),
            BitPix = r.I16(14),
            PixDim = pixdim,
            VoxOffset = voxOffset,
            SclSlope = r.F64(176),
            SclInter = r.F64(184),
            Description = Text(r.Bytes.Slice(240, 80)),
            QformCode = Saturate(r.I32(344)),
            SformCode = Saturate(r.I32(348)),
            QuaternB = r.F64(352),
            QuaternC = r.F64(360),
            QuaternD = r.F64(368),
            QOffsetX = r.F64(376),
            QOffsetY = r.F64(384),
            QOffsetZ = r.F64(392),
            SRowX = [r.F64(400), r.F64(408), r.F64(416), r.F64(424)],
            SRowY = [r.F64(432), r.F64(440), r.F64(448), r.F64(456)],
            SRowZ = [r.F64(464), r.F64(472), r.F64(480), r.F64(488)],
            XyztUnits = r.I32(500),
            SourcePath = path,
        };
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic, ReadOnlySpan<byte> single, ReadOnlySpan<byte> pair, string path)
    {
        if (magic[..3].SequenceEqual(single) && magic[3] == 0)
        {
            return;
        }

        if (magic[..3].SequenceEqual(pair) && magic[3] == 0)
        {
            throw NiftiFormatException.For(path,
                $"magic \"{Encoding.ASCII.GetString(pair)}\" marks a .hdr/.img pair; only single-file NIfTI (.nii, .nii.gz) is supported");
        }

        throw NiftiFormatException.For(path,
            $"bad magic {Convert.ToHexString(magic)} (expected \"{Encoding.ASCII.GetString(single)}\\0\"): not a NIfTI file");
    }

    private static (int NDim, Int3 Size) CheckDims(long[] dims, string path)
    {
        long ndim = dims[0];
        if (ndim is < 1 or > 7)
        {
            throw NiftiFormatException.For(path, $"dim[0] (number of dimensions) is {ndim}; it must be 1..7");
        }

        for (int n = 1; n <= ndim; n++)
        {
            if (dims[n] <= 0)
            {
                throw NiftiFormatException.For(path, $"dim[{n}] is {dims[n]}; every used dimension must be positive");
            }

            if (dims[n] > int.MaxValue)
            {
                throw NiftiFormatException.For(path, $"dim[{n}] is {dims[n]}, beyond what one array can index");
            }
        }

        for (int n = 4; n <= ndim; n++)
        {
            if (dims[n] != 1)
            {
                throw NiftiFormatException.For(path,
                    $"dim[{n}] is {dims[n]}: a {ndim}D image; only 3D images are supported (higher dimensions must be 1)");
            }
        }

        var size = new Int3((int)dims[1], ndim >= 2 ? (int)dims[2] : 1, ndim >= 3 ? (int)dims[3] : 1);

        // Each extent fits an int, so the product fits in 93 bits: compare in Int128 before trusting it.
        Int128 count = (Int128)size.X * size.Y * size.Z;
        if (count > Array.MaxLength)
        {
            throw NiftiFormatException.For(path,
                $"dims {size.X}x{size.Y}x{size.Z} declare {count} voxels, more than one array can hold ({Array.MaxLength})");
        }

        return ((int)ndim, size);
    }

    private static void CheckVoxOffset(long voxOffset, int minimum, string path)
    {
        if (voxOffset < minimum)
        {
            throw NiftiFormatException.For(path,
                $"vox_offset {voxOffset} is smaller than the header ({minimum} bytes for a single-file NIfTI)");
        }

        if (voxOffset > MaxVoxOffset)
        {
            throw NiftiFormatException.For(path,
                $"vox_offset {voxOffset} is absurd (over {MaxVoxOffset} bytes of header extensions)");
        }
    }

    private static short Saturate(int code) => (short)Math.Clamp(code, short.MinValue, short.MaxValue);

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>
    /// Encodes <paramref name="header"/> as a little-endian single-file NIfTI-1 header followed by four zero
    /// extension-flag bytes (352 bytes). The writer never emits extensions.
    /// </summary>
    public static byte[] EncodeNifti1(NiftiHeader header)
    {
        var b = new byte[Nifti1MinVoxOffset];
        var s = b.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, Nifti1HeaderSize);
        BinaryPrimitives.WriteInt16LittleEndian(s[40..], (short)header.NDim);
        int[] dims = [header.Size.X, header.Size.Y, header.Size.Z, 1, 1, 1, 1];
        for (int n = 0; n < 7; n++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(s[(42 + 2 * n)..], checked((short)dims[n]));
        }

        BinaryPrimitives.WriteInt16LittleEndian(s[70..], (short)header.DataType);
        BinaryPrimitives.WriteInt16LittleEndian(s[72..], (short)header.BitPix);
        for (int n = 0; n < 8; n++)
        {
            WriteF32(s, 76 + 4 * n, header.PixDim[n]);
        }

        WriteF32(s, 108, header.VoxOffset);
        WriteF32(s, 112, header.SclSlope);
        WriteF32(s, 116, header.SclInter);
        s[123] = (byte)header.XyztUnits;
        var descrip = Encoding.Latin1.GetBytes(header.Description);
        descrip.AsSpan(0, Math.Min(descrip.Length, 79)).CopyTo(s[148..]);
        BinaryPrimitives.WriteInt16LittleEndian(s[252..], header.QformCode);
        BinaryPrimitives.WriteInt16LittleEndian(s[254..], header.SformCode);
        WriteF32(s, 256, header.QuaternB);
        WriteF32(s, 260, header.QuaternC);
        WriteF32(s, 264, header.QuaternD);
        WriteF32(s, 268, header.QOffsetX);
        WriteF32(s, 272, header.QOffsetY);
        WriteF32(s, 276, header.QOffsetZ);
        for (int c = 0; c < 4; c++)
        {
            WriteF32(s, 280 + 4 * c, header.SRowX[c]);
            WriteF32(s, 296 + 4 * c, header.SRowY[c]);
            WriteF32(s, 312 + 4 * c, header.SRowZ[c]);
        }

        "n+1\0"u8.CopyTo(s[344..]);
        return b;
    }

    private static void WriteF32(Span<byte> s, int offset, double value) =>
        BinaryPrimitives.WriteSingleLittleEndian(s[offset..], (float)value);

    /// <summary>Reads fixed-offset fields in the file's byte order.</summary>
    private readonly ref struct FieldReader(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        public ReadOnlySpan<byte> Bytes { get; } = bytes;
        public bool BigEndian { get; } = bigEndian;

        public short I16(int o) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(Bytes[o..]) : BinaryPrimitives.ReadInt16LittleEndian(Bytes[o..]);
        public int I32(int o) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(Bytes[o..]) : BinaryPrimitives.ReadInt32LittleEndian(Bytes[o..]);
        public long I64(int o) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(Bytes[o..]) : BinaryPrimitives.ReadInt64LittleEndian(Bytes[o..]);
        public double F32(int o) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(Bytes[o..]) : BinaryPrimitives.ReadSingleLittleEndian(Bytes[o..]);
        public double F64(int o) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(Bytes[o..]) : BinaryPrimitives.ReadDoubleLittleEndian(Bytes[o..]);
    }
}
