namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Lets a job's chapters start in book order only while the work already started cannot keep the providers busy: the
/// next chapter starts while fewer than <c>2 × Llm:MaxConcurrency</c> chapters wait for their text and fewer than
/// <c>2 × Tts:MaxConcurrency</c> speech chunks are unfinished. A narrated 200k-word book then holds a few chapters'
/// text and audio at a time instead of all of them (memory flat in the book's length), and early chapters finish first.
/// </summary>
/// <remarks>Thread-safe. Counts only this job's work; the node's throttles are shared by all jobs.</remarks>
/// <param name="maxWriting">Chapters allowed to wait for their text at once.</param>
/// <param name="maxSpeaking">Unfinished speech chunks allowed before another chapter starts.</param>
internal sealed class ChapterAdmission(int maxWriting, int maxSpeaking)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writing;
    private int _speaking;

    /// <summary>Gets an admission that never holds a chapter back.</summary>
    public static ChapterAdmission Unbounded => new(int.MaxValue, int.MaxValue);

    /// <summary>Waits until another chapter may start.</summary>
    /// <param name="cancellationToken">A token that ends the wait.</param>
    /// <returns>A task that completes when there is room.</returns>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_writing < maxWriting && _speaking < maxSpeaking)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A chapter starts waiting for its text.</summary>
    public void BeginWriting() => Change(1, 0);

    /// <summary>A chapter has its text, or gave up on it.</summary>
    public void EndWriting() => Change(-1, 0);

    /// <summary>A chapter's chunks wait to be spoken.</summary>
    /// <param name="chunks">The chunks.</param>
    public void BeginSpeaking(int chunks) => Change(0, chunks);

    /// <summary>One chunk is spoken (or kept from an earlier attempt, or gave up).</summary>
    public void ChunkDone() => Change(0, -1);

    private void Change(int writing, int speaking)
    {
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            _writing += writing;
            _speaking += speaking;
            if (writing < 0 || speaking < 0)
            {
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        changed?.TrySetResult();
    }
}
