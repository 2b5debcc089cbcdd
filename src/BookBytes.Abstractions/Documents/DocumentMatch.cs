namespace BookBytes.Documents;

/// <summary>How sure a reader is, from the first bytes, that content is in its format.</summary>
public enum DocumentMatch
{
    /// <summary>The content is not in the format.</summary>
    No = 0,

    /// <summary>The content may be in the format (plain text is almost anything); the declared media type decides.</summary>
    Maybe = 1,

    /// <summary>The content carries the format's signature (a zip with an EPUB <c>mimetype</c>, <c>%PDF-</c>, an HTML root), whatever its declared type.</summary>
    Certain = 2,
}
