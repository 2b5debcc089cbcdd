using BookBytes.Books;
using BookBytes.Jobs;

namespace BookBytes.AudioBooks;

/// <summary>
/// Durable storage of editions, audiobooks, their chapters, and which jobs worked on which audiobook.
/// </summary>
/// <remarks>
/// <para>
/// An adapter registers this store together with its <see cref="IJobStore"/> over the same database.
/// Writes that take a <see cref="JobLease"/> are applied only while that lease is held, checked in the
/// same transaction; otherwise they throw <see cref="LeaseLostException"/> and change nothing.
/// </para>
/// <para>Implementations must be safe to call from many threads and processes at once.</para>
/// </remarks>
public interface IAudioBookStore
{
    /// <summary>
    /// Stores an edition. An edition already stored under the same ISBN-13 keeps its id and gets the new details;
    /// otherwise an edition already stored under the same id gets the new details, its ISBN-13 included.
    /// </summary>
    /// <param name="edition">The edition.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored edition, with the id it is stored under.</returns>
    Task<Edition> UpsertEditionAsync(Edition edition, CancellationToken cancellationToken = default);

    /// <summary>Gets an edition.</summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The edition, or <see langword="null"/>.</returns>
    Task<Edition?> GetEditionAsync(Guid editionId, CancellationToken cancellationToken = default);

    /// <summary>Gets several editions in one read, for listing audiobooks without a read per item.</summary>
    /// <param name="editionIds">The edition ids; at most a few hundred.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The editions found, in no particular order; ids not stored are left out.</returns>
    Task<IReadOnlyList<Edition>> GetEditionsAsync(IReadOnlyCollection<Guid> editionIds, CancellationToken cancellationToken = default);

    /// <summary>Finds a stored edition by ISBN.</summary>
    /// <param name="isbn">The ISBN.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The edition, or <see langword="null"/>.</returns>
    Task<Edition?> FindEditionByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default);

    /// <summary>Creates an audiobook; an edition has at most one per <see cref="AudioBook.Mode"/>.</summary>
    /// <param name="audioBook">The audiobook.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="AudioBookExistsException">The edition already has an audiobook in that mode; the exception names it.</exception>
    /// <exception cref="EditionNotFoundException">The edition is not stored.</exception>
    Task CreateAudioBookAsync(AudioBook audioBook, CancellationToken cancellationToken = default);

    /// <summary>Gets an audiobook.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The audiobook, or <see langword="null"/>.</returns>
    Task<AudioBook?> GetAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default);

    /// <summary>Finds the audiobook of an edition in one mode.</summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="mode">The mode.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The audiobook, or <see langword="null"/>.</returns>
    Task<AudioBook?> FindAudioBookByEditionAsync(Guid editionId, AudioBookMode mode, CancellationToken cancellationToken = default);

    /// <summary>Lists audiobooks, newest first.</summary>
    /// <param name="skip">How many to skip.</param>
    /// <param name="take">How many to return at most.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The page and the total count.</returns>
    Task<AudioBookPage> ListAudioBooksAsync(int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Replaces an audiobook's state (status, versions, duration, usage, error).</summary>
    /// <param name="audioBook">The new state; <see cref="AudioBook.Id"/> selects the audiobook.</param>
    /// <param name="lease">When given, the write is applied only while this lease is held.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task UpdateAudioBookAsync(AudioBook audioBook, JobLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the chapters of one audiobook version, in order.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The chapters; empty when none are stored.</returns>
    Task<IReadOnlyList<Chapter>> GetChaptersAsync(Guid audioBookId, int version, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces chapters, keyed by audiobook, version and number.</summary>
    /// <param name="chapters">The chapters.</param>
    /// <param name="lease">When given, the write is applied only while this lease is held.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task SaveChaptersAsync(IReadOnlyList<Chapter> chapters, JobLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every chapter of one audiobook version.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="version">The version.</param>
    /// <param name="lease">When given, the write is applied only while this lease is held.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>How many chapters were deleted.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task<int> DeleteChaptersAsync(Guid audioBookId, int version, JobLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a job for an audiobook and links it, in one transaction, unless a job linked to the
    /// audiobook is still pending or processing: one job at a time per audiobook, across nodes. A linked
    /// <see cref="JobKind.AudiobookPackaging"/> job that is still pending (not yet claimed) does not hold the
    /// audiobook: it is superseded in the same transaction — ended as <see cref="JobStatus.Failed"/> with
    /// <see cref="ErrorCodes.JobSuperseded"/>, unrun — since a book about to change is packaged again after.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="job">The job to enqueue.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="JobInProgressException">A linked job is pending or processing; nothing was written.</exception>
    /// <exception cref="ArgumentException">The job is invalid (see <see cref="IJobStore.EnqueueAsync"/>).</exception>
    Task<Job> EnqueueLinkedJobAsync(Guid audioBookId, NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a job that follows a running one on the same audiobook, and links it, in one transaction: like
    /// <see cref="EnqueueLinkedJobAsync"/>, except that the job <paramref name="precedingJobId"/> (the one enqueuing, still
    /// processing) does not count as in progress, and a pending packaging job is superseded the same way. A generation job
    /// enqueues its audiobook's packaging this way as it ends.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="job">The job to enqueue.</param>
    /// <param name="precedingJobId">The job it follows.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="JobInProgressException">Another linked job is pending or processing; nothing was written.</exception>
    /// <exception cref="ArgumentException">The job is invalid (see <see cref="IJobStore.EnqueueAsync"/>).</exception>
    Task<Job> EnqueueFollowUpJobAsync(Guid audioBookId, NewJob job, Guid precedingJobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an audiobook's rows in one transaction: the audiobook, its chapters of every version, and its jobs with their links —
    /// unless one of its jobs is pending or processing. Its edition is kept. Stored objects are the caller's to delete.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no audiobook had the id.</returns>
    /// <exception cref="JobInProgressException">A linked job is pending or processing; nothing was deleted.</exception>
    Task<bool> DeleteAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default);

    /// <summary>Gets the audiobook a job works on.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The audiobook id, or <see langword="null"/> when the job is not linked.</returns>
    Task<Guid?> GetAudioBookIdForJobAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Gets the jobs that worked on an audiobook, oldest first.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The job ids.</returns>
    Task<IReadOnlyList<Guid>> GetJobIdsForAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default);
}
