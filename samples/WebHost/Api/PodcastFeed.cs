using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using BookBytes.AudioBooks;
using BookBytes.Pipeline.Processing;
using BookBytes.Tts;
using BookBytes.WebHost.Security;

namespace BookBytes.WebHost.Api;

/// <summary>
/// An audiobook as a podcast: RSS 2.0 with Apple's <c>itunes:</c> namespace, one item per stored chapter in order
/// (<c>itunes:type</c> serial, <c>itunes:episode</c> = chapter number), built with <see cref="SyndicationFeed"/> and an
/// <see cref="XmlWriter"/> — never by concatenating strings — so hostile titles and summaries stay text.
/// </summary>
internal static class PodcastFeed
{
    public const string ContentType = "application/rss+xml; charset=utf-8";

    private const string ITunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

    /// <summary>Writes the feed.</summary>
    /// <param name="details">The audiobook, its edition and its served version's chapters.</param>
    /// <param name="baseUrl">This host's absolute base URL (scheme, host and path base), for the links.</param>
    /// <param name="tokens">Signs the links when the host requires API keys.</param>
    /// <returns>The feed's UTF-8 bytes.</returns>
    public static byte[] Write(AudioBookDetails details, Uri baseUrl, FeedTokens tokens)
    {
        var book = details.AudioBook;
        var edition = details.Edition;
        string Absolute(string path) => new Uri(baseUrl, tokens.Sign(path, book.Id)).AbsoluteUri;

        var author = edition.Authors.Count > 0 ? string.Join(", ", edition.Authors) : "Unknown author";
        var what = book.Mode == AudioBookMode.Narration ? "read in full" : "summarised chapter by chapter";
        var feed = new SyndicationFeed(
            edition.Title,
            edition.Description ?? $"{edition.Title} by {author}, {what} by BookBytes.",
            new Uri(baseUrl, "/"))
        {
            Language = edition.Language,
            LastUpdatedTime = book.UpdatedAt,
            Generator = "BookBytes",
        };
        feed.Authors.Add(new SyndicationPerson { Name = author });
        feed.ElementExtensions.Add("author", ITunes, author);
        feed.ElementExtensions.Add("type", ITunes, "serial");
        feed.ElementExtensions.Add("explicit", ITunes, "false");
        feed.ElementExtensions.Add("summary", ITunes, feed.Description.Text);
        feed.ElementExtensions.Add(Element("category", ("text", "Arts"), child: Element("category", ("text", "Books"))));
        if (AudioBookResponse.HasCover(edition))
        {
            var cover = Absolute(ApiRoutes.Cover(book.Id));
            feed.ImageUrl = new Uri(cover);
            feed.ElementExtensions.Add(Element("image", ("href", cover)));
        }

        var items = new List<SyndicationItem>();
        foreach (var chapter in details.Chapters.Where(c => c.Status == ChapterStatus.Completed && c.AudioKey is not null).OrderBy(c => c.Number))
        {
            var description = chapter.Summary ?? $"Chapter {chapter.Number} of {edition.Title}, {what}.";
            var item = new SyndicationItem(chapter.Title, description, null)
            {
                // Stable for this version: a refresh that builds a new version gives its chapters new GUIDs (new episodes).
                Id = string.Create(CultureInfo.InvariantCulture, $"bookbytes:{book.Id:D}:v{book.Version}:chapter-{chapter.Number}"),
                PublishDate = chapter.UpdatedAt,
            };
            item.Links.Add(SyndicationLink.CreateMediaEnclosureLink(
                new Uri(Absolute(ApiRoutes.ChapterAudio(book.Id, chapter.Number))),
                MediaTypeOf(chapter.AudioKey!),
                chapter.AudioSizeBytes ?? 0));
            item.ElementExtensions.Add("episode", ITunes, chapter.Number.ToString(CultureInfo.InvariantCulture));
            item.ElementExtensions.Add("episodeType", ITunes, "full");
            item.ElementExtensions.Add("title", ITunes, chapter.Title);
            item.ElementExtensions.Add("duration", ITunes, ((long)Math.Round(chapter.DurationSeconds ?? 0)).ToString(CultureInfo.InvariantCulture));
            item.ElementExtensions.Add("summary", ITunes, description);
            items.Add(item);
        }

        feed.Items = items;
        var document = new System.Xml.Linq.XDocument();
        using (var writer = document.CreateWriter())
        {
            new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false).WriteTo(writer);
        }

        // Podcast apps look for the itunes namespace on <rss> itself, where the formatter does not put it.
        // The extensions come out declaring it as their default namespace: dropped, they take the itunes: prefix apps read.
        document.Root!.Add(new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "itunes", ITunes));
        foreach (var element in document.Root.Descendants())
        {
            System.Xml.Linq.Extensions.Remove(element.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == ITunes));
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    private static string MediaTypeOf(string key)
        => AudioFormatExtensions.TryParse(Path.GetExtension(key).TrimStart('.'), out var format) ? format.GetContentType() : "audio/mpeg";

    private static System.Xml.Linq.XElement Element(string name, (string Name, string Value) attribute, System.Xml.Linq.XElement? child = null)
    {
        var ns = System.Xml.Linq.XNamespace.Get(ITunes);
        var element = new System.Xml.Linq.XElement(ns + name, new System.Xml.Linq.XAttribute(attribute.Name, attribute.Value));
        if (child is not null)
        {
            element.Add(child);
        }

        return element;
    }
}
