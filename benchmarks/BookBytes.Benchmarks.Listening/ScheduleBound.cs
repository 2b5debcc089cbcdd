using System.Globalization;
using System.Text;

namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// Lower bounds no scheduler can beat for one book under the <see cref="StandInModel"/>, with <c>llmSlots</c> chat calls and
/// <c>ttsSlots</c> speech calls at once and speech chunks of at most <c>chunkCharacters</c>, computed from the texts the
/// stand-in answers. Every term assumes zero overhead, sentence-by-sentence speech as soon as a sentence is written, and the
/// outline as the first call (no chapter is known before it). Times are from the moment the host could start work.
/// </summary>
internal sealed record ScheduleBound(double Outline, double FirstSound, double ChapterOne, double Book, double LlmSide, double SpeechSide, double CriticalPath, double FirstSoundWholeSummary, string Formula)
{
    public static ScheduleBound For(StandInModel model, string outlineContent, IReadOnlyList<GeneratedSummary> chapters, int llmSlots, int ttsSlots, int chunkCharacters)
    {
        double Chat(int tokens) => model.ChatTime(tokens).TotalSeconds;
        double Speech(int characters) => model.SpeechTime(characters).TotalSeconds;
        double Until(GeneratedSummary s, int characters) => model.TokenTime(model.Tokens(characters), model.Tokens(s.Content.Length)).TotalSeconds;

        var outlineTokens = model.Tokens(outlineContent.Length);
        var o = Chat(outlineTokens);
        var one = chapters[0];
        var oneTokens = model.Tokens(one.Content.Length);
        var firstSentenceOut = Until(one, one.ContentUpToFirstSentence);
        var firstSound = o + firstSentenceOut + Speech(one.FirstSentence.Length);
        var l1 = Chat(oneTokens);
        var chapterOne = o + l1 + Speech(one.LastSentence.Length);
        var firstSoundWhole = o + l1 + Speech(one.FirstSentence.Length);

        var summaryWork = chapters.Sum(c => Chat(model.Tokens(c.Content.Length)));
        var shortestLast = chapters.Min(c => Speech(c.LastSentence.Length));
        var llmSide = o + (summaryWork / llmSlots) + shortestLast;

        var earliestSentence = chapters.Min(c => Until(c, c.ContentUpToFirstSentence));
        var characters = chapters.Sum(c => c.Text.Length);
        var fewestCalls = chapters.Sum(c => (c.Text.Length + chunkCharacters - 1) / chunkCharacters);
        var perCall = model.SpeechFixed is { } fixedSpeech ? fixedSpeech.TotalSeconds : model.SpeechBase.TotalSeconds;
        var speechWork = model.SpeechFixed is null ? (characters / model.SpeechCharactersPerSecond) + (perCall * fewestCalls) : perCall * fewestCalls;
        var speechSide = o + earliestSentence + (speechWork / ttsSlots);

        var critical = chapters.Max(c => o + Chat(model.Tokens(c.Content.Length)) + Speech(c.LastSentence.Length));
        var book = Math.Max(llmSide, Math.Max(speechSide, critical));

        var f = new StringBuilder();
        string N(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        f.AppendLine($"    outline O = chat({outlineTokens} tokens: {outlineContent.Length} characters of JSON) = {N(o)} s");
        f.AppendLine($"    first sound >= O + chapter 1's first sentence written (first {one.ContentUpToFirstSentence} characters of its JSON = {model.Tokens(one.ContentUpToFirstSentence)} tokens: {N(firstSentenceOut)} s)");
        f.AppendLine($"                    + speech of that sentence ({one.FirstSentence.Length} characters: {N(Speech(one.FirstSentence.Length))} s) = {N(firstSound)} s");
        f.AppendLine($"      (a host that speaks only whole summaries: O + L1 {N(l1)} + that sentence = {N(firstSoundWhole)} s)");
        f.AppendLine($"    chapter 1 >= O + L1 (its whole summary: {oneTokens} tokens, {N(l1)} s) + speech of its last sentence ({one.LastSentence.Length} characters: {N(Speech(one.LastSentence.Length))} s) = {N(chapterOne)} s");
        f.AppendLine($"    book >= max of");
        f.AppendLine($"      LLM side    O + sum of the {chapters.Count} summaries' times {N(summaryWork)} / {llmSlots} slots + the shortest last sentence's speech {N(shortestLast)} = {N(llmSide)} s");
        f.AppendLine($"      speech side O + the earliest first sentence {N(earliestSentence)} + ({characters} characters / {model.SpeechCharactersPerSecond:0.#} + {perCall:0.###} x {fewestCalls} calls (each chapter's characters / {chunkCharacters}, rounded up)) / {ttsSlots} slots = {N(speechSide)} s");
        f.Append($"      one chapter O + its summary + its last sentence's speech, the longest = {N(critical)} s   -> {N(book)} s");
        return new ScheduleBound(o, firstSound, chapterOne, book, llmSide, speechSide, critical, firstSoundWhole, f.ToString());
    }
}
