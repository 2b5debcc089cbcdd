using System.Text;
using System.Text.RegularExpressions;
using BookBytes.Documents.Html;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Epub;

/// <summary>
/// Reads EPUB 2 and 3 (<c>application/epub+zip</c>): metadata from the package document, chapters from the EPUB 3
/// navigation document, else the EPUB 2 NCX, else the spine; text from the XHTML by <see cref="HtmlText"/>.
/// </summary>
/// <remarks>See the package README for what is read and refused. Stateless and thread-safe.</remarks>
internal sealed partial class EpubReader : IBookDocumentReader
{
    private const string MediaType = "application/epub+zip";

    private static readonly HashSet<string> FontObfuscation = new(StringComparer.Ordinal)
    {
        "http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = [MediaType];

    /// <inheritdoc />
    public DocumentMatch Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30 || !head.StartsWith("PK\u0003\u0004"u8))
        {
            return DocumentMatch.No;
        }

        var nameLength = head[26] | (head[27] << 8);
        var extraLength = head[28] | (head[29] << 8);
        var data = 30 + nameLength + extraLength;
        if (nameLength == 8 && head.Length >= data + 20 && head.Slice(30, 8).SequenceEqual("mimetype"u8) && head.Slice(data, 20).SequenceEqual("application/epub+zip"u8))
        {
            return DocumentMatch.Certain;
        }

