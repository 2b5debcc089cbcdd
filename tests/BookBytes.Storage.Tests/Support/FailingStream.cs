namespace BookBytes.Storage.Tests.Support;

/// <summary>Wraps a stream and throws <see cref="IOException"/> (<see cref="Message"/>) once a number of bytes has been read: a caller's content stream that fails mid-upload.</summary>
internal sealed class FailingStream(Stream inner, long failAfterBytes) : ReadOnlyWrapperStream(inner)
{
    public const string Message = "The source broke.";

    protected override void OnRead(long readBefore, int read)
    {
        if (readBefore >= failAfterBytes)
        {
            throw new IOException(Message);
        }
    }
}
