using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Storage;
using BookBytes.Pipeline.Text;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;
using static BookBytes.Pipeline.Processing.Steps.ProgressReporter;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Speaks one chapter's text while it is still being written: complete sentences are cut into speech calls as they arrive,
/// each cut when a speech slot is free for it (work-conserving), and each chunk's audio is stored as a segment the moment it
/// exists, with the chapter's <see cref="SegmentManifest"/> rewritten, so the chapter can be listened to while it is made and
/// a crash or retry never speaks a stored segment again.
/// </summary>
/// <remarks>
/// <para>
/// Chunk sizes: the chapter's first chunk is its first sentence (two when the first is shorter than
/// <see cref="FirstSentenceCharacters"/>), so its sound starts early — when at least twice <see cref="FloorCharacters"/> follow
/// them (known or expected), so a short text is still one call. Each later chunk takes the whole sentences ready for it
/// up to the node's ready text shared out over the speech slots (<see cref="SpeechBacklog"/>), never below
/// <see cref="FloorCharacters"/> (unless the text ends) and never above <c>Tts:ChunkCharacters</c> or the provider's limit:
/// short chunks when little waits, so no slot idles while another speaks a long chunk (at the start, and in the book's last
/// minutes); long ones when much waits, so fewer calls are paid for.
/// </para>
/// <para>
/// The text given piece by piece is checked by its writer only at its end: <see cref="DiscardAsync"/> drops what was made of a
/// refused or broken-off text (its calls stopped, its segments deleted, a new <see cref="SegmentManifest.Generation"/>).
/// Formats that cannot be joined are spoken in one call once the text is whole.
/// </para>
/// </remarks>
internal sealed partial class ChapterSpeech : IAsyncDisposable
{
    /// <summary>
    /// The shortest chunk cut after the first while more text is coming: about three sentences of prose. A speech model shapes
    /// intonation over the text it is given, so chunks of a sentence or two sound clipped where they meet; and each call has a
    /// fixed cost (its latency, ≈ 0.3 s of a hosted model's answer), which stays under a tenth of a 300-character call's time.
    /// </summary>
    public const int FloorCharacters = 300;

    /// <summary>The first chunk is one sentence, or two when the first is shorter than this: enough to sound like speech, soon.</summary>
    public const int FirstSentenceCharacters = 80;

    private readonly PipelineServices _services;
    private readonly CallRetry _calls;
    private readonly SpeechCheck _check;
    private readonly BookRunContext _run;
    private readonly int _chapter;
    private readonly ChapterSpend _spend;
    private readonly CancellationToken _token;
    private readonly int _limit;
    private readonly bool _joinable;
    private readonly bool _streamable;
    private readonly string _extension;
    private readonly string _step;
    private readonly StorageKey _manifestKey;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _manifestWrites = new(1, 1);
    private readonly Activity? _chapterActivity = Activity.Current;
    private Generation _current;

    /// <summary>Initializes the chapter's speech; nothing is called until text comes.</summary>
    /// <param name="services">The pipeline's services.</param>
    /// <param name="calls">Retries a failed speech call where it failed.</param>
    /// <param name="check">Checks each answer's duration against its text.</param>
    /// <param name="run">The attempt.</param>
    /// <param name="chapter">The chapter number.</param>
    /// <param name="spend">The chapter's cost; each call that returned audio adds its characters.</param>
    /// <param name="cancellationToken">The chapter's token.</param>
    public ChapterSpeech(PipelineServices services, CallRetry calls, SpeechCheck check, BookRunContext run, int chapter, ChapterSpend spend, CancellationToken cancellationToken)
    {
        _services = services;
        _calls = calls;
        _check = check;
        _run = run;
        _chapter = chapter;
        _spend = spend;
        _token = cancellationToken;
        _joinable = AudioJoiner.CanJoin(run.Format);
        _streamable = AudioJoiner.CanStream(run.Format);
        _limit = _joinable ? Math.Min(services.Options.Tts.ChunkCharacters, run.Tts.Capabilities.MaxInputCharacters) : run.Tts.Capabilities.MaxInputCharacters;
        _extension = run.Format.GetFileExtension();
        _step = Invariant($"Speech of chapter {chapter}");
        _manifestKey = AudioBookStorageLayout.ChapterSegments(run.AudioBookId, run.Version, chapter);
        _current = new Generation(Guid.NewGuid(), cancellationToken);
        services.Backlog.Enter(this, run.OrderOf(chapter));
    }

