namespace Crlm.Core.Preprocessing;

/// <summary>
/// A scan that cannot be preprocessed as asked: a mask on another grid than its image, an empty liver mask
/// under the error policy, a scan too short for the target spacing. The message names the file(s).
/// </summary>
public sealed class PreprocessingException : Exception
{
    public PreprocessingException()
    {
    }

    public PreprocessingException(string message)
        : base(message)
    {
    }

    public PreprocessingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
