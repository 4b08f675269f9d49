namespace Crlm.Core.IO.Nifti;

/// <summary>
/// A NIfTI file that cannot be read: malformed or hostile header, truncated or corrupt data, or values
/// that do not fit the requested voxel type. The message always names the file and the problem.
/// </summary>
/// <remarks>An <see cref="IOException"/> so callers that already handle I/O failures handle this too.</remarks>
public class NiftiFormatException : IOException
{
    public NiftiFormatException()
    {
    }

    public NiftiFormatException(string message)
        : base(message)
    {
    }

    public NiftiFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Builds the message as "NIfTI file '<paramref name="path"/>': <paramref name="problem"/>".</summary>
    internal static NiftiFormatException For(string path, string problem, Exception? inner = null) =>
        inner is null
            ? new NiftiFormatException($"NIfTI file '{path}': {problem}")
            : new NiftiFormatException($"NIfTI file '{path}': {problem}", inner);
}
