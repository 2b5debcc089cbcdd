using BookBytes.Documents;

namespace BookBytes.Llm;

/// <summary>A tokenizer-free estimate of the tokens a language model reads for a text.</summary>
public static class LlmTokens
{
    /// <summary>
    /// Estimates the tokens of <paramref name="text"/>: the larger of a quarter of its characters and four thirds of its
    /// words — close for English and other Latin-script prose with the common BPE tokenizers, and on the high side otherwise.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The estimated tokens; 0 for empty text.</returns>
    public static int Estimate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var byCharacters = (text.Length + 3) / 4;
        var byWords = (int)Math.Ceiling(DocumentText.CountWords([text]) * 4 / 3.0);
        return Math.Max(byCharacters, byWords);
    }
}
