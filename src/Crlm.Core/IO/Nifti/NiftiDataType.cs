namespace Crlm.Core.IO.Nifti;

/// <summary>
/// NIfTI <c>datatype</c> codes (nifti1.h, shared by NIfTI-2). Every code of the standard is named so a
/// header can be reported faithfully; only the real scalar ones can be read (see
/// <see cref="NiftiDataTypes.IsSupported"/>).
/// </summary>
// CA1720: the members are named after the stored types on purpose (UInt8, Int16, ...), as in nifti1.h.
#pragma warning disable CA1720
public enum NiftiDataType : short
{
    None = 0,
    Binary = 1,
    UInt8 = 2,
    Int16 = 4,
    Int32 = 8,
    Float32 = 16,
    Complex64 = 32,
    Float64 = 64,
    Rgb24 = 128,
    Int8 = 256,
    UInt16 = 512,
    UInt32 = 768,
    Int64 = 1024,
    UInt64 = 1280,
    Float128 = 1536,
    Complex128 = 1792,
    Complex256 = 2048,
    Rgba32 = 2304,
}
#pragma warning restore CA1720

/// <summary>Facts about <see cref="NiftiDataType"/> codes: element size, numpy name, whether we can read them.</summary>
public static class NiftiDataTypes
{
    /// <summary>True for the real scalar types this reader decodes (the other codes are named but refused).</summary>
    public static bool IsSupported(this NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 or NiftiDataType.Int16 or NiftiDataType.UInt16
            or NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Int64 or NiftiDataType.UInt64
            or NiftiDataType.Float32 or NiftiDataType.Float64 => true,
        _ => false,
    };

    /// <summary>True for the integer codes (signed or not); false for floats, complex, RGB and unknown codes.</summary>
    public static bool IsInteger(this NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 or NiftiDataType.Int16 or NiftiDataType.UInt16
            or NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Int64 or NiftiDataType.UInt64 => true,
        _ => false,
    };

    /// <summary>Bytes per voxel on disk, or 0 for an unknown code.</summary>
    public static int ElementSize(this NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Rgb24 => 3,
        NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 or NiftiDataType.Rgba32 => 4,
        NiftiDataType.Int64 or NiftiDataType.UInt64 or NiftiDataType.Float64 or NiftiDataType.Complex64 => 8,
        NiftiDataType.Float128 or NiftiDataType.Complex128 => 16,
        NiftiDataType.Complex256 => 32,
        _ => 0,
    };

    /// <summary>The dtype name numpy (and so nibabel) gives this code, e.g. "int16"; "unknown(code)" otherwise.</summary>
    public static string NumpyName(this NiftiDataType type) => type switch
    {
        NiftiDataType.Binary => "bool",
        NiftiDataType.UInt8 => "uint8",
        NiftiDataType.Int8 => "int8",
        NiftiDataType.Int16 => "int16",
        NiftiDataType.UInt16 => "uint16",
        NiftiDataType.Int32 => "int32",
        NiftiDataType.UInt32 => "uint32",
        NiftiDataType.Int64 => "int64",
        NiftiDataType.UInt64 => "uint64",
        NiftiDataType.Float32 => "float32",
        NiftiDataType.Float64 => "float64",
        NiftiDataType.Float128 => "float128",
        NiftiDataType.Complex64 => "complex64",
        NiftiDataType.Complex128 => "complex128",
        NiftiDataType.Complex256 => "complex256",
        NiftiDataType.Rgb24 => "rgb24",
        NiftiDataType.Rgba32 => "rgba32",
        _ => FormattableString.Invariant($"unknown({(short)type})"),
    };

    /// <summary>The datatype code the writer uses for a .NET element type; throws for types NIfTI cannot store.</summary>
    public static NiftiDataType ForElementType<T>() where T : unmanaged
    {
        var t = typeof(T);
        if (t == typeof(byte)) return NiftiDataType.UInt8;
        if (t == typeof(sbyte)) return NiftiDataType.Int8;
        if (t == typeof(short)) return NiftiDataType.Int16;
        if (t == typeof(ushort)) return NiftiDataType.UInt16;
        if (t == typeof(int)) return NiftiDataType.Int32;
        if (t == typeof(uint)) return NiftiDataType.UInt32;
        if (t == typeof(long)) return NiftiDataType.Int64;
        if (t == typeof(ulong)) return NiftiDataType.UInt64;
        if (t == typeof(float)) return NiftiDataType.Float32;
        if (t == typeof(double)) return NiftiDataType.Float64;
        throw new NotSupportedException(
            $"{t.Name} has no NIfTI datatype; use byte, sbyte, short, ushort, int, uint, long, ulong, float or double");
    }
}
