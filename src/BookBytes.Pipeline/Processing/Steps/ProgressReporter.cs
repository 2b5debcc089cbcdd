using System.Globalization;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// One attempt's progress and usage: counts work units (a chapter's summary and its audio) and what the
/// provider calls used, and writes both to the job, one report at a time so they never go backwards.
/// </summary>
/// <remarks>
/// Thread-safe: the chapters of a job report from many tasks at once. Reports are best-effort: a store that fails
/// to take one is logged and the work goes on (the next report carries the same totals); only a lost lease stops it.
/// </remarks>
internal sealed partial class ProgressReporter(IJobStore jobs, BookBytesMetrics metrics, Job job, JobLease lease, ILogger logger) : IDisposable
{
    /// <summary>Progress once the job is claimed.</summary>
    public const int Claimed = 5;

    /// <summary>Progress once the chapters are known.</summary>
    public const int ChaptersKnown = 20;

    /// <summary>Progress once every chapter is done, before the book is finished.</summary>
    public const int ChaptersDone = 90;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private UsageTotals _usage;
    private int _unitsDone;
    private int _unitsTotal;

    /// <summary>Gets what this attempt's provider calls used so far.</summary>
    public UsageTotals Usage
    {
        get
        {
            lock (_gate)
            {
                return _usage;
            }
        }
    }

    /// <summary>Gets the number of chapters, once known.</summary>
    public int Chapters
    {
        get
        {
            lock (_gate)
            {
                return _unitsTotal / 2;
            }
        }
    }

    /// <summary>Gets the progress the done units make, between <see cref="ChaptersKnown"/> and <see cref="ChaptersDone"/>.</summary>
    public int Percent
    {
        get
        {
            lock (_gate)
            {
                return _unitsTotal == 0 ? ChaptersDone : ChaptersKnown + ((ChaptersDone - ChaptersKnown) * _unitsDone / _unitsTotal);
            }
        }
    }

    /// <summary>Counts tokens a language-model answer used, whether or not the answer is accepted.</summary>
    /// <param name="usage">The tokens.</param>
    public void SpendTokens(LlmUsage usage)
    {
        Add(new UsageTotals(usage, 0));
        metrics.TokensUsed(usage);
    }

    /// <summary>Counts characters of a speech call that returned audio.</summary>
    /// <param name="characters">The characters.</param>
    public void SpendCharacters(int characters)
    {
        Add(new UsageTotals(LlmUsage.Zero, characters));
        metrics.CharactersSynthesized(characters);
    }

    /// <summary>Sets the work once the chapters are known: two units a chapter, of which <paramref name="done"/> are done already.</summary>
    /// <param name="chapters">The number of chapters.</param>
    /// <param name="done">Units done by earlier attempts.</param>
    public void SetWork(int chapters, int done)
    {
        lock (_gate)
        {
            _unitsTotal = 2 * chapters;
            _unitsDone = done;
        }
    }

    /// <summary>Counts one unit done and reports.</summary>
    /// <param name="step">What was done, for example <c>Chapter 3 of 12 stored</c>.</param>
    /// <param name="cancellationToken">A token that cancels the report.</param>
    /// <returns>A task that completes when the report is written.</returns>
    public Task AdvanceAsync(string step, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _unitsDone++;
        }

        return ReportAsync(null, step, cancellationToken);
    }

    /// <summary>Reports progress; <see langword="null"/> reports what the done units make.</summary>
    /// <param name="percent">The progress, or <see langword="null"/> for <see cref="Percent"/>.</param>
    /// <param name="step">What the job is doing.</param>
    /// <param name="cancellationToken">A token that cancels the report.</param>
    /// <returns>A task that completes when the report is written.</returns>
    /// <exception cref="LeaseLostException">The job's lease is no longer held.</exception>
    public async Task ReportAsync(int? percent, string step, CancellationToken cancellationToken)
    {
        // One at a time, reading progress and usage inside, so the store never sees them go backwards.
        await _reporting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await jobs.UpdateProgressAsync(lease, percent ?? Percent, step, job.Usage + Usage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LeaseLostException and not OperationCanceledException)
        {
            // A chapter stored but not reported is still stored: failing it here would overwrite its record.
            LogReportFailed(logger, ex, step);
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <summary>Shows what a step waits for (a retry after a failed call) as the job's current step, progress unchanged.</summary>
    /// <param name="step">What the step waits for.</param>
    /// <param name="cancellationToken">A token that cancels the report.</param>
    /// <returns>A task that completes when the report is written.</returns>
    public Task WaitingAsync(string step, CancellationToken cancellationToken) => ReportAsync(null, step, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _reporting.Dispose();

    /// <summary>Formats a step text in the invariant culture.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The formatted text.</returns>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Progress \"{Step}\" could not be recorded; the work goes on")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string step);

    private void Add(UsageTotals usage)
    {
        lock (_gate)
        {
            _usage += usage;
        }
    }
}
