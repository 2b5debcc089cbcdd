namespace BookBytes.AudioBooks;

/// <summary>Where an audiobook's words come from.</summary>
public enum AudioBookGrounding
{
    /// <summary>From the language model's memory of the book (an ISBN edition: the catalog's contents or the model's outline, and summaries of what the model knows).</summary>
    Model = 0,

    /// <summary>From the book's own text (an uploaded document): summaries of each chapter's text, or the text narrated.</summary>
    Text = 1,
}