    /// <summary>
    /// Gets or sets how long the text given piece by piece is expected to be (a summary's target words in characters); 0 when
    /// not known. With it the first sentences go alone as soon as they end, a text expected to fit one call is spoken in one, and
    /// the chapter at the head of the queue keeps its chunks short enough to end soon after its text.
    /// </summary>
    public int ExpectedCharacters { get; set; }

    /// <summary>Gets whether text was given piece by piece (and so <see cref="FinishAsync"/>, not <see cref="SpeakAsync"/>, ends it).</summary>
    public bool Streamed { get; private set; }

    /// <summary>Takes the next piece of the text as it is written; complete sentences in it begin to be spoken.</summary>
    /// <param name="piece">The piece.</param>
    /// <param name="cancellationToken">The writer's token.</param>
    /// <returns>A task that completes when the piece is taken.</returns>
    /// <exception cref="SpeechFailedException">A chunk's speech failed for good: the chapter fails, so its text need not be written on.</exception>
    public ValueTask AppendAsync(string piece, CancellationToken cancellationToken)
    {
        var generation = _current;
        if (generation.Failure is { } failure)
        {
            // Not the summary call's failure: wrapped, so no summary retry takes it for its own (ChapterFlow unwraps it).
            throw new SpeechFailedException(failure.SourceException);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(piece))
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            Streamed = true;
            generation.FirstText ??= _services.Time.GetTimestamp();
            generation.Text.Append(piece);
            ReportReady(generation);
            generation.Signal();
            generation.Pump ??= PumpAsync(generation, known: false);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops what was made of the text given so far (a refused or broken-off answer), so the text can be given again.</summary>
    /// <returns>A task that completes when the chunks are stopped and their segments deleted.</returns>
    public async Task DiscardAsync()
    {
        var old = _current;
        lock (_gate)
        {
            if (old.Text.Length == 0 && old.Chunks.Count == 0)
            {
                return;
            }

            _current = new Generation(Guid.NewGuid(), _token);
        }

        await StopAsync(old).ConfigureAwait(false);
        _services.Backlog.Set(this, 0);
        foreach (var chunk in old.Chunks)
        {
            await DeleteQuietlyAsync(chunk.Key).ConfigureAwait(false);
        }

        _services.Metrics.SummaryDiscarded();
        LogDiscarded(_services.Logger, _chapter, old.Chunks.Count);
        await WriteManifestAsync(_current).ConfigureAwait(false);
    }

    /// <summary>Speaks a text known whole (narration, a summary an earlier attempt stored), keeping the segments an earlier attempt stored of it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The joined audio and the segments it was joined from.</returns>
    /// <exception cref="ProviderConfigurationException">The text needs several calls but the format cannot be joined.</exception>
    /// <exception cref="ProviderException">A speech call failed after its retries.</exception>
    public Task<SpokenChapter> SpeakAsync(string text)
    {
        var generation = _current;
        lock (_gate)
        {
            generation.Text.Append(text);
            generation.Complete = true;
            ReportReady(generation);
            generation.Pump ??= PumpAsync(generation, known: true);
        }

        return EndAsync(generation);
    }

    /// <summary>
    /// Says the text given piece by piece is whole and checked, so its last sentences are spoken at once (before the summary is
    /// stored, which is then off the speech's path). Text that is not what the pieces said is left to <see cref="FinishAsync"/>.
    /// </summary>
    /// <param name="text">The whole text as its writer checked it.</param>
    public void TextWritten(string text)
    {
        var generation = _current;
        lock (_gate)
        {
            if (Streamed && !generation.Complete && SameWords(generation.Text.ToString(), text))
            {
                generation.Complete = true;
                generation.Signal();
            }
        }
    }

    /// <summary>Ends text given piece by piece: the rest is spoken and the chapter joined.</summary>
    /// <param name="text">The whole text as its writer checked it; when it is not what the pieces said (white space aside), what they made is dropped and this is spoken.</param>
    /// <returns>The joined audio and the segments it was joined from.</returns>
    /// <exception cref="ProviderException">A speech call failed after its retries.</exception>
    public async Task<SpokenChapter> FinishAsync(string text)
    {
        var generation = _current;
        bool same;
        lock (_gate)
        {
            same = generation.Complete || SameWords(generation.Text.ToString(), text);
        }

        if (!same)
        {
            await DiscardAsync().ConfigureAwait(false);
            return await SpeakAsync(text).ConfigureAwait(false);
        }

        lock (_gate)
        {
            generation.Complete = true;
            generation.Signal();
            generation.Pump ??= PumpAsync(generation, known: false);
        }

        return await EndAsync(generation).ConfigureAwait(false);
    }

    /// <summary>Stops whatever is still being spoken (the chapter failed or was stopped).</summary>
    /// <returns>A task that completes when the calls have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(_current).ConfigureAwait(false);
        }
        finally
        {
            _services.Backlog.Leave(this);
            _manifestWrites.Dispose();
        }
    }

    private static bool SameWords(string a, string b)
        => a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).SequenceEqual(b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static int TrimmedLength(string window, int end)
    {
        var start = 0;
        while (start < end && char.IsWhiteSpace(window[start]))
        {
            start++;
        }

        return end - start;
    }

    private async Task<SpokenChapter> EndAsync(Generation generation)
    {
        _run.Admission.TextDone(_chapter);
        try
        {
            await generation.Pump!.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (generation.Failure is not null)
        {
            // The pump stopped because a chunk failed; its failure is thrown below.
        }

        List<Chunk> chunks;
        lock (_gate)
        {
            chunks = [.. generation.Chunks.OrderBy(c => c.Index)];
        }

        try
        {
            await Task.WhenAll(chunks.Select(c => c.Audio!)).ConfigureAwait(false);
        }
        catch (Exception) when (generation.Failure is not null)
        {
            generation.Failure.Throw();
        }

        generation.Failure?.Throw();
        var audio = chunks.Select(c => c.Audio!.Result).ToList();
        var joined = _streamable
            ? new JoinedAudio(audio, audio.Sum(a => (long)a.Length), chunks.Sum(c => c.Seconds ?? 0))
            : AudioJoiner.Join(_run.Format, audio);
        var timing = SpeechStep.Timing(_run.Format, [.. chunks.Select(c => c.Text!)], audio, joined.DurationSeconds);
        return new SpokenChapter(joined, [.. chunks.Select(c => c.Key!.Value)], timing, _manifestKey);
    }

    private async Task StopAsync(Generation generation)
    {
        await generation.Cancel.CancelAsync().ConfigureAwait(false);
        Task? pump;
        lock (_gate)
        {
            pump = generation.Pump;
        }

        // The pump first: once it has ended, every chunk it started has its task in Chunks (or was awaited by it).
        await Quietly(pump).ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            if (ReferenceEquals(generation, _current))
            {
                _services.Backlog.Set(this, 0);
            }

            generation.Ready = 0;
            running = [.. generation.Chunks.Where(c => c.Audio is not null).Select(c => (Task)c.Audio!), .. generation.Uncut];
        }

        await Quietly(Task.WhenAll(running)).ConfigureAwait(false);
        generation.Cancel.Dispose();

        static async Task Quietly(Task? task)
        {
            try
            {
                if (task is not null)
                {
                    await task.ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // Stopped on purpose: what each ended with no longer matters.
            }
        }
    }

    private void ReportReady(Generation generation)
    {
        var end = generation.Kept.Count > 0 ? generation.Kept[0].Start : generation.Text.Length;
        generation.Ready = Math.Max(0, end - generation.Cut);
        if (ReferenceEquals(generation, _current))
        {
            _services.Backlog.Set(this, generation.Ready);
        }
    }

    private async Task PumpAsync(Generation generation, bool known)
    {
        await Task.Yield();

        // The speech calls are the chapter's, not the summary call's that happened to give the text.
        Activity.Current = _chapterActivity;
        var token = generation.Cancel.Token;
        await PrepareAsync(generation, known, token).ConfigureAwait(false);
        while (true)
        {
            var next = await NextAsync(generation, token).ConfigureAwait(false);
            if (next == Next.Done)
            {
                return;
            }

            if (next == Next.Keep)
            {
                await KeepAsync(generation, token).ConfigureAwait(false);
                continue;
            }

            var chunk = new Chunk();
            var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var speaking = SpeakChunkAsync(generation, chunk, cut);
            lock (_gate)
            {
                generation.Uncut.Add(speaking);
            }

            // One chunk waits for a slot at a time: its text is cut when it gets one, and only then does the next wait.
            await Task.WhenAny(cut.Task, speaking).ConfigureAwait(false);
            lock (_gate)
            {
                generation.Uncut.Remove(speaking);
                if (cut.Task.IsCompleted)
                {
                    chunk.Audio = speaking;
                }
            }

            if (!cut.Task.IsCompleted)
            {
                await speaking.ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<Next> NextAsync(Generation generation, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var next = Ready(generation);
                if (next != Next.Wait)
                {
                    return next;
                }

                changed = generation.Changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Under the lock: what the pump can do now.
    private Next Ready(Generation generation)
    {
        var (window, final) = Window(generation);
        if (string.IsNullOrWhiteSpace(window))
        {
            return generation.Kept.Count > 0 ? Next.Keep : generation.Complete ? Next.Done : Next.Wait;
        }

        if (!_joinable || final)
        {
            return _joinable || generation.Complete ? Next.Speak : Next.Wait;
        }

        if (window.TrimStart().Length > _limit)
        {
            return Next.Speak;
        }

        if (ExpectedCharacters > 0 && ExpectedCharacters <= _limit && generation.Text.Length <= _limit)
        {
            // A text expected to fit one call is spoken in one once it is written (unless it outgrows a call).
            return Next.Wait;
        }

        var ends = TextChunker.UnitEnds(window, final: false);
        if (ends.Count == 0)
        {
            return Next.Wait;
        }

        if (generation.NextIndex == 1)
        {
            // The first sentences go alone only when enough follows them to need another call anyway.
            return FirstEnd(window, ends) is int first && Following(generation, window, ends, first) >= 2 * Floor() ? Next.Speak : Next.Wait;
        }

        // A later chunk: a floor's worth of whole sentences.
        return TrimmedLength(window, ends[^1]) >= Floor() ? Next.Speak : Next.Wait;
    }

    // How much text is known or expected to follow a cut at `end` of the window (the text's expected length, when known).
    private int Following(Generation generation, string window, List<int> ends, int end)
    {
        var known = TrimmedLength(window, ends[^1]) - TrimmedLength(window, end);
        var expected = ExpectedCharacters - (generation.Cut + end);
        return Math.Max(known, expected);
    }

    // The shortest chunk worth a call of its own: FloorCharacters, or more when the node's speech calls cost so much a call that a
    // chunk must be longer for that cost to stay a tenth of its time (a provider whose calls take the same time at any length: one
    // chunk for a chapter's text); never above the limit.
    private int Floor()
    {
        var floor = (double)FloorCharacters;
        if (_services.Backlog.SpeechTime is var (perCall, perCharacter))
        {
            floor = Math.Max(floor, perCharacter > 0 ? 9 * perCall / perCharacter : double.MaxValue);
        }

        return (int)Math.Min(floor, _limit);
    }

    // How long the next chunk may be: the node's ready text shared out over the speech slots, between the floor and the limit. For
    // the chapter at the head of the queue, while its text streams, no longer than what can be spoken by about when the rest will have
    // been written (so the chapter ends soon after its text), and once that text is whole, the floor (its end spoken in parallel).
    private int Target(Generation generation, bool final)
    {
        var share = _services.Backlog.Ready / Math.Max(1, _services.Throttles.Tts.Limit);
        var target = Math.Clamp(share, Floor(), _limit);
        if (generation.FirstText is long first && _services.Backlog.IsHead(_run.OrderOf(_chapter)))
        {
            if (final)
            {
                return Floor();
            }

            var written = generation.Text.Length;
            var writing = written / Math.Max(0.001, _services.Time.GetElapsedTime(first).TotalSeconds);
            if (ExpectedCharacters > written && _services.Backlog.SpeechTime is var (_, perCharacter) && perCharacter > 0)
            {
                var untilWritten = (ExpectedCharacters - written) / writing;
                target = Math.Min(target, Floor() + (long)(untilWritten / perCharacter));
            }
        }

        return (int)Math.Clamp(target, Floor(), _limit);
    }

    // Where the chapter's first chunk ends: after its first sentence, or its second when the first is short; null until they are known to end.
    private int? FirstEnd(string window, List<int> ends)
    {
        if (ends.Count == 0 || TrimmedLength(window, ends[0]) > _limit)
        {
            return null;
        }

        if (TrimmedLength(window, ends[0]) >= FirstSentenceCharacters)
        {
            return ends[0];
        }

        return ends.Count > 1 && TrimmedLength(window, ends[1]) <= _limit ? ends[1] : null;
    }

    private static (string Window, bool Final) Window(Generation generation)
    {
        var end = generation.Kept.Count > 0 ? generation.Kept[0].Start : generation.Text.Length;
        var window = end > generation.Cut ? generation.Text.ToString(generation.Cut, end - generation.Cut) : string.Empty;
        return (window, generation.Kept.Count > 0 || generation.Complete);
    }

    // Under the lock, when the chunk has its slot: its text, and its place.
    private void Cut(Generation generation, Chunk chunk)
    {
        var (window, final) = Window(generation);
        int end;
        if (!_joinable)
        {
            end = window.Length;
            if (window.Trim().Length > _limit)
            {
                // A setting, not this chapter, is wrong: fatal for the job, never retried.
                throw new ProviderConfigurationException(
                    Invariant($"The text of chapter {_chapter} needs several speech calls ({window.Trim().Length} characters, at most {_limit} a call), but {_run.Format} audio cannot be joined; use mp3, wav, aac or pcm."));
            }
        }
        else
        {
            var ends = TextChunker.UnitEnds(window, final);
            if (ends.Count == 0 || TrimmedLength(window, ends[0]) > _limit)
            {
                end = final && window.Trim().Length <= _limit ? window.Length : TextChunker.LongSentenceCut(window, _limit);
            }
            else if (final && generation.NextIndex == 1 && ExpectedCharacters > 0 && ExpectedCharacters <= _limit && window.Trim().Length <= _limit)
            {
                // Expected to fit one call, and it does: one call.
                end = window.Length;
            }
            else if (generation.NextIndex == 1 && FirstEnd(window, ends) is int first && Following(generation, window, ends, first) >= 2 * Floor())
            {
                end = first;
            }
            else
            {
                var target = Target(generation, final);
                end = ends[0];
                foreach (var e in ends)
                {
                    if (TrimmedLength(window, e) > target)
                    {
                        break;
                    }

                    end = e;
                }

                if (final && generation.FirstText is null && window[end..].Trim().Length < Floor() && window.Trim().Length <= _limit)
                {
                    // Less than a floor of a text known whole would be left alone at the end: it goes with this chunk. (A streamed
                    // text's end is cut short instead, to be spoken in parallel as soon as it is written.)
                    end = window.Length;
                }
            }
        }

        chunk.Text = window[..end].Trim();
        chunk.Index = generation.NextIndex++;
        chunk.Key = AudioBookStorageLayout.ChapterSegment(_run.AudioBookId, _run.Version, _chapter, chunk.Index, _run.Voice, chunk.Text, _extension);
        generation.Cut += end;
        generation.Chunks.Add(chunk);
        ReportReady(generation);
    }

    private async Task<ReadOnlyMemory<byte>> SpeakChunkAsync(Generation generation, Chunk chunk, TaskCompletionSource cut)
    {
        var counted = false;
        try
        {
            var spoken = await _calls.RunAsync(_services.Throttles.Tts, _step, async c =>
            {
                if (chunk.Text is null)
                {
                    lock (_gate)
                    {
                        Cut(generation, chunk);
                    }

                    _run.Admission.ChunkStarted();
                    counted = true;
                    cut.TrySetResult();
                }

                using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("tts.synthesize");
                var request = new SpeechRequest(chunk.Text!, _run.Voice, _run.Format);
                var calling = _services.Time.GetTimestamp();
                var audio = await _run.Unless(() => _run.Tts.SynthesizeAsync(request, c)).ConfigureAwait(false);
                _services.Backlog.RecordSpeech(chunk.Text!.Length, _services.Time.GetElapsedTime(calling));

                // Counted per call that returned audio — refused below or not — so a chapter shows what it cost.
                _spend.AddCharacters(chunk.Text!.Length);
                _run.Progress.SpendCharacters(chunk.Text.Length);
                _check.Verify(_run.Format, chunk.Text, request.Speed, audio);
                return audio;
            }, _run.Progress.WaitingAsync, generation.Cancel.Token, _run.OrderOf(_chapter)).ConfigureAwait(false);
            var piece = Piece(spoken, chunk);
            await StoreAsync(generation, chunk, piece).ConfigureAwait(false);
            return piece;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && generation.Failure is null)
        {
            // One chunk failed for good: the chapter fails, so its other chunks need not finish.
            generation.Failure = ExceptionDispatchInfo.Capture(ex);
            await generation.Cancel.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (counted)
            {
                _run.Admission.ChunkDone();
            }
        }
    }

    private ReadOnlyMemory<byte> Piece(ReadOnlyMemory<byte> audio, Chunk chunk)
    {
        if (!_streamable)
        {
            chunk.Seconds = AudioJoiner.MeasureDuration(_run.Format, audio);
            return audio;
        }

        var piece = AudioJoiner.Piece(_run.Format, audio, first: chunk.Index == 1);
        chunk.Seconds = piece.DurationSeconds;
        return piece.Segments[0];
    }

    private async Task StoreAsync(Generation generation, Chunk chunk, ReadOnlyMemory<byte> piece)
    {
        try
        {
            // Kept even when a sibling chunk's failure has just cancelled this one: the audio is paid for.
            using var stream = new MemoryStream(piece.ToArray(), writable: false);
            await _run.Storage.SaveAsync(chunk.Key!.Value, stream, _run.Format.GetContentType(), _token).ConfigureAwait(false);
            chunk.Length = piece.Length;
            chunk.Stored = true;
        }
        catch (StorageException ex)
        {
            // The chunk is in memory and the chapter can still be stored; only a later retry would pay for it again.
            LogSegmentNotKept(_services.Logger, ex, chunk.Key!.Value.Value);
            return;
        }

        await WriteManifestAsync(generation).ConfigureAwait(false);
    }

    private async Task WriteManifestAsync(Generation generation)
    {
        await _manifestWrites.WaitAsync(_token).ConfigureAwait(false);
        try
        {
            SegmentManifest manifest;
            lock (_gate)
            {
                if (!ReferenceEquals(generation, _current))
                {
                    return;
                }

                manifest = new SegmentManifest(
                    generation.Id,
                    _extension,
                    [.. generation.Chunks.Where(c => c.Stored).OrderBy(c => c.Index).Select(c => new SegmentEntry(c.Index, c.Key!.Value.Value, c.Text!, c.Length))]);
            }

            using var stream = new MemoryStream(manifest.ToJson(), writable: false);
            await _run.Storage.SaveAsync(_manifestKey, stream, "application/json", _token).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // Only listening while the chapter is made, and keeping its segments after a crash, need it.
            LogManifestNotWritten(_services.Logger, ex, _manifestKey.Value);
        }
        finally
        {
            _manifestWrites.Release();
        }
    }

    // Before the first chunk: an earlier attempt's segments of this text are kept; of other text, deleted.
    private async Task PrepareAsync(Generation generation, bool known, CancellationToken cancellationToken)
    {
        SegmentManifest? earlier;
        try
        {
            earlier = await SegmentManifest.ReadAsync(_run.Storage, _manifestKey, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            LogManifestUnreadable(_services.Logger, ex, _manifestKey.Value);
            return;
        }

        if (earlier is null || earlier.Generation == generation.Id)
        {
            return;
        }

        var stale = new List<SegmentEntry>();
        lock (_gate)
        {
            var text = generation.Text.ToString();
            var cursor = 0;
            foreach (var entry in earlier.Segments.OrderBy(s => s.Index))
            {
                // Kept only when it is this chapter's segment of this text, voice and format (its key says so), and, for a format that
                // cannot be joined, the whole text.
                var ours = known && entry.Text.Length > 0 && earlier.Format == _extension
                    && AudioBookStorageLayout.IsChapterSegment(entry.Key, _run.AudioBookId, _run.Version, _chapter)
                    && entry.Key.EndsWith(HashTail(entry.Text), StringComparison.Ordinal)
                    && (_joinable || entry.Text == text.Trim());
                var at = ours ? text.IndexOf(entry.Text, cursor, StringComparison.Ordinal) : -1;
                var end = at + entry.Text.Length;
                if (at >= 0 && (at == 0 || char.IsWhiteSpace(text[at - 1])) && (end == text.Length || char.IsWhiteSpace(text[end])))
                {
                    generation.Kept.Add(new KeptSegment(at, end, entry));
                    cursor = end;
                }
                else
                {
                    stale.Add(entry);
                }
            }

            ReportReady(generation);
        }

        foreach (var entry in stale)
        {
            if (AudioBookStorageLayout.IsChapterSegment(entry.Key, _run.AudioBookId, _run.Version, _chapter))
            {
                await DeleteQuietlyAsync(StorageKey.Parse(entry.Key)).ConfigureAwait(false);
            }
        }
    }

    // "-{hash}.{ext}" of a segment key: the hash of the voice, the format and the text (its place in the chapter may have changed).
    private string HashTail(string text)
    {
        var key = AudioBookStorageLayout.ChapterSegment(_run.AudioBookId, _run.Version, _chapter, 1, _run.Voice, text, _extension).Value;
        return key[key.LastIndexOf('-')..];
    }

    private async Task KeepAsync(Generation generation, CancellationToken cancellationToken)
    {
        KeptSegment kept;
        lock (_gate)
        {
            kept = generation.Kept[0];
        }

        var key = StorageKey.Parse(kept.Entry.Key);
        var chunk = new Chunk { Text = kept.Entry.Text, Key = key };
        try
        {
            var stream = await _run.Storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (stream is not null)
            {
                byte[] bytes;
                await using (stream.ConfigureAwait(false))
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    bytes = buffer.ToArray();
                }

                _check.Verify(_run.Format, chunk.Text, null, bytes);
                lock (_gate)
                {
                    chunk.Index = generation.NextIndex++;
                }

                var piece = Piece(bytes, chunk);
                if (!piece.Span.SequenceEqual(bytes))
                {
                    // Its place changed (it is the first chunk now, or no longer): stored again as this place's piece.
                    using var again = new MemoryStream(piece.ToArray(), writable: false);
                    await _run.Storage.SaveAsync(key, again, _run.Format.GetContentType(), cancellationToken).ConfigureAwait(false);
                }

                chunk.Audio = Task.FromResult(piece);
                chunk.Length = piece.Length;
                chunk.Stored = true;
                lock (_gate)
                {
                    generation.Chunks.Add(chunk);
                    generation.Cut = kept.End;
                    generation.Kept.RemoveAt(0);
                    ReportReady(generation);
                }

                LogSegmentKept(_services.Logger, key.Value);
                await WriteManifestAsync(generation).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (ex is StorageException or ProviderException or IOException or InvalidDataException)
        {
            // A segment that cannot be read (or is not good audio) is spoken again: it only saves money.
            LogSegmentUnreadable(_services.Logger, ex, key.Value);
        }

        lock (_gate)
        {
            if (chunk.Index > 0)
            {
                generation.NextIndex--;
            }

            generation.Kept.RemoveAt(0);
            ReportReady(generation);
        }
    }

    private async Task DeleteQuietlyAsync(StorageKey? key)
    {
        if (key is null)
        {
            return;
        }

        try
        {
            await _run.Storage.DeleteAsync(key.Value, _token).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            LogSegmentNotDeleted(_services.Logger, ex, key.Value.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segment {Key} was spoken by an earlier attempt; kept")]
    private static partial void LogSegmentKept(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} could not be read back; speaking it again")]
    private static partial void LogSegmentUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} could not be kept; a retry of its chapter would speak it again")]
    private static partial void LogSegmentNotKept(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Key} of discarded speech could not be deleted")]
    private static partial void LogSegmentNotDeleted(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The segment list {Key} could not be written; the chapter cannot be listened to until it is stored")]
    private static partial void LogManifestNotWritten(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The segment list {Key} could not be read; an earlier attempt's segments are spoken again")]
    private static partial void LogManifestUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chapter {ChapterNumber}: the text being spoken was refused or broken off; its {Chunks} chunks are discarded and it is spoken again")]
    private static partial void LogDiscarded(ILogger logger, int chapterNumber, int chunks);

    /// <summary>A chunk's speech failed for good while the chapter's text was still being written; <see cref="Exception.InnerException"/> is why.</summary>
    /// <param name="inner">The speech failure.</param>
    internal sealed class SpeechFailedException(Exception inner) : Exception(inner.Message, inner);

    private enum Next
    {
        Wait,
        Speak,
        Keep,
        Done,
    }

    /// <summary>One beginning of the chapter's speech: the text given since, and what was cut of it.</summary>
    private sealed class Generation(Guid id, CancellationToken cancellationToken)
    {
        public Guid Id { get; } = id;

        public StringBuilder Text { get; } = new();

        public int Cut { get; set; }

        public bool Complete { get; set; }

        public long? FirstText { get; set; }

        public int NextIndex { get; set; } = 1;

        public long Ready { get; set; }

        public List<KeptSegment> Kept { get; } = [];

        public List<Chunk> Chunks { get; } = [];

        public List<Task> Uncut { get; } = [];

        public Task? Pump { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }

        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        public TaskCompletionSource Changed { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Signal()
        {
            var changed = Changed;
            Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    private sealed class Chunk
    {
        public int Index { get; set; }

        public string? Text { get; set; }

        public StorageKey? Key { get; set; }

        public Task<ReadOnlyMemory<byte>>? Audio { get; set; }

        public double? Seconds { get; set; }

        public long Length { get; set; }

        public bool Stored { get; set; }
    }

    private sealed record KeptSegment(int Start, int End, SegmentEntry Entry);
}
