using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Html;

/// <summary>
/// Turns an HTML or XHTML document into the text to read aloud, for every HTML-like format (EPUB content
/// documents, HTML, Markdown rendered to HTML).
/// </summary>
/// <remarks>
/// <para>
/// The rule: every block element (<c>p</c>, <c>li</c>, <c>blockquote</c>, <c>div</c>, <c>dd</c>/<c>dt</c>,
/// <c>pre</c>, <c>figcaption</c>, <c>h1</c>–<c>h6</c>, …) closes the text before it and starts a new block, so
/// a paragraph never runs into the next; the text of each block is cleaned by <see cref="TextCleanup.Clean"/>
/// (whitespace collapsed, soft hyphens and zero-width characters removed, <c>[12]</c> markers removed) and an
/// empty block is dropped.
/// </para>
/// <para>
/// Headings are kept as blocks marked <see cref="HtmlBlock.IsHeading"/>. The headings that open a chapter are its
/// title, not its text: <see cref="Paragraphs"/> leaves them out; a heading after body text (a section inside
/// the chapter) is read as its own paragraph.
/// </para>
/// <para>
/// Not read: note references (<c>epub:type="noteref"</c>, <c>role="doc-noteref"</c>, a <c>sup</c>/<c>sub</c>
/// holding a link to a fragment, a link to a fragment whose text is a short number or mark such as <c>12</c> or
/// <c>*</c>); the notes themselves (<c>epub:type</c> footnote, endnote, rearnote, note; <c>role</c>
/// doc-footnote, doc-endnote, doc-footnotes, doc-endnotes; a <c>class="footnotes"</c> or <c>section id="footnotes"</c> as Markdig
/// and HTML exporters write them; an <c>aside</c> marked as a note); page-break markers (<c>epub:type="pagebreak"</c>,
/// <c>role="doc-pagebreak"</c>); images, scripts, styles, <c>svg</c>, <c>math</c>, media, forms and the
/// document head. Tables are skipped whole: read cell by cell they are noise to a listener, and a summary
/// does not need them. A figure's caption is read once, as its own block; an image's <c>alt</c> text is not.
/// </para>
/// <para>The walk is iterative, so hostile nesting depth cannot overflow the stack. Parsing fetches nothing. Thread-safe.</para>
/// </remarks>
internal static partial class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "head", "title", "script", "style", "noscript", "template", "svg", "math", "img", "picture", "video", "audio",
        "source", "track", "canvas", "iframe", "object", "embed", "map", "table", "form", "button", "input", "select",
        "textarea", "meta", "link",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre", "section", "article", "aside", "nav",
        "header", "footer", "main", "figure", "figcaption", "address", "center", "hr", "body", "hgroup", "details",
        "summary", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "legend", "fieldset", "br",
    };

    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    // Elements whose end tag HTML lets authors leave out: they are not counted, or a page of unclosed <p>s would look deep.
    private static readonly HashSet<string> OptionalEnd = new(StringComparer.Ordinal)
    {
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "option", "optgroup",
        "rb", "rt", "rtc", "rp", "html", "head", "body",
    };

    private static readonly string[] NoteTypes = ["footnote", "endnote", "rearnote", "note", "footnotes", "endnotes", "rearnotes", "doc-footnote", "doc-endnote", "doc-footnotes", "doc-endnotes"];

    /// <summary>The deepest element nesting <see cref="Parse"/> accepts; real books stay far under it.</summary>
    public const int MaxDepth = 1000;

    /// <summary>
    /// Estimates how deeply <paramref name="html"/> nests its elements — every element but the void ones and those whose
    /// end tag may be left out (<c>p</c>, <c>li</c>, table rows and cells), custom ones included — in one linear pass.
    /// The HTML parser's cost grows with the square of nesting depth, so <see cref="Parse"/> refuses a document past
    /// <see cref="MaxDepth"/> before parsing it.
    /// </summary>
    public static int EstimateDepth(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        int depth = 0, deepest = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            var closing = html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && end - start < 12 && char.IsAsciiLetterOrDigit(html[end]))
            {
                end++;
            }

            if (end == start || Void.Contains(html[start..end]) || OptionalEnd.Contains(html[start..end].ToLowerInvariant()))
            {
                continue;
            }

            var close = html.IndexOf('>', end);
            if (!closing && close > 0 && html[close - 1] == '/')
            {
                continue;
            }

            depth = closing ? Math.Max(0, depth - 1) : depth + 1;
            deepest = Math.Max(deepest, depth);
        }

        return deepest;
    }

    /// <summary>Parses HTML or XHTML. Self-closed non-void elements (<c>&lt;a id="x"/&gt;</c>, legal in XHTML) are opened and closed first, so the HTML parser does not let them swallow what follows. Nothing is fetched; entities in a DTD are not expanded.</summary>
    /// <exception cref="DocumentException">The elements nest deeper than <see cref="MaxDepth"/>.</exception>
    public static IHtmlDocument Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (EstimateDepth(html) > MaxDepth)
        {
            throw new DocumentException($"The document nests its elements more than {MaxDepth} levels deep.", ErrorCodes.DocumentInvalid);
        }

        // An XHTML DOCTYPE's internal subset is dropped unread: the HTML parser would show it as text, never expand it.
        var fixedUp = SelfClosed().Replace(Doctype().Replace(html, "<!DOCTYPE html>", 1), m => Void.Contains(m.Groups[1].Value) ? m.Value : $"<{m.Groups[1].Value}{m.Groups[2].Value}></{m.Groups[1].Value}>");
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, IsNotConsumingCharacterReferences = false });
        return parser.ParseDocument(fixedUp);
    }

    /// <summary>Extracts the blocks of <paramref name="root"/> (usually the body).</summary>
    public static IReadOnlyList<HtmlBlock> Extract(IElement root) => Split(root, new HashSet<string>(StringComparer.Ordinal))[0].Blocks;

    /// <summary>
    /// Extracts the blocks of <paramref name="root"/> split where an element whose id is in <paramref name="anchorIds"/>
    /// begins: the first segment (anchor <see langword="null"/>) holds what comes before the first such element; each
    /// anchor found starts the next one. Anchors the document lacks get no segment.
    /// </summary>
    public static IReadOnlyList<HtmlSegment> Split(IElement root, IReadOnlySet<string> anchorIds)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(anchorIds);
        return new Walker(anchorIds).Run(root);
    }

    /// <summary>The paragraphs to read: the blocks' texts, without the headings that open them.</summary>
    public static IReadOnlyList<string> Paragraphs(IEnumerable<HtmlBlock> blocks)
        => [.. blocks.SkipWhile(b => b.IsHeading).Select(b => b.Text)];

    /// <summary>The plain text of an HTML fragment (a description), blocks separated by a blank line.</summary>
    public static string ToPlainText(string html)
    {
        using var document = Parse($"<html><body>{html}</body></html>");
        return string.Join("\n\n", Extract(document.Body!).Select(b => b.Text));
    }

    /// <summary>The <c>epub:type</c> and <c>role</c> values of an element, lower-case.</summary>
    public static string TypesOf(IElement element)
        => $"{element.GetAttribute("epub:type")} {element.GetAttribute("role")}".Trim().ToLowerInvariant();

    private static bool IsNote(IElement element)
    {
        var types = TypesOf(element);
        if (types.Length > 0)
        {
            foreach (var t in types.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (NoteTypes.Contains(t) || t is "noteref" or "doc-noteref" or "pagebreak" or "doc-pagebreak")
                {
                    return true;
                }
            }
        }

        // Markdig and most HTML exporters write their notes as <section class="footnotes"> (or id="footnotes").
        if (element.ClassList.Contains("footnotes") || (element.LocalName == "section" && element.Id == "footnotes"))
        {
            return true;
        }

        if (element.LocalName == "aside" && (element.ClassName ?? string.Empty).Contains("note", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return element.LocalName switch
        {
            "sup" or "sub" => element.QuerySelectorAll("a[href]").Any(a => a.GetAttribute("href")!.Contains('#', StringComparison.Ordinal)),
            "a" => (element.GetAttribute("href") ?? string.Empty).Contains('#', StringComparison.Ordinal) && NoteMark().IsMatch(element.TextContent.Trim()),
            _ => false,
        };
    }

    [GeneratedRegex(@"<!DOCTYPE[^\[>]*\[[^\]]*\]\s*>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Doctype();

    // Greedy and bounded by the next angle bracket, so hostile input cannot make it backtrack quadratically.
    [GeneratedRegex(@"<([a-zA-Z][\w:.-]*)(\s[^<>]*)?/>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SelfClosed();

    [GeneratedRegex(@"^[\[(]?(?:\d{1,4}|[*†‡§¶]{1,3})[\])]?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NoteMark();

    private sealed class Walker(IReadOnlySet<string> anchors)
    {
        private readonly List<HtmlSegment> _segments = [];
        private readonly StringBuilder _inline = new();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private List<HtmlBlock> _blocks = [];
        private string? _anchor;
        private StringBuilder _types = new();
        private string? _blockLanguage;
        private bool _blockHeading;
        private int _headingDepth;
        private bool _hasText;

        public List<HtmlSegment> Run(IElement root)
        {
            _types.Append(TypesOf(root));
            var languages = new Stack<string?>();
            languages.Push(LanguageOf(root) ?? InheritedLanguage(root));
            var stack = new Stack<(INode Node, bool Exit)>();
            PushChildren(stack, root);
            while (stack.Count > 0)
            {
                var (node, exit) = stack.Pop();
                if (node is IElement element)
                {
                    if (exit)
                    {
                        languages.Pop();
                        if (IsHeading(element.LocalName))
                        {
                            _headingDepth--;
                        }

                        if (Blocks.Contains(element.LocalName))
                        {
                            Flush();
                        }

                        continue;
                    }

                    Enter(element, languages, stack);
                }
                else if (node.NodeType == NodeType.Text)
                {
                    var data = ((IText)node).Data;
                    if (!_hasText)
                    {
                        if (string.IsNullOrWhiteSpace(data))
                        {
                            continue;
                        }

                        _inline.Clear();
                        _hasText = true;
                        _blockLanguage = languages.Peek();
                        _blockHeading = _headingDepth > 0;
                    }

                    _inline.Append(data);
                }
            }

            Flush();
            _segments.Add(new HtmlSegment(_anchor, _blocks, _types.ToString().Trim()));
            return _segments;
        }

        private void Enter(IElement element, Stack<string?> languages, Stack<(INode Node, bool Exit)> stack)
        {
            var name = element.LocalName;
            var id = element.Id;
            if (id is not null && anchors.Contains(id) && _seen.Add(id))
            {
                Flush();
                _segments.Add(new HtmlSegment(_anchor, _blocks, _types.ToString().Trim()));
                _blocks = [];
                _anchor = id;
                _types = new StringBuilder();
                for (var e = element; e is not null; e = e.ParentElement)
                {
                    _types.Append(TypesOf(e)).Append(' ');
                }
            }
            else if (_blocks.Count == 0 && _inline.Length == 0 && name is "section" or "article" or "div" or "main" or "header")
            {
                _types.Append(' ').Append(TypesOf(element));
            }

            if (Skipped.Contains(name) || IsNote(element))
            {
                // An anchor inside skipped content still splits, so look for ids below it.
                foreach (var inner in element.QuerySelectorAll("[id]"))
                {
                    if (anchors.Contains(inner.Id!) && _seen.Add(inner.Id!))
                    {
                        Flush();
                        _segments.Add(new HtmlSegment(_anchor, _blocks, _types.ToString().Trim()));
                        _blocks = [];
                        _anchor = inner.Id;
                        _types = new StringBuilder(TypesOf(inner));
                    }
                }

                return;
            }

            if (Blocks.Contains(name))
            {
                Flush();
            }

            if (IsHeading(name))
            {
                _headingDepth++;
            }

            languages.Push(LanguageOf(element) ?? languages.Peek());
            stack.Push((element, true));
            PushChildren(stack, element);
        }

        private static void PushChildren(Stack<(INode Node, bool Exit)> stack, INode node)
        {
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push((child, false));
            }
        }

        private void Flush()
        {
            if (_inline.Length == 0)
            {
                return;
            }

            var text = TextCleanup.Clean(_inline.ToString());
            _inline.Clear();
            _hasText = false;
            if (text.Length > 0)
            {
                _blocks.Add(new HtmlBlock(text, _blockHeading, _blockLanguage));
            }
        }

        private static bool IsHeading(string name) => name is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";

        private static string? LanguageOf(IElement element)
        {
            var lang = element.GetAttribute("xml:lang") ?? element.GetAttribute("lang");
            return string.IsNullOrWhiteSpace(lang) ? null : lang.Trim();
        }

        private static string? InheritedLanguage(IElement element)
        {
            for (var e = element.ParentElement; e is not null; e = e.ParentElement)
            {
                if (LanguageOf(e) is { } lang)
                {
                    return lang;
                }
            }

            return null;
        }
    }
}
