using System.Threading.Channels;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Wakes idle workers of this node when a job is enqueued here, so they need not wait for the next
/// poll. A bounded channel: when it is full the signal is dropped, as enough workers are awake anyway.
/// </summary>
internal sealed class JobWakeUp
{
    private readonly Channel<Guid> _channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = false,
        SingleWriter = false,
    });

    public void Signal(Guid jobId) => _channel.Writer.TryWrite(jobId);

    /// <summary>Waits until a signal arrives or the timeout passes.</summary>
    /// <returns><see langword="true"/> when woken by a signal.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        using var timeoutCts = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                if (_channel.Reader.TryRead(out _))
                {
                    return true;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
