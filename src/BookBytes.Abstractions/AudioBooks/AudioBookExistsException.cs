namespace BookBytes.AudioBooks;

/// <summary>Thrown when an audiobook is requested for an edition that already has one.</summary>
public sealed class AudioBookExistsException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="editionId">The edition.</param>
    /// <param name="existingAudioBookId">The audiobook the edition already has.</param>
    public AudioBookExistsException(Guid editionId, Guid existingAudioBookId)
        : base($"Edition {editionId} already has audiobook {existingAudioBookId}.", ErrorCodes.AudioBookExists)
    {
        EditionId = editionId;
        ExistingAudioBookId = existingAudioBookId;
    }

    /// <summary>Gets the edition.</summary>
    public Guid EditionId { get; }

    /// <summary>Gets the audiobook the edition already has.</summary>
    public Guid ExistingAudioBookId { get; }
}
