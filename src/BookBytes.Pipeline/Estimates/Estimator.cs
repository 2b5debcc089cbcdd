using System.Globalization;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Llm;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Pipeline.Text;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Estimates;

/// <summary>
/// Works out an <see cref="AudioBookEstimate"/> the way a job would do the work — the same chapters, the same parts of long
/// chapters, the same speech chunks — counting instead of calling. Narration characters are exact; tokens are counted with the
/// provider's tokenizer (estimated when it has none) plus the prompt's own share, and answers are taken at their target length.
/// </summary>
internal static class Estimator
{
    /// <summary>The tokens of a call's instructions and answer format, on top of the book's details and the text (measured against the chat prompts).</summary>
    public const int PromptTokens = 330;

    /// <summary>The characters of a summary's paragraph, as models write them for listening (four or five sentences).</summary>
    public const int SummaryParagraphCharacters = 600;

    /// <summary>The tokens of a structured answer's wrapping (<c>{"summary": …}</c>).</summary>
    public const int AnswerWrapTokens = 8;

    /// <summary>Estimates the audiobook.</summary>
    /// <param name="edition">The edition.</param>
    /// <param name="request">The request (already checked).</param>
    /// <param name="chosen">The chapter numbers it makes, or <see langword="null"/> for the model's outline.</param>
    /// <param name="document">The edition's text, for a document edition.</param>
    /// <param name="llm">The language model, when one is configured.</param>
    /// <param name="tts">The speech provider, when one is configured.</param>
    /// <param name="options">The pipeline's options.</param>
    /// <returns>The estimate.</returns>
    public static AudioBookEstimate Estimate(
        Edition edition, AudioBookRequest request, IReadOnlyList<int>? chosen, BookDocument? document, ILlmProvider? llm, ITtsProvider? tts, BookBytesOptions options)
    {
        var notes = new List<string>();
        var count = (Func<string, int>)(llm is null ? LlmTokens.Estimate : llm.CountTokens);
        var words = request.SummaryWords ?? options.Summary.Words;
        var speechLimit = SpeechLimit(tts, options);
        // What the prompts say of the book: a summary from the model's memory has the description too, one of the text not.
        var fromText = ChapterPlan.GroundingOf(edition) == AudioBookGrounding.Text;
        var bookTokens = count(string.Join('\n', new[] { edition.Title, string.Join(", ", edition.Authors), fromText ? string.Empty : edition.Description ?? string.Empty }));
        var chapterText = document?.Chapters.DistinctBy(c => c.Number).ToDictionary(c => c.Number);
        var offered = ChapterPlan.Offered(edition).ToDictionary(c => c.Number);
        var chapters = new List<ChapterEstimate>();
        var llmSeconds = 0.0;
        var llmCalls = 0;
        var tokens = LlmUsage.Zero;
        int? assumed = null;

        double CallSeconds(long outputTokens) => options.Estimate.LlmSecondsPerCall + (outputTokens / options.Estimate.LlmOutputTokensPerSecond);

        (int Calls, LlmUsage Tokens, double Seconds) Call(int inputTokens, int answerWords)
        {
            var output = AnswerTokens(answerWords);
            return (1, new LlmUsage(PromptTokens + bookTokens + inputTokens, output), CallSeconds(output));
        }

        IEnumerable<(int Number, string Title)> numbers;
        if (chosen is null)
        {
            // The chapters come from the model's outline: one outline call, and a count assumed.
            assumed = options.Estimate.AssumedChapters;
            var outline = new LlmUsage(PromptTokens + bookTokens, AnswerWrapTokens + (assumed.Value * 12L));
            tokens += outline;
            llmCalls++;
            llmSeconds += CallSeconds(outline.OutputTokens);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"The edition has no table of contents: its chapters come from the language model's outline, so {assumed} chapters are assumed (BookBytes:Estimate:AssumedChapters)."));
            numbers = Enumerable.Range(1, assumed.Value).Select(n => (n, string.Empty));
        }
        else
        {
            numbers = chosen.Select(n => (n, offered.TryGetValue(n, out var c) ? c.Title : string.Empty));
        }

        var speechCalls = 0;
        long speechCharacters = 0;
        var speechSeconds = 0.0;
        var longestChain = 0.0;
        var known = chosen is null ? [] : ChapterSource.TableOfContents(edition);
        var titleTokens = known.Count > 0 ? count(string.Join("; ", known)) : 0;
        foreach (var (number, title) in numbers)
        {
            var source = chapterText?.GetValueOrDefault(number);
            var chapterCalls = 0;
            var chapterTokens = LlmUsage.Zero;
            var chapterSeconds = 0.0;
            string? spoken = null;
            long summaryCharacters = 0;
            if (request.Mode == AudioBookMode.Narration || (source is not null && SummaryParts.SpeaksItself(source, words)))
            {
                // Narrated, or a chapter no longer than its summary, which is spoken as it is.
                spoken = source is null ? string.Empty : EditionText.Narrated(source);
            }
            else if (source is not null)
            {
                var maxInput = options.Llm.MaxInputTokens;
                var target = SummaryParts.TargetWords(source.Words, words);
                var parts = SummaryParts.Split(count, EditionText.Body(source), maxInput);
                if (parts.Count == 1)
                {
                    Add(Call(count(parts[0]), target));
                }
                else
                {
                    var partWords = SummaryParts.PartWords(target, parts.Count, maxInput);
                    var longestPart = 0.0;
                    foreach (var part in parts)
                    {
                        var call = Call(count(part), partWords);
                        Add(call with { Seconds = 0 });
                        longestPart = Math.Max(longestPart, call.Seconds);
                        llmSeconds += call.Seconds;
                    }

                    chapterSeconds += longestPart;
                    Add(Call((int)AnswerTokens(partWords) * parts.Count, target));
                }

                summaryCharacters = (long)Math.Round(target * options.Estimate.CharactersPerWord);
            }
            else
            {
                Add(Call(titleTokens + count(title), words));
                summaryCharacters = (long)Math.Round(words * options.Estimate.CharactersPerWord);
            }

            int chunkCalls;
            long characters;
            if (spoken is not null)
            {
                var chunks = spoken.Length == 0 ? [] : TextChunker.Split(spoken, speechLimit);
                chunkCalls = chunks.Count;
                characters = chunks.Sum(c => (long)c.Length);
            }
            else
            {
                // The chunker packs whole paragraphs (a summary's are about SummaryParagraphCharacters long) up to the limit.
                var paragraphs = Math.Ceiling(summaryCharacters / (double)SummaryParagraphCharacters);
                var perChunk = Math.Max(1, speechLimit / SummaryParagraphCharacters);
                chunkCalls = speechLimit < SummaryParagraphCharacters
                    ? (int)Math.Max(1, Math.Ceiling(summaryCharacters / (double)speechLimit))
                    : (int)Math.Max(1, Math.Ceiling(paragraphs / perChunk));
                characters = summaryCharacters;
            }

            var chunkSeconds = chunkCalls == 0 ? 0 : options.Estimate.TtsSecondsPerCall + (characters / (double)chunkCalls / options.Estimate.TtsCharactersPerSecond);
            speechSeconds += chunkCalls * chunkSeconds;
            longestChain = Math.Max(longestChain, chapterSeconds + chunkSeconds);
            speechCalls += chunkCalls;
            speechCharacters += characters;
            chapters.Add(new ChapterEstimate(number, title, source is null ? 0 : DocumentText.CountWords(source.Paragraphs), chapterCalls, chapterTokens, chunkCalls, characters));

            void Add((int Calls, LlmUsage Tokens, double Seconds) call)
            {
                chapterCalls += call.Calls;
                chapterTokens += call.Tokens;
                chapterSeconds += call.Seconds;
                llmSeconds += call.Seconds;
                llmCalls += call.Calls;
                tokens += call.Tokens;
            }
        }

        // Summaries and speech overlap (a chapter is spoken while others are written): the busier of the two, plus one chapter's own chain.
        var seconds = Math.Max(llmSeconds / options.Llm.MaxConcurrency, speechSeconds / options.Tts.MaxConcurrency) + longestChain;
        if (tts is null)
        {
            notes.Add("No text-to-speech provider is configured: speech is estimated with BookBytes:Tts:ChunkCharacters, and not priced.");
        }

        var llmNeeded = llmCalls > 0;
        if (llm is { RequiresText: true } && llmNeeded && !fromText)
        {
            notes.Add($"The summariser ({llm.ModelId ?? llm.GetType().Name}) works only from a book's text, which this edition does not have: processing it is refused. Upload the book's file, or configure a language model.");
        }

        if (llm is null && llmNeeded)
        {
            notes.Add("No language model is configured: tokens are estimated without its tokenizer, and not priced.");
        }

        var cost = tts is null || (llm is null && llmNeeded) ? null : Cost(llm, tts, tokens, speechCharacters, options.Pricing, notes, llmNeeded);

        return new AudioBookEstimate(
            edition.Id,
            request.Mode,
            ChapterPlan.GroundingOf(edition),
            chosen is null ? [] : chapters,
            assumed,
            llmCalls,
            tokens,
            speechCalls,
            speechCharacters,
            TimeSpan.FromSeconds(Math.Round(seconds, 1)),
            cost,
            options.Pricing.Currency,
            notes);
    }

    /// <summary>The longest text one speech call takes, as the speech step cuts it.</summary>
    public static int SpeechLimit(ITtsProvider? tts, BookBytesOptions options)
    {
        if (tts is null)
        {
            return options.Tts.ChunkCharacters;
        }

        var capabilities = tts.Capabilities;
        return AudioJoiner.CanJoin(capabilities.DefaultFormat)
            ? Math.Min(options.Tts.ChunkCharacters, capabilities.MaxInputCharacters)
            : capabilities.MaxInputCharacters;
    }

    private static long AnswerTokens(int words) => AnswerWrapTokens + (long)Math.Ceiling(words * 4 / 3.0);

    private static decimal? Cost(ILlmProvider? llm, ITtsProvider tts, LlmUsage tokens, long characters, PricingOptions pricing, List<string> notes, bool llmNeeded)
    {
        decimal total = 0;
        var priced = true;
        if (llmNeeded)
        {
            if (Price(llm!.ModelId, "language-model provider", pricing, notes) is { } price)
            {
                total += (tokens.InputTokens * price.InputPerMillionTokens / 1_000_000m) + (tokens.OutputTokens * price.OutputPerMillionTokens / 1_000_000m);
            }
            else
            {
                priced = false;
            }
        }

        if (Price(tts.ModelId, "speech provider", pricing, notes) is { } speech)
        {
            total += characters * speech.PerMillionCharacters / 1_000_000m;
        }
        else
        {
            priced = false;
        }

        return priced ? Math.Round(total, 4) : null;
    }

    private static ModelPrice? Price(string? model, string what, PricingOptions pricing, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            notes.Add($"The {what} does not name its model, so it has no price.");
            return null;
        }

        if (pricing.Models.TryGetValue(model, out var price))
        {
            return price;
        }

        notes.Add($"No price is known for the {what}'s model '{model}'; set BookBytes:Pricing:Models:{model}.");
        return null;
    }
}
