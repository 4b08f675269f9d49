namespace Crlm.Core.Search;

/// <summary>A search space declaration that cannot be searched; the message names the parameter and the fix.</summary>
public sealed class SearchSpaceException : Exception
{
    public SearchSpaceException()
    {
    }

    public SearchSpaceException(string message)
        : base(message)
    {
    }

    public SearchSpaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
