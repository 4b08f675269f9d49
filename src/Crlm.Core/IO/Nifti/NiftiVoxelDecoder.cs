using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Crlm.Core.IO.Nifti;

/// <summary>Receives the stored voxel values of a file in order, one chunk at a time, in the stored type.</summary>
internal interface IVoxelSink
{
    /// <param name="chunk">Stored values in native byte order (scaling not applied).</param>
    /// <param name="firstVoxel">Linear index (i fastest) of the chunk's first voxel.</param>
    void Accept<TStored>(ReadOnlySpan<TStored> chunk, long firstVoxel) where TStored : unmanaged, INumber<TStored>;
}

/// <summary>
/// Streams the voxel data of a <see cref="NiftiSource"/> in fixed-size chunks, decoded with span casts and
/// vectorised byte swaps rather than per-voxel reads, so memory beyond the caller's output stays one chunk.
/// </summary>
internal static class NiftiVoxelDecoder
{
    private const int ChunkBytes = 1 << 18;

    /// <param name="voxelLimit">Stop after this many voxels (in stored order): a reader that needs only the
    /// first part of the array is spared inflating the rest.</param>
    public static void Decode(NiftiSource source, IVoxelSink sink, long voxelLimit = long.MaxValue)
    {
        var h = source.Header;
        var stream = source.DataStream();
        source.Guard(() =>
        {
            switch (h.DataType)
            {
                case NiftiDataType.UInt8: Decode<byte>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Int8: Decode<sbyte>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Int16: Decode<short>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.UInt16: Decode<ushort>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Int32: Decode<int>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.UInt32: Decode<uint>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Int64: Decode<long>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.UInt64: Decode<ulong>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Float32: Decode<float>(source, stream, sink, voxelLimit); break;
                case NiftiDataType.Float64: Decode<double>(source, stream, sink, voxelLimit); break;
                default: throw source.Fail($"datatype {(short)h.DataType} ({h.DtypeName}) is not supported");
            }
        });
    }

    private static void Decode<TStored>(NiftiSource source, Stream stream, IVoxelSink sink, long voxelLimit)
        where TStored : unmanaged, INumber<TStored>
    {
        long count = Math.Min(source.Header.VoxelCount, voxelLimit);
        int elementSize = Unsafe.SizeOf<TStored>();
        bool swap = source.Header.IsBigEndian == BitConverter.IsLittleEndian;
        var buffer = new TStored[(int)Math.Min(count, ChunkBytes / elementSize)];
        long done = 0;
        while (done < count)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, count - done));
            var bytes = MemoryMarshal.AsBytes(chunk);
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                long have = done * elementSize + got;
                throw source.Fail($"voxel data truncated: {have} of the {source.Header.VoxelCount * elementSize} bytes that dims " +
                    $"{source.Header.Size} of {source.Header.DtypeName} need after vox_offset {source.Header.VoxOffset}");
            }

            if (swap)
            {
                SwapInPlace(bytes, elementSize);
            }

            sink.Accept<TStored>(chunk, done);
            done += chunk.Length;
        }
    }

    private static void SwapInPlace(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
