using Amazon.S3.Model;

namespace BookBytes.Storage.S3;

/// <summary>
/// A read-only, forward-only stream over a GetObject response body that disposes the response with it.
/// Read failures go through <paramref name="mapFailure"/>, which turns S3's and the network's into a
/// <see cref="StorageException"/> (and returns <see langword="null"/> for the rest).
/// </summary>
internal sealed class S3ObjectReadStream(GetObjectResponse response, Func<Exception, CancellationToken, StorageException?> mapFailure) : Stream
{
    private readonly Stream _body = response.ResponseStream;
    private readonly long _length = response.Headers.ContentLength;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>Gets the object's size, from the response's Content-Length.</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Advance(_body.Read(buffer));
        }
        catch (Exception ex) when (mapFailure(ex, CancellationToken.None) is { } mapped)
        {
            throw mapped;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Advance(await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (mapFailure(ex, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Advance(int read)
    {
        _position += read;
        return read;
    }
}
