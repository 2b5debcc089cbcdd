namespace BookBytes.Pipeline.Audio;

/// <summary>A seekable, read-only stream over consecutive memory segments.</summary>
internal sealed class SegmentStream(IReadOnlyList<ReadOnlyMemory<byte>> segments, long length) : Stream
{
    private long _position;
    private int _segment;
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (buffer.Length > 0 && _segment < segments.Count)
        {
            var source = segments[_segment].Span[_offset..];
            if (source.IsEmpty)
            {
                _segment++;
                _offset = 0;
                continue;
            }

            var n = Math.Min(source.Length, buffer.Length);
            source[..n].CopyTo(buffer);
            buffer = buffer[n..];
            _offset += n;
            _position += n;
            total += n;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));

        _position = Math.Min(target, length);
        _segment = 0;
        var remaining = _position;
        while (_segment < segments.Count && remaining >= segments[_segment].Length)
        {
            remaining -= segments[_segment].Length;
            _segment++;
        }

        _offset = (int)remaining;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
