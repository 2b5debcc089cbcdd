namespace BookBytes.AudioBooks;

/// <summary>Thrown when an audiobook is requested for an edition that already has one.</summary>
public sealed class AudioBookExistsException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="editionId">The edition.</param>
    /// <param name="existingAudioBookId">The audiobook the edition already has.</param>
    public AudioBookExistsException(Guid editionId, Guid existingAudioBookId)
        : this(editionId, existingAudioBookId, activeJobId: null)
    {
    }

    /// <summary>Initializes a new instance that also names the job working on the existing audiobook.</summary>
    /// <param name="editionId">The edition.</param>
    /// <param name="existingAudioBookId">The audiobook the edition already has.</param>
    /// <param name="activeJobId">Its pending or processing job, or <see langword="null"/> when none is.</param>
    public AudioBookExistsException(Guid editionId, Guid existingAudioBookId, Guid? activeJobId)
        : base(
            activeJobId is { } job
                ? $"Edition {editionId} already has audiobook {existingAudioBookId}; job {job} is working on it."
                : $"Edition {editionId} already has audiobook {existingAudioBookId}.",
            ErrorCodes.AudioBookExists)
    {
        EditionId = editionId;
        ExistingAudioBookId = existingAudioBookId;
        ActiveJobId = activeJobId;
    }

    /// <summary>Gets the edition.</summary>
    public Guid EditionId { get; }

    /// <summary>Gets the audiobook the edition already has.</summary>
    public Guid ExistingAudioBookId { get; }

    /// <summary>Gets the job that is pending or processing on the existing audiobook, if one is (watch it to follow the work).</summary>
    public Guid? ActiveJobId { get; }
}
