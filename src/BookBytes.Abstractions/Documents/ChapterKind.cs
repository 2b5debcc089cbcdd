namespace BookBytes.Documents;

/// <summary>Where a chapter stands in a book: before the body, in it, or after it.</summary>
public enum ChapterKind
{
    /// <summary>The book's own text: chapters, parts, sections, prologue and epilogue.</summary>
    Body = 0,

    /// <summary>Before the body: title page, copyright page, contents, dedication, foreword-like matter a document marks so.</summary>
    Front = 1,

    /// <summary>After the body: acknowledgements, notes, bibliography, index, "about the author", licences.</summary>
    Back = 2,
}
