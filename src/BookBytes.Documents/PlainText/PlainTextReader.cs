using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.PlainText;

/// <summary>
/// Reads plain text (<c>text/plain</c>), Project Gutenberg files included, into chapters found from heading
/// lines; a text without headings is cut into parts of about 4,000 words at paragraph ends.
/// </summary>
/// <remarks>
/// Headings are lines standing alone between blank lines: <c>CHAPTER I.</c>, <c>Chapter 12</c>,
/// <c>Chapter Twelve</c>, <c>BOOK THE FIRST</c>, <c>PART TWO</c>, <c>Part 1: The Beginning</c>, a lone roman or
/// arabic numeral, and matter titles (<c>Contents</c>, <c>Preface</c>, <c>Epilogue</c>…). A short line in capitals
/// counts as a heading only in a text that has none of those. Stateless and thread-safe.
/// </remarks>
internal sealed partial class PlainTextReader : IBookDocumentReader
{
    /// <summary>The words a part of a text without headings has at least, before it is cut at a paragraph end.</summary>
    internal const int PartWords = 4_000;

    /// <summary>The most words text before the first heading may have to be a front chapter (a title page); longer, it is body.</summary>
    internal const int FrontWords = 300;

    /// <summary>The longest paragraph, in characters, before it is split at a sentence end (a file that is one huge line).</summary>
    internal const int MaxParagraphChars = 10_000;

