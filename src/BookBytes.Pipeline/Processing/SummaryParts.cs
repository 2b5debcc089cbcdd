using BookBytes.Pipeline.Text;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// How a chapter's text is summarised within the model's input budget (<c>BookBytes:Llm:MaxInputTokens</c>): in one call
/// when it fits, else in parts of about equal size cut at paragraph ends (a paragraph longer than a part at sentence ends),
/// each summarised, then one call combining the part summaries (map-reduce).
/// </summary>
internal static class SummaryParts
{
    /// <summary>Tokens kept free of the budget for the instructions, the book's details and the answer format.</summary>
    public const int PromptReserveTokens = 1_000;

    /// <summary>The shortest part summary asked for, in words.</summary>
    public const int MinPartWords = 60;

    /// <summary>Whether a chapter is no longer than its summary would be, and so is spoken as it is instead of summarised.</summary>
    /// <param name="chapter">The chapter.</param>
    /// <param name="summaryWords">The summary's target words.</param>
    /// <returns><see langword="true"/> when the chapter has at most <paramref name="summaryWords"/> words.</returns>
    public static bool SpeaksItself(Documents.DocumentChapter chapter, int summaryWords) => chapter.Words <= summaryWords;

    /// <summary>
    /// The words asked of a chapter's summary: the target, or half the chapter's words when that is less (never under 50),
    /// so a chapter a little longer than the target is not asked for a summary nearly as long as itself.
    /// </summary>
    /// <param name="chapterWords">The chapter's words.</param>
    /// <param name="summaryWords">The summary's target words.</param>
    /// <returns>The words to ask for.</returns>
    public static int TargetWords(int chapterWords, int summaryWords) => Math.Min(summaryWords, Math.Max(50, chapterWords / 2));

    /// <summary>Cuts a chapter's text into the parts of its summary.</summary>
    /// <param name="count">Counts a text's tokens (the model's tokenizer).</param>
    /// <param name="text">The chapter's paragraphs, separated by blank lines.</param>
    /// <param name="maxInputTokens">The model's input budget.</param>
    /// <returns>One part (the whole text) when it fits; else the parts in order.</returns>
    public static IReadOnlyList<string> Split(Func<string, int> count, string text, int maxInputTokens)
    {
        var budget = Math.Max(500, maxInputTokens - PromptReserveTokens);
        var total = count(text);
        if (total <= budget)
        {
            return [text];
        }

        var pieces = new List<(string Text, int Tokens)>();
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = count(paragraph);
            if (tokens <= budget)
            {
                pieces.Add((paragraph, tokens));
                continue;
            }

            pieces.AddRange(Fitting(count, paragraph, budget));
        }

        var parts = (int)Math.Ceiling(pieces.Sum(p => (long)p.Tokens) / (double)budget);
        var target = pieces.Sum(p => (long)p.Tokens) / (double)Math.Max(1, parts);
        var result = new List<string>();
        var current = new List<string>();
        long size = 0;
        foreach (var (piece, tokens) in pieces)
        {
            if (current.Count > 0 && (size + tokens > budget || size >= target))
            {
                result.Add(string.Join("\n\n", current));
                current.Clear();
                size = 0;
            }

            current.Add(piece);
            size += tokens;
        }

        if (current.Count > 0)
        {
            result.Add(string.Join("\n\n", current));
        }

        return result;
    }

    /// <summary>
    /// Cuts a paragraph longer than the budget at sentence ends (within a sentence when one is longer) into pieces that fit
    /// it, by the tokenizer's count: a piece of budget characters can still be more tokens than that in scripts a byte-level
    /// tokenizer spends several tokens a character on, so such a piece is cut again, smaller.
    /// </summary>
    private static List<(string Text, int Tokens)> Fitting(Func<string, int> count, string text, int budget)
    {
        var pending = new Stack<(string Text, int Characters)>();
        pending.Push((text, budget));
        var done = new List<(string Text, int Tokens)>();
        while (pending.Count > 0)
        {
            var (piece, characters) = pending.Pop();
            var tokens = count(piece);
            if (tokens <= budget || characters <= 16)
            {
                done.Add((piece, tokens));
                continue;
            }

            var smaller = TextChunker.Split(piece, characters);
            var next = smaller.Count > 1 ? characters : characters / 2;
            foreach (var part in (smaller.Count > 1 ? smaller : TextChunker.Split(piece, next)).Reverse())
            {
                pending.Push((part, next));
            }
        }

        return done;
    }

    /// <summary>
    /// Groups consecutive part summaries so each group fits one combining call; one group when they all fit together.
    /// Every group has at least two summaries, so each round of combining shortens the list.
    /// </summary>
    /// <param name="count">Counts a text's tokens.</param>
    /// <param name="summaries">The summaries, in order.</param>
    /// <param name="maxInputTokens">The model's input budget.</param>
    /// <returns>The groups, in order.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Groups(Func<string, int> count, IReadOnlyList<string> summaries, int maxInputTokens)
    {
        var budget = Math.Max(500, maxInputTokens - PromptReserveTokens);
        var groups = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long size = 0;
        foreach (var summary in summaries)
        {
            var tokens = count(summary);
            if (current.Count >= 2 && size + tokens > budget)
            {
                groups.Add(current);
                current = [];
                size = 0;
            }

            current.Add(summary);
            size += tokens;
        }

        if (current.Count == 1 && groups.Count > 0)
        {
            // A last summary alone would not shorten anything: it joins the group before it.
            ((List<string>)groups[^1]).Add(current[0]);
        }
        else if (current.Count > 0)
        {
            groups.Add(current);
        }

        return groups;
    }

    /// <summary>The words asked of each part's summary: the chapter's target, less when the part summaries together would not fit one combining call.</summary>
    /// <param name="words">The chapter summary's target words.</param>
    /// <param name="parts">The chapter's parts.</param>
    /// <param name="maxInputTokens">The model's input budget.</param>
    /// <returns>The words.</returns>
    public static int PartWords(int words, int parts, int maxInputTokens)
    {
        var budget = Math.Max(500, maxInputTokens - PromptReserveTokens);

        // About four thirds of a token per word of prose.
        var fitting = (int)(budget * 3L / 4 / Math.Max(1, parts));
        return Math.Max(MinPartWords, Math.Min(words, fitting));
    }
}
