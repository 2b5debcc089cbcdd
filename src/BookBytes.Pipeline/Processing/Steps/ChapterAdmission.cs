namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Lets a job's chapters start in book order only while the work already started cannot keep the providers busy: the
/// next chapter starts while fewer than <c>2 × Llm:MaxConcurrency</c> started chapters are still before their speech
/// (reading or writing their text) and fewer than <c>2 × Tts:MaxConcurrency</c> speech chunks are unfinished. A narrated
/// 200k-word book then holds a few chapters' text and audio at a time instead of all of them (memory flat in the book's
/// length), and early chapters finish first.
/// </summary>
/// <remarks>Thread-safe. Counts only this job's work; the node's throttles are shared by all jobs.</remarks>
/// <param name="maxBeforeSpeech">Started chapters allowed before their speech at once.</param>
/// <param name="maxSpeaking">Unfinished speech chunks allowed before another chapter starts.</param>
internal sealed class ChapterAdmission(int maxBeforeSpeech, int maxSpeaking)
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _beforeSpeech = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _speaking;

    /// <summary>Gets an admission that never holds a chapter back.</summary>
    public static ChapterAdmission Unbounded => new(int.MaxValue, int.MaxValue);

    /// <summary>Waits until the chapter may start, and counts it started (before its speech) from then on.</summary>
    /// <param name="chapter">The chapter number.</param>
    /// <param name="cancellationToken">A token that ends the wait.</param>
    /// <returns>A task that completes when the chapter is admitted.</returns>
    public async Task AdmitAsync(int chapter, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_beforeSpeech.Count < maxBeforeSpeech && _speaking < maxSpeaking)
                {
                    _beforeSpeech.Add(chapter);
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A chapter has its whole text: it is no longer before its speech (chunks of it may be spoken already).</summary>
    /// <param name="chapter">The chapter number.</param>
    public void TextDone(int chapter) => Change(chapter, 0);

    /// <summary>One chunk is cut and waits to be spoken.</summary>
    public void ChunkStarted() => Change(null, 1);

    /// <summary>One chunk is spoken (or gave up).</summary>
    public void ChunkDone() => Change(null, -1);

    /// <summary>A chapter ended — stored, failed or stopped — whether or not it got as far as its speech.</summary>
    /// <param name="chapter">The chapter number.</param>
    public void Ended(int chapter) => Change(chapter, 0);

    private void Change(int? leaving, int speaking)
    {
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            var left = leaving is int chapter && _beforeSpeech.Remove(chapter);
            _speaking += speaking;
            if (left || speaking < 0)
            {
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        changed?.TrySetResult();
    }
}
