using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Jobs;
using BookBytes.Storage;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>What the steps of one attempt of one audiobook job share: the job, the version being built, and the providers.</summary>
/// <param name="Execution">The job being run.</param>
/// <param name="AudioBookId">The audiobook.</param>
/// <param name="Version">The version whose chapters are built.</param>
/// <param name="Voice">The voice the chapters are spoken in.</param>
/// <param name="Format">The audio format the speech provider returns.</param>
/// <param name="Book">What the language model is told about the book.</param>
/// <param name="Llm">The language model.</param>
/// <param name="Tts">The speech provider.</param>
/// <param name="Storage">The audio storage.</param>
/// <param name="Progress">The attempt's progress and usage.</param>
/// <param name="Mode">What the audiobook speaks.</param>
/// <param name="Texts">The edition's chapters' text, for a document edition; <see langword="null"/> for a catalog edition.</param>
internal sealed record BookRunContext(
    JobExecution Execution,
    Guid AudioBookId,
    int Version,
    string Voice,
    AudioFormat Format,
    BookContext Book,
    ILlmProvider Llm,
    ITtsProvider Tts,
    IStorageBackend Storage,
    ProgressReporter Progress,
    AudioBooks.AudioBookMode Mode = AudioBooks.AudioBookMode.Summary,
    ChapterTexts? Texts = null)
{
    /// <summary>
    /// Gets where a chapter's calls queue at the node's throttles, shared by all jobs: earliest deadline first, the deadline
    /// being the job's creation plus ten seconds a chapter. A book's early chapters go first, a new book's first chapters go
    /// before an old book's late ones — but never for ever, as every deadline is fixed and later books' are later.
    /// </summary>
    /// <param name="chapter">The chapter number.</param>
    /// <returns>The order.</returns>
    public long OrderOf(int chapter) => Execution.Job.CreatedAt.ToUnixTimeSeconds() + (10L * chapter);

    /// <summary>Gets when the job's next chapter may start (<see cref="ChapterAdmission"/>).</summary>
    public ChapterAdmission Admission { get; init; } = ChapterAdmission.Unbounded;

    /// <summary>Reads a chapter's text from the edition's document.</summary>
    /// <param name="number">The chapter number.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The chapter, or <see langword="null"/> when the edition has no text or no such chapter.</returns>
    public Task<Documents.DocumentChapter?> TextOfAsync(int number, CancellationToken cancellationToken)
        => Texts is null ? Task.FromResult<Documents.DocumentChapter?>(null) : Texts.ReadAsync(number, cancellationToken);

    /// <summary>Gets the job's lease, carried on every write.</summary>
    public JobLease Lease => Execution.Lease;

    /// <summary>Gets the node's shutdown signal: no new step starts once it is set.</summary>
    public CancellationToken Stopping => Execution.Stopping;

    /// <summary>Starts a provider call unless the node began shutting down while the call waited for its slot.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>The call's task.</returns>
    public Task<T> Unless<T>(Func<Task<T>> call)
    {
        Stopping.ThrowIfCancellationRequested();
        return call();
    }
}