        // Another zip may still be an EPUB written carelessly (mimetype compressed or not first): let a declared type decide.
        return DocumentMatch.Maybe;
    }

    /// <inheritdoc />
    public Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        using var archive = EpubArchive.Open(input.Content, input.Limits, cancellationToken);
        return Task.FromResult(Read(archive, input.Limits, cancellationToken));
    }

    private static BookDocument Read(EpubArchive archive, DocumentLimits limits, CancellationToken cancellationToken)
    {
        RefuseEncrypted(archive);
        var container = EpubXml.Load(archive.Read("META-INF/container.xml", "container file"), "container file (META-INF/container.xml)");
        var rootfiles = container.Named("rootfile").ToList();
        var rootfile = rootfiles.FirstOrDefault(r => r.Attr("media-type") == "application/oebps-package+xml") ?? rootfiles.FirstOrDefault();
        var opfPath = rootfile?.Attr("full-path") is { } full ? EpubPath.Resolve(string.Empty, full)?.Path : null;
        if (opfPath is null)
        {
            throw new DocumentException("The EPUB's container file (META-INF/container.xml) names no package document.", ErrorCodes.DocumentInvalid);
        }

        var package = EpubPackage.Parse(archive.Read(opfPath, "package document named by META-INF/container.xml"), opfPath);
        var spine = package.Spine.Where(s => s.Item.MediaType is "application/xhtml+xml" or "text/html" or "application/xml" or "" && archive.Contains(s.Item.Path)).ToList();
        if (spine.Count == 0)
        {
            throw new DocumentException($"The EPUB's package document ({opfPath}) lists no readable content documents in its spine.", ErrorCodes.DocumentInvalid);
        }

        var toc = new List<EpubNavEntry>();
        var landmarks = new List<EpubNavEntry>(package.Guide);
        if (package.Nav is { } nav && archive.TryRead(nav.Path) is { } navBytes)
        {
            var (entries, marks) = EpubNavigation.FromNav(Decode(navBytes), nav.Path);
            toc = entries;
            landmarks.InsertRange(0, marks);
        }

        if (toc.Count == 0 && package.Ncx is { } ncx && archive.TryRead(ncx.Path) is { } ncxBytes)
        {
            toc = EpubNavigation.FromNcx(ncxBytes, ncx.Path);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < spine.Count; i++)
        {
            index.TryAdd(spine[i].Item.Path, i);
        }

        toc = [.. toc.Where(e => index.ContainsKey(e.Path))];
        var anchors = spine.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        foreach (var entry in toc.Concat(landmarks))
        {
            if (entry.Fragment is not null && index.TryGetValue(entry.Path, out var at))
            {
                anchors[at].Add(entry.Fragment);
            }
        }

        var files = new List<ContentFile>(spine.Count);
        string? contentLanguage = null;
        for (var i = 0; i < spine.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = archive.Read(spine[i].Item.Path, "content document listed in the spine");
            var html = Decode(bytes);
            using var document = HtmlText.Parse(html);
            var body = document.Body ?? document.DocumentElement;
            contentLanguage ??= document.DocumentElement.GetAttribute("xml:lang") ?? document.DocumentElement.GetAttribute("lang");
            var segments = HtmlText.Split(body, anchors[i]);
            files.Add(new ContentFile(spine[i].Item.Path, spine[i].Linear, segments, TextCleanup.Normalize(document.Title ?? string.Empty)));
        }

        var language = package.Language ?? (string.IsNullOrWhiteSpace(contentLanguage) ? "und" : contentLanguage.Trim());
        var drafts = toc.Count > 0 ? FromToc(toc, files, index, landmarks) : FromSpine(files, landmarks);
        if (drafts.Count > limits.MaxChapters)
        {
            throw new DocumentException($"The EPUB has {drafts.Count} chapters; at most {limits.MaxChapters} are accepted.", ErrorCodes.DocumentTooLarge);
        }

        var chapters = Finish(drafts, BodyStart(files, index, landmarks), language);
        var cover = package.Cover is { } c && archive.TryRead(c.Path) is { } image ? new DocumentCover(image, c.MediaType) : null;
        var identifiers = package.Identifiers;
        return new BookDocument
        {
            Title = package.Title ?? chapters.FirstOrDefault()?.Title ?? "Untitled",
            Authors = package.Authors,
            Language = language,
            Identifiers = identifiers,
            Isbn13 = identifiers.Select(Isbn.ToIsbn13).FirstOrDefault(i => i is not null),
            Description = package.Description is { } d ? NullIfEmpty(HtmlText.ToPlainText(d)) : null,
            Cover = cover,
            Chapters = chapters,
        };
    }

    private static void RefuseEncrypted(EpubArchive archive)
    {
        if (archive.TryRead("META-INF/encryption.xml") is not { } bytes)
        {
            return;
        }

        var xml = EpubXml.Load(bytes, "encryption file (META-INF/encryption.xml)");
        var encrypted = xml.Named("EncryptedData")
            .Count(d => d.Named("EncryptionMethod").FirstOrDefault()?.Attr("Algorithm") is not { } algorithm || !FontObfuscation.Contains(algorithm.Trim()));
        if (encrypted > 0)
        {
            throw new DocumentException($"The EPUB is encrypted (DRM): META-INF/encryption.xml lists {encrypted} encrypted entries. Upload a DRM-free copy.", ErrorCodes.DocumentEncrypted);
        }
    }

    private static List<Draft> FromToc(List<EpubNavEntry> toc, List<ContentFile> files, Dictionary<string, int> index, List<EpubNavEntry> landmarks)
    {
        var positioned = toc.Select((e, order) => (Entry: e, Pos: Position(files, index[e.Path], e.Fragment), Order: order))
            .OrderBy(p => p.Pos.File).ThenBy(p => p.Pos.Segment).ThenBy(p => p.Order).ToList();
        var drafts = new List<Draft>();

        // What comes before the first entry (a cover, a title page the contents leave out): one chapter per file, front matter unless it says otherwise.
        var first = positioned[0].Pos;
        for (var f = 0; f <= first.File; f++)
        {
            var end = f == first.File ? first.Segment : files[f].Segments.Count;
            var blocks = files[f].Segments.Take(end).SelectMany(s => s.Blocks).ToList();
            if (blocks.Count > 0 && files[f].Linear)
            {
                var segment = files[f].Segments[0];
                drafts.Add(new Draft(segment.Title ?? NullIfEmpty(files[f].Title), 0, blocks, KindOf(files[f], 0, segment, landmarks) ?? ChapterKind.Front, (f, 0)));
            }
        }

        for (var i = 0; i < positioned.Count; i++)
        {
            var (entry, from, _) = positioned[i];
            var to = i + 1 < positioned.Count ? positioned[i + 1].Pos : (File: files.Count, Segment: 0);
            var blocks = new List<HtmlBlock>();
            for (var f = from.File; f <= Math.Min(to.File, files.Count - 1); f++)
            {
                if (f != from.File && !files[f].Linear)
                {
                    continue;
                }

                var start = f == from.File ? from.Segment : 0;
                var end = f == to.File ? to.Segment : files[f].Segments.Count;
                for (var s = start; s < end; s++)
                {
                    blocks.AddRange(files[f].Segments[s].Blocks);
                }
            }

            var opening = files[from.File].Segments[from.Segment];
            drafts.Add(new Draft(NullIfEmpty(entry.Title) ?? opening.Title, entry.Level, blocks, KindOf(files[from.File], from.Segment, opening, landmarks), from));
        }

        return drafts;
    }

    private static List<Draft> FromSpine(List<ContentFile> files, List<EpubNavEntry> landmarks)
    {
        var drafts = new List<Draft>();
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var blocks = file.Segments.SelectMany(s => s.Blocks).ToList();
            if (file.Linear && blocks.Count > 0)
            {
                var title = blocks.FirstOrDefault(b => b.IsHeading)?.Text ?? NullIfEmpty(file.Title);
                drafts.Add(new Draft(title, 0, blocks, KindOf(file, 0, file.Segments[0], landmarks), (f, 0)));
            }
        }

        return drafts;
    }

    // Where the landmarks or guide say the body begins (bodymatter, EPUB 2 "text"); unmarked chapters before it are front matter.
    private static (int File, int Segment)? BodyStart(List<ContentFile> files, Dictionary<string, int> index, List<EpubNavEntry> landmarks)
    {
        foreach (var mark in landmarks)
        {
            if (mark.Type is not null && mark.Type.Split(' ').Any(t => t is "bodymatter" or "text" or "start") && index.TryGetValue(mark.Path, out var file))
            {
                return Position(files, file, mark.Fragment);
            }
        }

        return null;
    }

    private static List<DocumentChapter> Finish(List<Draft> drafts, (int File, int Segment)? bodyStart, string language)
    {
        var chapters = new List<DocumentChapter>(drafts.Count);
        var bodySeen = false;
        foreach (var draft in drafts)
        {
            var number = chapters.Count + 1;
            var title = draft.Title ?? $"Chapter {number}";
            var beforeBody = bodyStart is { } start && (draft.Pos.File < start.File || (draft.Pos.File == start.File && draft.Pos.Segment < start.Segment));
            var kind = draft.Kind ?? MatterTitles.Classify(title) ?? (beforeBody ? ChapterKind.Front : ChapterKind.Body);

            // Matter is placed by where it stands: before the first body chapter it is front matter, after it back matter.
            if (kind != ChapterKind.Body)
            {
                kind = bodySeen ? ChapterKind.Back : ChapterKind.Front;
            }

            bodySeen |= kind == ChapterKind.Body;
            var chapterLanguage = draft.Blocks.Where(b => b.Language is not null).GroupBy(b => b.Language!, StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(g => g.Sum(b => b.Text.Length)).FirstOrDefault()?.Key;
            chapters.Add(new DocumentChapter(number, title, draft.Level, kind, HtmlText.Paragraphs(draft.Blocks),
                chapterLanguage is not null && !string.Equals(chapterLanguage, language, StringComparison.OrdinalIgnoreCase) ? chapterLanguage : null));
        }

        return chapters;
    }

    private static ChapterKind? KindOf(ContentFile file, int segmentIndex, HtmlSegment segment, List<EpubNavEntry> landmarks)
    {
        if (EpubSemantics.KindOf(segment.Types) is { } declared)
        {
            return declared;
        }

        var anchor = segment.AnchorId;
        foreach (var mark in landmarks)
        {
            if (mark.Path == file.Path && (mark.Fragment == anchor || (segmentIndex == 0 && mark.Fragment is null)) && EpubSemantics.KindOf(mark.Type) is { } kind)
            {
                return kind;
            }
        }

        return null;
    }

    private static (int File, int Segment) Position(List<ContentFile> files, int file, string? fragment)
    {
        if (fragment is not null)
        {
            var segments = files[file].Segments;
            for (var s = 1; s < segments.Count; s++)
            {
                if (segments[s].AnchorId == fragment)
                {
                    return (file, s);
                }
            }
        }

        return (file, 0);
    }

    private static string Decode(byte[] bytes)
    {
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        if (XmlEncoding().Match(head) is { Success: true } match)
        {
            try
            {
                var encoding = Encoding.GetEncoding(match.Groups[1].Value);
                if (encoding.CodePage != Encoding.UTF8.CodePage)
                {
                    return encoding.GetString(bytes);
                }
            }
            catch (ArgumentException)
            {
                // An unknown encoding name: read as UTF-8, as most EPUBs are.
            }
        }

        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    [GeneratedRegex(@"^\s*<\?xml[^>]*encoding\s*=\s*[""']([A-Za-z0-9._-]+)[""']", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex XmlEncoding();

    private sealed record ContentFile(string Path, bool Linear, IReadOnlyList<HtmlSegment> Segments, string Title);

    private sealed record Draft(string? Title, int Level, List<HtmlBlock> Blocks, ChapterKind? Kind, (int File, int Segment) Pos);
}
