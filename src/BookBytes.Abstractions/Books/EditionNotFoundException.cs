namespace BookBytes.Books;

/// <summary>Thrown when no edition with the requested id is stored.</summary>
public sealed class EditionNotFoundException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="editionId">The id that was not found.</param>
    public EditionNotFoundException(Guid editionId)
        : base($"No edition with id {editionId} is known. Look the book up by ISBN first.", ErrorCodes.EditionNotFound)
    {
        EditionId = editionId;
    }

    /// <summary>Gets the id that was not found.</summary>
    public Guid EditionId { get; }
}
