using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Storage;
using BookBytes.Pipeline.Text;
using BookBytes.Storage;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing;

/// <summary>One attempt of one audiobook job: the state shared by its chapters while they run.</summary>
internal sealed class BookRun(
    AudioBookJobProcessor owner,
    JobExecution execution,
    AudioBookJobPayload payload,
    ILlmProvider llm,
    ITtsProvider tts,
    IStorageBackend storage) : IDisposable
{
    private const int ProgressClaimed = 5;
    private const int ProgressChaptersKnown = 20;
    private const int ProgressChaptersDone = 90;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private readonly JobLease _lease = execution.Lease;
    private UsageTotals _usage;
    private int _unitsDone;
    private int _unitsTotal;
    private AudioBook _book = null!;
    private BookContext _context = null!;
    private AudioFormat _format;
    private int _version;

    public void Dispose() => _reporting.Dispose();

    public async Task ExecuteAsync(CancellationToken ct)
    {
        var id = payload.AudioBookId;
        var book = await owner.Books.GetAudioBookAsync(id, ct).ConfigureAwait(false) ?? throw new AudioBookNotFoundException(id);
        var edition = await owner.Books.GetEditionAsync(book.EditionId, ct).ConfigureAwait(false) ?? throw new EditionNotFoundException(book.EditionId);

        if (payload.TargetVersion is int target)
        {
            if (book.Version >= target)
            {
                // An earlier attempt already promoted the new version; only its clean-up may be left.
                _book = book;
                await DeleteVersionAsync(target - 1, ct).ConfigureAwait(false);
                await ReportAsync(100, "Completed", ct).ConfigureAwait(false);
                return;
            }

            book = book with { PendingVersion = target };
        }

        _book = book with { Status = AudioBookStatus.Processing, ErrorMessage = null, UpdatedAt = owner.Time.GetUtcNow() };
        await owner.Books.UpdateAudioBookAsync(_book, _lease, ct).ConfigureAwait(false);
        await ReportAsync(ProgressClaimed, "Claimed", ct).ConfigureAwait(false);

        _version = _book.WorkingVersion;
        _format = tts.Capabilities.DefaultFormat;
        var tableOfContents = TopLevelChapters(edition);
        _context = new BookContext(
            edition.Title,
            edition.Authors,
            edition.Language,
            edition.Description,
            tableOfContents.Count > 0 ? tableOfContents : null,
            owner.Options.Summary.Words);

        var chapters = await owner.Books.GetChaptersAsync(id, _version, ct).ConfigureAwait(false);
        if (chapters.Count == 0)
        {
            chapters = await CreateChaptersAsync(tableOfContents, ct).ConfigureAwait(false);
        }

        _unitsTotal = 2 * chapters.Count;
        _unitsDone = chapters.Sum(c => c.Status == ChapterStatus.Completed ? 2 : c.Summary is null ? 0 : 1);
        await ReportAsync(Percent(), Invariant($"{chapters.Count} chapters known"), ct).ConfigureAwait(false);

        var finished = await RunChaptersAsync(chapters, ct).ConfigureAwait(false);
        await FinishAsync(finished, ct).ConfigureAwait(false);
    }

    private static List<string> TopLevelChapters(Edition edition)
    {
        var entries = edition.TableOfContents.Where(e => !e.IsFrontOrBackMatter && !string.IsNullOrWhiteSpace(e.Title)).ToList();
        if (entries.Count == 0)
        {
            return [];
        }

        var top = entries.Min(e => e.Level);
        return [.. entries.Where(e => e.Level == top).Select(e => e.Title.Trim())];
    }

    private async Task<IReadOnlyList<Chapter>> CreateChaptersAsync(List<string> tableOfContents, CancellationToken ct)
    {
        IReadOnlyList<ChapterHeading> headings;
        if (tableOfContents.Count > 0)
        {
            headings = [.. tableOfContents.Select((title, i) => new ChapterHeading(i + 1, title))];
            AudioBookJobProcessor.LogChaptersKnown(owner.Logger, headings.Count, "the catalog's table of contents");
        }
        else
        {
            var outline = await StepAsync("Outline", async t =>
            {
                using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("llm.outline");
                var answer = await owner.Throttles.Llm.RunAsync(c => Unless(() => llm.OutlineAsync(_context, c), execution.Stopping), t).ConfigureAwait(false);
                SpendTokens(answer.Usage); // paid for even when the answer is refused below
                ValidateOutline(answer);
                return answer;
            }, ct).ConfigureAwait(false);
            headings = outline.Chapters;
            AudioBookJobProcessor.LogChaptersKnown(owner.Logger, headings.Count, "the language model's outline");
        }

        var now = owner.Time.GetUtcNow();
        IReadOnlyList<Chapter> chapters = [.. headings.Select(h => new Chapter
        {
            AudioBookId = payload.AudioBookId,
            Version = _version,
            Number = h.Number,
            Title = h.Title,
            Status = ChapterStatus.Pending,
            UpdatedAt = now,
        })];
        await owner.Books.SaveChaptersAsync(chapters, _lease, ct).ConfigureAwait(false);
        return chapters;
    }

    private void ValidateOutline(BookOutline outline)
    {
        if (!outline.Known)
        {
            throw new BookNotKnownException(_context.Title);
        }

        if (outline.Chapters.Count == 0)
        {
            throw new ProviderResponseException("The outline lists no chapters.");
        }

        for (var i = 0; i < outline.Chapters.Count; i++)
        {
            var chapter = outline.Chapters[i];
            if (chapter.Number != i + 1)
            {
                throw new ProviderResponseException(Invariant($"The outline's chapters are not numbered 1..{outline.Chapters.Count} in order: position {i + 1} is numbered {chapter.Number}."));
            }

            if (string.IsNullOrWhiteSpace(chapter.Title))
            {
                throw new ProviderResponseException(Invariant($"Chapter {chapter.Number} of the outline has no title."));
            }
        }
    }

    private async Task<List<Chapter>> RunChaptersAsync(IReadOnlyList<Chapter> chapters, CancellationToken ct)
    {
        using var fatalCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? fatal = null;
        var stopped = false;

        async Task<Chapter?> RunOneAsync(Chapter chapter)
        {
            try
            {
                return await RunChapterAsync(chapter, fatalCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (execution.Stopping.IsCancellationRequested && !fatalCts.IsCancellationRequested)
            {
                // A checkpoint at shutdown: this chapter did not start its next step; the others finish theirs.
                stopped = true;
                return null;
            }
            catch (Exception ex)
            {
                if (Interlocked.CompareExchange(ref fatal, ex, null) is null)
                {
                    await fatalCts.CancelAsync().ConfigureAwait(false);
                }

                return null;
            }
        }

        var results = await Task.WhenAll(chapters.Select(RunOneAsync)).ConfigureAwait(false);
        if (fatal is not null)
        {
            ExceptionDispatchInfo.Throw(fatal);
        }

        if (stopped)
        {
            throw new OperationCanceledException("The node is shutting down; finished chapters are stored.", execution.Stopping);
        }

        return [.. results.OfType<Chapter>().OrderBy(c => c.Number)];
    }

    private async Task<Chapter> RunChapterAsync(Chapter chapter, CancellationToken ct)
    {
        if (chapter.Status == ChapterStatus.Completed)
        {
            return chapter;
        }

        var started = owner.Time.GetTimestamp();
        using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("chapter");
        activity?.SetTag("bookbytes.chapter.number", chapter.Number);
        var total = _unitsTotal / 2;
        var spent = LlmUsage.Zero; // tokens of this chapter's answers not yet saved with it
        var spend = new SpeechSpend();
        try
        {
            if (chapter.Summary is null)
            {
                execution.Stopping.ThrowIfCancellationRequested();
                var heading = new ChapterHeading(chapter.Number, chapter.Title);
                var summary = await StepAsync(Invariant($"Summary of chapter {chapter.Number}"), async t =>
                {
                    using var llmActivity = BookBytesDiagnostics.ActivitySource.StartActivity("llm.summary");
                    var answer = await owner.Throttles.Llm.RunAsync(c => Unless(() => llm.SummarizeChapterAsync(_context, heading, c), execution.Stopping), t).ConfigureAwait(false);
                    spent += answer.Usage;
                    SpendTokens(answer.Usage); // paid for even when the answer is refused below
                    ValidateSummary(chapter.Number, answer.Text);
                    return answer;
                }, ct).ConfigureAwait(false);

                var text = summary.Text.Trim();
                chapter = chapter with
                {
                    Status = ChapterStatus.Summarized,
                    Summary = text,
                    WordCount = WordCounter.Count(text),
                    ErrorMessage = null,
                    Usage = chapter.Usage + new UsageTotals(spent, 0),
                    UpdatedAt = owner.Time.GetUtcNow(),
                };
                await owner.Books.SaveChaptersAsync([chapter], _lease, ct).ConfigureAwait(false);
                spent = LlmUsage.Zero;
                await AdvanceAsync(Invariant($"Chapter {chapter.Number} of {total} summarized"), ct).ConfigureAwait(false);
            }

            execution.Stopping.ThrowIfCancellationRequested();
            chapter = await SpeakAndStoreAsync(chapter, spend, ct).ConfigureAwait(false);
            await owner.Books.SaveChaptersAsync([chapter], _lease, ct).ConfigureAwait(false);
            owner.Metrics.ChapterFinished(owner.Time.GetElapsedTime(started), succeeded: true);
            AudioBookJobProcessor.LogChapterStored(owner.Logger, chapter.Number, chapter.AudioSizeBytes ?? 0, chapter.DurationSeconds);
            await AdvanceAsync(Invariant($"Chapter {chapter.Number} of {total} stored"), ct).ConfigureAwait(false);
            return chapter;
        }
        catch (Exception ex) when (IsChapterFailure(ex, ct))
        {
            AudioBookJobProcessor.LogChapterFailed(owner.Logger, ex, chapter.Number);
            owner.Metrics.ChapterFinished(owner.Time.GetElapsedTime(started), succeeded: false);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            chapter = chapter with
            {
                Status = ChapterStatus.Failed,
                ErrorMessage = ex.Message,
                Usage = chapter.Usage + new UsageTotals(spent, Interlocked.Read(ref spend.Characters)),
                UpdatedAt = owner.Time.GetUtcNow(),
            };
            await owner.Books.SaveChaptersAsync([chapter], _lease, ct).ConfigureAwait(false);
            return chapter;
        }
    }

    private async Task<Chapter> SpeakAndStoreAsync(Chapter chapter, SpeechSpend spend, CancellationToken ct)
    {
        var key = AudioBookStorageLayout.ChapterAudio(payload.AudioBookId, _version, chapter.Number, _format.GetFileExtension());
        if (await StoredAlreadyAsync(key, ct).ConfigureAwait(false))
        {
            // An earlier attempt stored the audio but stopped before recording it: keep it.
            AudioBookJobProcessor.LogChapterAudioFound(owner.Logger, chapter.Number);
            var stored = await ReadAllAsync(key, ct).ConfigureAwait(false);
            return Completed(chapter, key, stored.Length, AudioJoiner.MeasureDuration(_format, stored), characters: 0);
        }

        var limit = Math.Min(owner.Options.Tts.ChunkCharacters, tts.Capabilities.MaxInputCharacters);
        if (!AudioJoiner.CanJoin(_format))
        {
            limit = tts.Capabilities.MaxInputCharacters;
        }

        var chunks = TextChunker.Split(chapter.Summary!, limit);
        if (chunks.Count > 1 && !AudioJoiner.CanJoin(_format))
        {
            // A setting, not this chapter, is wrong: fatal for the job, never retried.
            throw new ProviderConfigurationException(
                Invariant($"The summary of chapter {chapter.Number} needs {chunks.Count} speech calls, but {_format} audio cannot be joined; use mp3, wav, aac or pcm."));
        }

        var audio = await WhenAllOrFirstFailureAsync(chunks, (text, t) => StepAsync(Invariant($"Speech of chapter {chapter.Number}"), async c =>
        {
            using var ttsActivity = BookBytesDiagnostics.ActivitySource.StartActivity("tts.synthesize");
            var request = new SpeechRequest(text, _book.Voice, _format);
            var spoken = await owner.Throttles.Tts.RunAsync(s => Unless(() => tts.SynthesizeAsync(request, s), execution.Stopping), c).ConfigureAwait(false);

            // Counted per call that returned audio, so a chapter that fails later still shows what it cost.
            Interlocked.Add(ref spend.Characters, text.Length);
            AddUsage(new UsageTotals(LlmUsage.Zero, text.Length));
            owner.Metrics.CharactersSynthesized(text.Length);
            return spoken;
        }, t), ct).ConfigureAwait(false);

        var joined = AudioJoiner.Join(_format, audio);

        using (BookBytesDiagnostics.ActivitySource.StartActivity("storage.save"))
        {
            var stream = joined.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                var saved = await storage.SaveAsync(key, stream, _format.GetContentType(), ct).ConfigureAwait(false);
                return Completed(chapter, key, saved.Length, joined.DurationSeconds, Interlocked.Read(ref spend.Characters));
            }
        }
    }

    private async Task<bool> StoredAlreadyAsync(StorageKey key, CancellationToken ct)
    {
        try
        {
            return await storage.ExistsAsync(key, ct).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // Some stores refuse existence checks (S3 without ListBucket answers 403); synthesizing is then the safe choice.
            AudioBookJobProcessor.LogExistsCheckFailed(owner.Logger, ex, key.Value);
            return false;
        }
    }

    private Chapter Completed(Chapter chapter, StorageKey key, long length, double? duration, long characters) => chapter with
    {
        Status = ChapterStatus.Completed,
        AudioKey = key.Value,
        AudioSizeBytes = length,
        DurationSeconds = duration,
        ErrorMessage = null,
        Usage = chapter.Usage + new UsageTotals(LlmUsage.Zero, characters),
        UpdatedAt = owner.Time.GetUtcNow(),
    };

    private async Task<byte[]> ReadAllAsync(StorageKey key, CancellationToken ct)
    {
        var stream = await storage.OpenReadAsync(key, ct).ConfigureAwait(false)
            ?? throw new StorageException($"The audio at {key} disappeared while it was read.", isTransient: true);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    private async Task FinishAsync(List<Chapter> chapters, CancellationToken ct)
    {
        var failed = chapters.Where(c => c.Status == ChapterStatus.Failed).ToList();
        var now = owner.Time.GetUtcNow();
        var usage = _book.Usage + Usage();
        var duration = chapters.Where(c => c.Status == ChapterStatus.Completed).Sum(c => c.DurationSeconds ?? 0);

        if (failed.Count > 0)
        {
            var error = new ChaptersFailedException([.. failed.Select(c => c.Number)], failed[0].ErrorMessage);

            // Building a new version leaves the served one as it was; otherwise what is served is what was built.
            var status = _book.PendingVersion is null
                ? AudioBookJobProcessor.StatusOf(chapters)
                : await owner.ServedStatusAsync(_book, ct).ConfigureAwait(false);
            _book = _book with
            {
                Status = status,
                ErrorMessage = _book.PendingVersion is null ? error.Message : "The new version could not be completed: " + error.Message,
                TotalDurationSeconds = _book.PendingVersion is null ? duration : _book.TotalDurationSeconds,
                Usage = usage,
                UpdatedAt = now,
            };
            await owner.Books.UpdateAudioBookAsync(_book, _lease, ct).ConfigureAwait(false);
            throw error;
        }

        var replaced = _book.PendingVersion is not null ? _book.Version : (int?)null;
        _book = _book with
        {
            Status = AudioBookStatus.Completed,
            Version = _version,
            PendingVersion = null,
            TotalDurationSeconds = duration,
            ErrorMessage = null,
            Usage = usage,
            UpdatedAt = now,
        };
        await owner.Books.UpdateAudioBookAsync(_book, _lease, ct).ConfigureAwait(false);

        if (replaced is int old)
        {
            await DeleteVersionAsync(old, ct).ConfigureAwait(false);
        }

        await ReportAsync(100, "Completed", ct).ConfigureAwait(false);
    }

    private async Task DeleteVersionAsync(int version, CancellationToken ct)
    {
        foreach (var chapter in await owner.Books.GetChaptersAsync(payload.AudioBookId, version, ct).ConfigureAwait(false))
        {
            if (chapter.AudioKey is null || !StorageKey.TryParse(chapter.AudioKey, out var key))
            {
                continue;
            }

            try
            {
                await storage.DeleteAsync(key, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The new version is live; a leftover file of the old one is only wasted space.
                AudioBookJobProcessor.LogDeleteFailed(owner.Logger, ex, key.Value);
            }
        }

        await owner.Books.DeleteChaptersAsync(payload.AudioBookId, version, _lease, ct).ConfigureAwait(false);
    }

    private async Task<T> StepAsync<T>(string step, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var tries = owner.Options.Jobs.MaxAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < tries && IsRetryableStep(ex) && !ct.IsCancellationRequested)
            {
                var delay = owner.Options.Jobs.StepRetryDelay * Math.Pow(2, attempt - 1);
                AudioBookJobProcessor.LogStepRetry(owner.Logger, ex, step, attempt, tries, delay);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, owner.Time, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>[]> WhenAllOrFirstFailureAsync(
        IReadOnlyList<string> items,
        Func<string, CancellationToken, Task<ReadOnlyMemory<byte>>> run,
        CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = items.Select(async item =>
        {
            try
            {
                return await run(item, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One chunk failed for good: the chapter fails, so its other chunks need not finish.
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToArray();

        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var root = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            if (root is not null)
            {
                ExceptionDispatchInfo.Throw(root);
            }

            throw;
        }
    }

    /// <summary>Starts a provider call unless the node began shutting down while the call waited for its slot.</summary>
    private static Task<T> Unless<T>(Func<Task<T>> call, CancellationToken stopping)
    {
        stopping.ThrowIfCancellationRequested();
        return call();
    }

    /// <summary>
    /// Only an unusable answer is asked for again within the attempt: transient HTTP failures were
    /// already retried by the provider's HTTP layer, and the job's own retry (with backoff) comes next.
    /// </summary>
    private static bool IsRetryableStep(Exception ex) => ex is ProviderResponseException { IsTransient: true };

    private static bool IsChapterFailure(Exception ex, CancellationToken ct) => ex switch
    {
        OperationCanceledException => false,
        LeaseLostException or ProviderConfigurationException or ProviderNotConfiguredException => false,
        _ => !ct.IsCancellationRequested,
    };

    private void ValidateSummary(int chapterNumber, string? text)
    {
        var target = owner.Options.Summary.Words;
        var words = WordCounter.Count(text);
        if (words < target / 2 || words > target * 2)
        {
            throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} has {words} words; {target / 2} to {target * 2} are expected."));
        }

        foreach (var rawLine in text!.Split('\n'))
        {
            var line = rawLine.TrimStart();
            if (line.StartsWith('#') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)
                || line.StartsWith("```", StringComparison.Ordinal) || IsNumberedListItem(line))
            {
                throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} is not plain prose: it has a heading, list or code line."));
            }
        }

        if (text.Contains("**", StringComparison.Ordinal) || text.Contains("__", StringComparison.Ordinal))
        {
            throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} is not plain prose: it has markdown emphasis."));
        }
    }

    private static bool IsNumberedListItem(string line)
    {
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits is > 0 and < 4 && line.Length > digits + 1 && line[digits] is '.' or ')' && line[digits + 1] == ' ';
    }

    private void SpendTokens(LlmUsage usage)
    {
        AddUsage(new UsageTotals(usage, 0));
        owner.Metrics.TokensUsed(usage);
    }

    private void AddUsage(UsageTotals usage)
    {
        lock (_gate)
        {
            _usage += usage;
        }
    }

    private UsageTotals Usage()
    {
        lock (_gate)
        {
            return _usage;
        }
    }

    private int Percent()
    {
        lock (_gate)
        {
            return _unitsTotal == 0
                ? ProgressChaptersDone
                : ProgressChaptersKnown + ((ProgressChaptersDone - ProgressChaptersKnown) * _unitsDone / _unitsTotal);
        }
    }

    private Task AdvanceAsync(string step, CancellationToken ct)
    {
        lock (_gate)
        {
            _unitsDone++;
        }

        return ReportAsync(null, step, ct);
    }

    /// <summary>Reports one at a time, reading progress and usage inside, so the store never sees them go backwards.</summary>
    private async Task ReportAsync(int? percent, string step, CancellationToken ct)
    {
        await _reporting.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await owner.Jobs.UpdateProgressAsync(_lease, percent ?? Percent(), step, execution.Job.Usage + Usage(), ct).ConfigureAwait(false);
        }
        finally
        {
            _reporting.Release();
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Characters of a chapter's speech calls that returned audio; its chunks are spoken in parallel.</summary>
    private sealed class SpeechSpend
    {
        public long Characters;
    }
}
