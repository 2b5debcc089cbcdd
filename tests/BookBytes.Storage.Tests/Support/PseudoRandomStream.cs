namespace BookBytes.Storage.Tests.Support;

/// <summary>
/// A read-only, forward-only stream of <see cref="Size"/> deterministic pseudo-random bytes (xorshift64*),
/// generated as they are read so that a 50 MB payload never sits in memory. Two instances with the same
/// seed and size yield the same bytes.
/// </summary>
internal sealed class PseudoRandomStream(long size, ulong seed) : Stream
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
    private ulong _word;
    private int _wordOffset = sizeof(ulong);
    private long _position;

    /// <summary>Gets the number of bytes the stream yields.</summary>
    public long Size { get; } = size;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Size - _position);
        for (var i = 0; i < count; i++)
        {
            if (_wordOffset == sizeof(ulong))
            {
                _state ^= _state >> 12;
                _state ^= _state << 25;
                _state ^= _state >> 27;
                _word = _state * 0x2545F4914F6CDD1DUL;
                _wordOffset = 0;
            }

            buffer[i] = (byte)(_word >> (8 * _wordOffset++));
        }

        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
