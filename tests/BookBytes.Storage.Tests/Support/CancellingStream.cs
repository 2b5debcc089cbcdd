namespace BookBytes.Storage.Tests.Support;

/// <summary>Wraps a stream and cancels a token source once a number of bytes has been read; it keeps yielding data afterwards, so only the token can stop the reader.</summary>
internal sealed class CancellingStream(Stream inner, long cancelAfterBytes, CancellationTokenSource source) : ReadOnlyWrapperStream(inner)
{
    protected override void OnRead(long readBefore, int read)
    {
        if (readBefore + read >= cancelAfterBytes)
        {
            source.Cancel();
        }
    }
}
