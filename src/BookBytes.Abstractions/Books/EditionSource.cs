namespace BookBytes.Books;

/// <summary>Where an edition came from.</summary>
public enum EditionSource
{
    /// <summary>A catalog lookup by ISBN: chapters from the catalog's table of contents or the model's outline.</summary>
    Catalog = 0,

    /// <summary>An uploaded document: chapters and text from the document itself (<see cref="Edition.Document"/>).</summary>
    Document = 1,
}
