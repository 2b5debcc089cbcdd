namespace BookBytes.AudioBooks;

/// <summary>Thrown when no audiobook with the requested id exists.</summary>
public sealed class AudioBookNotFoundException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="audioBookId">The id that was not found.</param>
    public AudioBookNotFoundException(Guid audioBookId)
        : base($"No audiobook with id {audioBookId} exists.", ErrorCodes.AudioBookNotFound)
    {
        AudioBookId = audioBookId;
    }

    /// <summary>Gets the id that was not found.</summary>
    public Guid AudioBookId { get; }
}