    private static readonly string[] ChapterWords = ["Prologue", "Epilogue", "Preface", "Foreword", "Introduction", "Afterword", "Conclusion", "Interlude", "Postscript", "Appendix"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["text/plain"];

    /// <inheritdoc />
    public DocumentMatch Sniff(ReadOnlySpan<byte> head) => TextDecoding.LooksLikeText(head) ? DocumentMatch.Maybe : DocumentMatch.No;

    /// <inheritdoc />
    public Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(TextDecoding.Decode(input.Content.Span), input.Limits, cancellationToken));
    }

    internal static BookDocument Read(string text, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var gutenberg = Gutenberg.Split(text);
        var blocks = Blocks(gutenberg.Body);
        var builder = new ChapterBuilder(limits);
        var title = gutenberg.Title ?? FirstLineTitle(blocks);
        var headings = Headings(blocks, title, limits, cancellationToken);
        if (headings.Count == 0)
        {
            Chunk(blocks, title, builder, cancellationToken);
        }
        else
        {
            Chapters(blocks, headings, builder, cancellationToken);
        }

        if (builder.Notes.Count > 0)
        {
            builder.Add("Notes", 0, ChapterKind.Back, builder.Notes);
        }

        if (gutenberg.Licence is { } licence)
        {
            builder.Add("The Project Gutenberg License", 0, ChapterKind.Back, Paragraphs(Blocks(licence), null));
        }

        return new BookDocument
        {
            Title = title,
            Authors = gutenberg.Authors,
            Language = gutenberg.Language ?? "und",
            Chapters = builder.Chapters,
        };
    }

    private static void Chapters(List<string[]> blocks, Dictionary<int, Heading> headings, ChapterBuilder builder, CancellationToken cancellationToken)
    {
        var first = headings.Keys.Min();
        var front = Paragraphs(blocks.Take(first), builder.Notes);
        if (front.Count > 0)
        {
            var words = DocumentText.CountWords(front);
            builder.Add(words <= FrontWords ? "Title Page" : "Opening", 0, words <= FrontWords ? ChapterKind.Front : ChapterKind.Body, front);
        }

        // Chapters nest under the part (or book) before them; matter and chapters before any part stay at the top.
        var inPart = false;
        var i = first;
        while (i < blocks.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var heading = headings[i];
            var next = i + 1;
            while (next < blocks.Count && !headings.ContainsKey(next))
            {
                next++;
            }

            var body = new List<string[]>();
            var paragraphs = new List<string>();
            if (heading.Rest is { Length: > 0 } rest)
            {
                if (heading.IsContents)
                {
                    // A contents page keeps its entries as lines rather than as one joined paragraph.
                    paragraphs.AddRange(rest.Select(TextCleanup.Clean).Where(l => l.Any(char.IsLetterOrDigit)));
                }
                else
                {
                    body.Add(rest);
                }
            }

            body.AddRange(blocks.Skip(i + 1 + heading.Consumed).Take(Math.Max(0, next - i - 1 - heading.Consumed)));
            paragraphs.AddRange(Paragraphs(body, builder.Notes));
            inPart |= heading.IsPart;
            var level = inPart && !heading.IsPart && heading.Kind is null ? 1 : 0;
            builder.Add(heading.Title, level, heading.Kind, paragraphs);
            i = next;
        }
    }

    private static void Chunk(List<string[]> blocks, string title, ChapterBuilder builder, CancellationToken cancellationToken)
    {
        var parts = new List<List<string>>();
        var current = new List<string>();
        var words = 0;
        foreach (var paragraph in Paragraphs(blocks, builder.Notes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            current.Add(paragraph);
            words += DocumentText.CountWords([paragraph]);
            if (words >= PartWords)
            {
                parts.Add(current);
                current = [];
                words = 0;
                if (parts.Count > builder.MaxChapters)
                {
                    builder.TooMany(parts.Count);
                }
            }
        }

        // A short remainder joins the part before it rather than standing as a part of a few lines.
        if (current.Count > 0)
        {
            if (parts.Count > 0 && words < PartWords / 4)
            {
                parts[^1].AddRange(current);
            }
            else
            {
                parts.Add(current);
            }
        }

        for (var n = 0; n < parts.Count; n++)
        {
            builder.Add(parts.Count == 1 ? title : "Part " + (n + 1).ToString(CultureInfo.InvariantCulture), 0, ChapterKind.Body, parts[n]);
        }
    }

    /// <summary>Splits text into blocks of trimmed lines separated by blank lines.</summary>
    internal static List<string[]> Blocks(string text)
    {
        var blocks = new List<string[]>();
        var lines = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    blocks.Add([.. lines]);
                    lines.Clear();
                }
            }
            else
            {
                lines.Add(line);
            }
        }

        if (lines.Count > 0)
        {
            blocks.Add([.. lines]);
        }

        return blocks;
    }

    /// <summary>Turns blocks into paragraphs: lines joined (a word split by a line-end hyphen rejoined), notes collected aside, illustrations and section breaks dropped.</summary>
    internal static List<string> Paragraphs(IEnumerable<string[]> blocks, List<string>? notes)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            var joined = Join(block);
            if (Illustration().IsMatch(joined) || !joined.Any(char.IsLetterOrDigit))
            {
                continue;
            }

            if (notes is not null && NoteBody().Match(joined) is { Success: true } note)
            {
                notes.Add(TextCleanup.Clean(note.Groups["text"].Value));
                continue;
            }

            var clean = TextCleanup.Clean(Underscores().Replace(Illustration().Replace(joined, " "), "$1"));
            if (clean.Length == 0)
            {
                continue;
            }

            paragraphs.AddRange(SplitLong(clean));
        }

        return paragraphs;
    }

    private static string Join(string[] lines)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            if (builder.Length == 0)
            {
                builder.Append(line);
                continue;
            }

            var last = builder[^1];
            var beforeLast = builder.Length > 1 ? builder[^2] : ' ';
            if (last == '-' && char.IsLower(beforeLast) && line.Length > 0 && char.IsLower(line[0]))
            {
                // A word split across lines ("impor-" / "tant"): rejoined without its hyphen.
                builder.Length--;
                builder.Append(line);
            }
            else if (last == '-' && beforeLast == '-')
            {
                // A dash written as "--" at a line end runs into the next word, as it would mid-line.
                builder.Append(line);
            }
            else
            {
                builder.Append(' ').Append(line);
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<string> SplitLong(string paragraph)
    {
        var start = 0;
        while (paragraph.Length - start > MaxParagraphChars)
        {
            var window = paragraph.AsSpan(start, MaxParagraphChars);
            var cut = window.LastIndexOf(". ");
            cut = cut > MaxParagraphChars / 2 ? cut + 1 : window.LastIndexOf(' ');
            if (cut <= 0)
            {
                cut = MaxParagraphChars;
            }

            yield return paragraph.Substring(start, cut).Trim();
            start += cut;
        }

        var tail = paragraph[start..].Trim();
        if (tail.Length > 0)
        {
            yield return tail;
        }
    }

    private static string FirstLineTitle(List<string[]> blocks)
    {
        foreach (var block in blocks)
        {
            var line = TextCleanup.Clean(block[0]);
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > 200 || KeywordHeading().IsMatch(line))
            {
                break;
            }

            return IsCapitals(line) ? HeadingCase.Title(line) : line;
        }

        return "Untitled";
    }

    /// <summary>Finds heading blocks by index.</summary>
    private static Dictionary<int, Heading> Headings(List<string[]> blocks, string bookTitle, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var headings = new Dictionary<int, Heading>();
        var keyed = false;
        for (var i = 0; i < blocks.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Contents entries may double the headings, but not more: beyond that the limit is broken anyway.
                if (headings.Count > (2 * limits.MaxChapters) + 10)
                {
                    throw new DocumentException($"The document has more than {limits.MaxChapters} chapters; at most {limits.MaxChapters} are accepted ({DocumentOptions.SectionName}:MaxChapters).", ErrorCodes.DocumentTooLarge);
                }
            }

            var line = blocks[i][0];
            if (line.Length <= 100 && KeywordHeading().Match(line) is { Success: true } match && IsNumber(match.Groups["num"].Value))
            {
                keyed = true;
                headings[i] = KeywordHeadingAt(blocks, i, match);
            }
            else if (blocks[i].Length == 1 && line.Length <= 12 && Numeral().Match(line) is { Success: true } numeral && IsNumber(numeral.Groups["num"].Value))
            {
                keyed = true;
                headings[i] = WithSubtitle(blocks, i, numeral.Groups["num"].Value.ToUpperInvariant() + numeral.Groups["punct"].Value, 0, isPart: false);
            }
            else if (blocks[i].Length == 1 && line.Length <= 60 && MatterHeading(line) is { } matter)
            {
                headings[i] = matter;
            }
        }

        if (!keyed)
        {
            // Only in a text without numbered headings: there, a short line in capitals is a chapter title.
            for (var i = 0; i < blocks.Count; i++)
            {
                var line = blocks[i][0];
                if (!headings.ContainsKey(i) && blocks[i].Length == 1 && line.Length <= 80 && IsCapitals(line) && Words(line) <= 8
                    && !string.Equals(HeadingCase.Title(line), bookTitle, StringComparison.OrdinalIgnoreCase) && line.Any(char.IsLetter) && !Illustration().IsMatch(line)
                    && !line.Equals("THE END", StringComparison.Ordinal) && !line.Equals("THE END.", StringComparison.Ordinal))
                {
                    headings[i] = new Heading(HeadingCase.Title(line), 0, null);
                }
            }
        }

        SkipContentsEntries(blocks, headings);
        return headings;
    }

    /// <summary>
    /// A contents page lists the headings that follow ("CHAPTER I. THE BEGINNING" …); its entries are not chapters.
    /// Its end is where the first listed heading comes again.
    /// </summary>
    private static void SkipContentsEntries(List<string[]> blocks, Dictionary<int, Heading> headings)
    {
        foreach (var contents in headings.Where(h => h.Value.IsContents).Select(h => h.Key).Order().ToList())
        {
            var entries = headings.Keys.Where(k => k > contents).Order().ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            var key = headings[entries[0]].Key;
            var again = entries.Skip(1).FirstOrDefault(k => headings[k].Key == key);
            if (again == 0)
            {
                continue;
            }

            foreach (var entry in entries.Where(k => k < again))
            {
                headings.Remove(entry);
            }

            var lines = blocks.Skip(contents + 1).Take(again - contents - 1).SelectMany(b => b).ToList();
            headings[contents] = headings[contents] with { Consumed = again - contents - 1, Rest = [.. lines] };
        }
    }

    private static Heading KeywordHeadingAt(List<string[]> blocks, int i, Match match)
    {
        var keyword = match.Groups["kw"].Value.ToUpperInvariant() switch
        {
            "CHAP." or "CHAPTER" => "Chapter",
            "PART" => "Part",
            "BOOK" => "Book",
            "VOLUME" => "Volume",
            _ => HeadingCase.Word(match.Groups["kw"].Value),
        };
        var isPart = keyword is "Part" or "Book" or "Volume";
        var number = HeadingCase.Number(match.Groups["num"].Value);
        var punct = match.Groups["punct"].Value;
        var label = keyword + " " + number + (punct.Length > 0 ? (punct[0] == ':' ? ":" : ".") : string.Empty);
        var inline = match.Groups["title"].Value.Trim();
        if (inline.Length > 0)
        {
            var heading = new Heading(HeadingCase.JoinSubtitle(label, HeadingCase.Subtitle(inline)), 0, null) { IsPart = isPart, Key = KeyOf(keyword, number) };
            return blocks[i].Length > 1 ? heading with { Rest = blocks[i][1..] } : heading;
        }

        return WithSubtitle(blocks, i, label, 0, isPart) with { Key = KeyOf(keyword, number) };
    }

    private static Heading WithSubtitle(List<string[]> blocks, int i, string label, int level, bool isPart)
    {
        var block = blocks[i];
        if (block.Length > 1)
        {
            // "CHAPTER I." with "THE BEGINNING" on the next line; else the rest of the block is the first paragraph.
            var subtitle = block.Skip(1).ToArray();
            if (subtitle.Length <= 2 && subtitle.All(IsSubtitle))
            {
                return new Heading(HeadingCase.JoinSubtitle(label, HeadingCase.Subtitle(string.Join(' ', subtitle))), level, null) { IsPart = isPart, Key = label.TrimEnd('.', ':').ToUpperInvariant() };
            }

            return new Heading(label.TrimEnd('.'), level, null) { IsPart = isPart, Rest = block[1..], Key = label.TrimEnd('.', ':').ToUpperInvariant() };
        }

        if (i + 1 < blocks.Count && blocks[i + 1].Length == 1 && IsSubtitle(blocks[i + 1][0]))
        {
            return new Heading(HeadingCase.JoinSubtitle(label, HeadingCase.Subtitle(blocks[i + 1][0])), level, null) { IsPart = isPart, Consumed = 1, Key = label.TrimEnd('.', ':').ToUpperInvariant() };
        }

        return new Heading(label.TrimEnd('.'), level, null) { IsPart = isPart, Key = label.TrimEnd('.', ':').ToUpperInvariant() };
    }

    private static string KeyOf(string keyword, string number) => (keyword + " " + number).ToUpperInvariant();

    private static Heading? MatterHeading(string line)
    {
        var text = TextCleanup.Clean(line).TrimEnd('.', ':');
        var kind = MatterTitles.Classify(text);
        var titled = IsCapitals(text) ? HeadingCase.Title(text) : text;
        if (kind is not null && Words(text) <= 5)
        {
            return new Heading(titled, 0, kind) { IsContents = ContentsTitle().IsMatch(text) };
        }

        var firstWord = text.Split(' ', 2)[0];
        return ChapterWords.Any(w => w.Equals(firstWord, StringComparison.OrdinalIgnoreCase)) && Words(text) <= 4 && char.IsUpper(text[0])
            ? new Heading(titled, 0, null)
            : null;
    }

    private static bool IsSubtitle(string line)
    {
        if (line.Length > 80 || Words(line) > 10 || !char.IsLetterOrDigit(line[0]) || KeywordHeading().IsMatch(line))
        {
            return false;
        }

        if (IsCapitals(line))
        {
            return true;
        }

        // Mixed case: a title ("The Beginning"), not a short sentence ("He went home.").
        var last = line[^1];
        return char.IsUpper(line[0]) && !".,;:!?\"”’'".Contains(last, StringComparison.Ordinal) && Words(line) <= 8;
    }

    private static bool IsCapitals(string line) => line.Any(char.IsLetter) && !line.Any(char.IsLower);

    private static int Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static bool IsNumber(string number)
        => number.Length > 0 && (char.IsDigit(number[0]) || NumberWord().IsMatch(number) || Roman().IsMatch(number));

    [GeneratedRegex(@"^(?<kw>CHAPTER|Chapter|CHAP\.|Chap\.|PART|Part|BOOK|Book|VOLUME|Volume)\s+(?<num>\d{1,5}|[IVXLCDM]+|[ivxlcdm]+|(?i:(?:the\s+)?[a-z]+(?:[- ][a-z]+)?))(?:(?<punct>\s*[.:\-–—]+)\s*(?<title>.*)|\s+(?<title>[^a-z]+))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex KeywordHeading();

    [GeneratedRegex(@"^(?<num>[IVXLC]+|\d{1,3})(?<punct>\.?)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Numeral();

    [GeneratedRegex(@"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Roman();

    [GeneratedRegex(@"^(?:the\s+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NumberWord();

    [GeneratedRegex(@"^(?:table\s+of\s+)?contents$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ContentsTitle();

    [GeneratedRegex(@"\[(?:Illustration|Ill\.)(?::[^\]]*)?\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Illustration();

    [GeneratedRegex(@"^\[(?:Footnote\s+)?(?:\d{1,4}|[A-Z]|\*)[:.\]]\s*(?<text>.*?)\]?$", RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NoteBody();

    [GeneratedRegex(@"(?<![\w_])_([^_\s](?:[^_]*[^_\s])?)_(?![\w_])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Underscores();

    /// <summary>A heading found in the text.</summary>
    /// <param name="Title">The chapter title as it is given.</param>
    /// <param name="Level">The nesting level.</param>
    /// <param name="Kind">The kind a matter title gives; <see langword="null"/> for body.</param>
    internal sealed record Heading(string Title, int Level, ChapterKind? Kind)
    {
        /// <summary>Gets whether it is a part or book, which chapters nest under.</summary>
        public bool IsPart { get; init; }

        /// <summary>Gets whether it is a contents page.</summary>
        public bool IsContents { get; init; }

        /// <summary>Gets how many blocks after the heading's own belong to the heading (a subtitle).</summary>
        public int Consumed { get; init; }

        /// <summary>Gets lines of the heading's block that are text, not heading.</summary>
        public string[]? Rest { get; init; }

        /// <summary>Gets what identifies the heading when a contents page lists it again (by default its title in capitals).</summary>
        public string Key
        {
            get => field ?? Title.ToUpperInvariant();
            init => field = value;
        }
    }
}
