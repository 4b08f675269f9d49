using System.Buffers.Binary;
using System.IO.Compression;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// An open NIfTI file positioned for reading: header and extensions parsed, the stream (decompressed when
/// gzip) either at the start of the voxel data or ready to be moved there. One job: turn bytes into a
/// trusted header and a data stream, enforcing every size limit before anything large is allocated.
/// </summary>
internal sealed class NiftiSource : IDisposable
{
    /// <summary>
    /// deflate cannot expand data more than about 1032:1, so a gzip file of n bytes holds at most this many
    /// times n bytes. A header declaring more is truncated or hostile, and we say so before allocating.
    /// </summary>
    private const long MaxGzipExpansion = 1040;
    private const long GzipSlackBytes = 64 * 1024;

    private readonly Stream _raw;
    private readonly Stream _stream;
    private readonly bool _ownsRaw;
    private long _position;

    private NiftiSource(Stream raw, Stream stream, bool ownsRaw, string path, bool gzip, long fileLength)
    {
        _raw = raw;
        _stream = stream;
        _ownsRaw = ownsRaw;
        Path = path;
        IsGzip = gzip;
        FileLength = fileLength;
    }

    public string Path { get; }
    public bool IsGzip { get; }

    /// <summary>Length of the file as stored (compressed length for gzip).</summary>
    public long FileLength { get; }

    public NiftiHeader Header { get; private set; } = null!;

