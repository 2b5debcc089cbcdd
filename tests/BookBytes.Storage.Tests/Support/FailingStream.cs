namespace BookBytes.Storage.Tests.Support;

/// <summary>Wraps a stream and throws <see cref="IOException"/> ("The source broke.") once a number of bytes has been read: a caller's content stream that fails mid-upload.</summary>
internal sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
{
    public const string Message = "The source broke.";

    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        if (_read >= failAfterBytes)
        {
            throw new IOException(Message);
        }

        _read += read;
        return read;
    }
}
