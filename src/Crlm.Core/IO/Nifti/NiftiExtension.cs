namespace Crlm.Core.IO.Nifti;

/// <summary>
/// One header extension (between the header and vox_offset). <paramref name="ESize"/> is the on-disk size
/// including its own 8-byte (esize, ecode) prefix, as stored; <paramref name="Content"/> is the rest, unmodified.
/// </summary>
public sealed record NiftiExtension(int ECode, int ESize, ReadOnlyMemory<byte> Content);