    /// <summary>Opens <paramref name="path"/> and reads its header and extensions.</summary>
    public static NiftiSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Open(file, path, ownsStream: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the header from a seekable stream; <paramref name="path"/> is only used in messages. gzip is
    /// recognised by its magic bytes (1f 8b), never by the file name.
    /// </summary>
    public static NiftiSource Open(Stream raw, string path, bool ownsStream)
    {
        if (!raw.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable", nameof(raw));
        }

        long length = raw.Length;
        Span<byte> magic = stackalloc byte[2];
        raw.Position = 0;
        int got = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        raw.Position = 0;
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream stream = gzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        var source = new NiftiSource(raw, stream, ownsStream, path, gzip, length);
        try
        {
            source.Guard(source.ReadHeaderAndExtensions);
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that the voxel data the header declares can be read: a supported datatype, at most
    /// <paramref name="maxBytes"/> bytes, and (for an uncompressed file) present in full. Call before allocating.
    /// </summary>
    public long CheckDataSize(long maxBytes)
    {
        var h = Header;
        if (!h.DataType.IsSupported())
        {
            throw Fail($"datatype {(short)h.DataType} ({h.DtypeName}) is not supported; supported are " +
                "uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32 and float64");
        }

        long bytes = h.VoxelCount * h.DataType.ElementSize();
        if (bytes > maxBytes)
        {
            throw Fail($"dims {h.Size} of {h.DtypeName} declare {bytes} bytes of voxel data, over the {maxBytes}-byte limit");
        }

        if (!IsGzip && FileLength - h.VoxOffset < bytes)
        {
            throw Fail($"file is {FileLength} bytes but dims {h.Size} of {h.DtypeName} need {bytes} bytes after " +
                $"vox_offset {h.VoxOffset} ({h.VoxOffset + bytes} in all): data truncated or dims wrong");
        }

        if (IsGzip && h.VoxOffset + bytes > FileLength * MaxGzipExpansion + GzipSlackBytes)
        {
            throw Fail($"dims {h.Size} of {h.DtypeName} declare {bytes} bytes of voxel data, more than a " +
                $"{FileLength}-byte gzip file can hold: data truncated or dims wrong");
        }

        return bytes;
    }

    /// <summary>Moves to vox_offset and returns the stream to read voxel data from.</summary>
    public Stream DataStream()
    {
        Guard(() => Skip(Header.VoxOffset - _position));
        return _stream;
    }

    /// <summary>Runs <paramref name="action"/>, turning a corrupt gzip stream into a <see cref="NiftiFormatException"/>.</summary>
    public void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (InvalidDataException e)
        {
            throw Fail($"gzip stream is corrupt ({e.Message})", e);
        }
    }

    public NiftiFormatException Fail(string problem, Exception? inner = null) => NiftiFormatException.For(Path, problem, inner);

    private void ReadHeaderAndExtensions()
    {
        var buffer = new byte[NiftiHeaderCodec.Nifti2HeaderSize];
        int got = ReadUpTo(buffer.AsSpan(0, NiftiHeaderCodec.Nifti1HeaderSize));
        if (got < 4)
        {
            throw Fail($"header truncated: the file holds {got} bytes, a NIfTI header needs at least {NiftiHeaderCodec.Nifti1HeaderSize}");
        }

        var id = NiftiHeaderCodec.Identify(buffer)
            ?? throw Fail($"sizeof_hdr is {BinaryPrimitives.ReadInt32LittleEndian(buffer)} in either byte order " +
                $"(expected {NiftiHeaderCodec.Nifti1HeaderSize} for NIfTI-1 or {NiftiHeaderCodec.Nifti2HeaderSize} for NIfTI-2): not a NIfTI file");

        int headerSize = id.Version == 1 ? NiftiHeaderCodec.Nifti1HeaderSize : NiftiHeaderCodec.Nifti2HeaderSize;
        if (got == NiftiHeaderCodec.Nifti1HeaderSize && headerSize > got)
        {
            got += ReadUpTo(buffer.AsSpan(got, headerSize - got));
        }

        if (got < headerSize)
        {
            throw Fail($"header truncated: {got} bytes where a NIfTI-{id.Version} header needs {headerSize}");
        }

        var header = NiftiHeaderCodec.Parse(buffer.AsSpan(0, headerSize), id.Version, id.BigEndian, Path);
        if (!IsGzip && header.VoxOffset > FileLength)
        {
            throw Fail($"vox_offset {header.VoxOffset} lies beyond the end of the {FileLength}-byte file");
        }

        if (IsGzip && header.VoxOffset > FileLength * MaxGzipExpansion + GzipSlackBytes)
        {
            throw Fail($"vox_offset {header.VoxOffset} is more than a {FileLength}-byte gzip file can hold");
        }

        Span<byte> flag = stackalloc byte[4];
        if (ReadUpTo(flag) < 4)
        {
            throw Fail("file ends inside the 4 extension-flag bytes after the header");
        }

        Header = header with { Extensions = flag[0] == 0 ? [] : ReadExtensions(header) };
    }

    /// <summary>
    /// Extensions fill the bytes up to vox_offset as (esize, ecode, content) records. As in nibabel, parsing
    /// stops when fewer than 16 bytes remain; unlike nibabel, a record running past vox_offset is an error
    /// rather than a silent read into the voxel data.
    /// </summary>
    private List<NiftiExtension> ReadExtensions(NiftiHeader header)
    {
        var extensions = new List<NiftiExtension>();
        Span<byte> prefix = stackalloc byte[8];
        while (header.VoxOffset - _position >= 16)
        {
            long remaining = header.VoxOffset - _position;
            if (ReadUpTo(prefix) < 8)
            {
                throw Fail($"file ends inside header extension {extensions.Count} (before vox_offset {header.VoxOffset})");
            }

            int esize = header.IsBigEndian ? BinaryPrimitives.ReadInt32BigEndian(prefix) : BinaryPrimitives.ReadInt32LittleEndian(prefix);
            int ecode = header.IsBigEndian ? BinaryPrimitives.ReadInt32BigEndian(prefix[4..]) : BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
            if (esize < 8 || esize > remaining)
            {
                throw Fail($"header extension {extensions.Count} has esize {esize}; it must be 8..{remaining} " +
                    $"(the bytes left before vox_offset {header.VoxOffset})");
            }

            var content = new byte[esize - 8];
            if (ReadUpTo(content) < content.Length)
            {
                throw Fail($"file ends inside header extension {extensions.Count} ({esize} bytes declared)");
            }

            extensions.Add(new NiftiExtension(ecode, esize, content));
        }

        return extensions;
    }

    private int ReadUpTo(Span<byte> buffer)
    {
        int got = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _position += got;
        return got;
    }

    private void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (_stream.CanSeek)
        {
            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
            return;
        }

        var scratch = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int got = ReadUpTo(scratch.AsSpan(0, (int)Math.Min(count, scratch.Length)));
            if (got == 0)
            {
                throw Fail($"file ends before vox_offset {Header.VoxOffset}");
            }

            count -= got;
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _raw))
        {
            _stream.Dispose();
        }

        if (_ownsRaw)
        {
            _raw.Dispose();
        }
    }
}
