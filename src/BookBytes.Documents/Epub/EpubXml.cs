using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace BookBytes.Documents.Epub;

/// <summary>
/// Loads the EPUB's own XML (container, package document, NCX, encryption) safely: no DTD (so no entity
/// expansion and no external entity), no resolver, bounded size.
/// </summary>
/// <remarks>
/// The one DOCTYPE accepted is the standard NCX one with no internal subset
/// (<c>&lt;!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "…"&gt;</c>, in most EPUB 2 files): it is skipped unread.
/// Thread-safe.
/// </remarks>
internal static partial class EpubXml
{
    /// <summary>The deepest nesting a container, package document or NCX may have; real ones stay under 10.</summary>
    internal const int MaxDepth = 256;

    /// <summary>Parses <paramref name="bytes"/> as XML.</summary>
    /// <param name="bytes">The entry's bytes.</param>
    /// <param name="what">What the entry is, for the message (for example <c>package document (OEBPS/content.opf)</c>).</param>
    /// <param name="allowNcxDoctype">Whether the standard NCX DOCTYPE is accepted.</param>
    /// <exception cref="DocumentException">The XML declares a DTD, nests deeper than <see cref="MaxDepth"/> or is not well-formed.</exception>
    public static XDocument Load(byte[] bytes, string what, bool allowNcxDoctype = false)
    {
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        var hasDoctype = head.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
        var skip = hasDoctype && allowNcxDoctype && NcxDoctype().IsMatch(head);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = skip ? DtdProcessing.Ignore : DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = Math.Max(1024, (long)bytes.Length * 4),
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            // A first pass bounds the nesting: LINQ to XML reads an element's text recursively, so a deep enough
            // tree would overflow the stack, which no handler can catch.
            using (var probe = XmlReader.Create(new MemoryStream(bytes, writable: false), settings))
            {
                while (probe.Read())
                {
                    if (probe.Depth > MaxDepth)
                    {
                        throw new DocumentException($"The EPUB's {what} nests its XML more than {MaxDepth} levels deep.", ErrorCodes.DocumentInvalid);
                    }
                }
            }

            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader);
        }
        catch (XmlException ex) when (hasDoctype && !skip || ex.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new DocumentException($"The EPUB's {what} declares a DTD (<!DOCTYPE>), which is refused: its entities could expand without bound or read other files.", ErrorCodes.DocumentInvalid, ex);
        }
        catch (XmlException ex)
        {
            throw new DocumentException($"The EPUB's {what} is not well-formed XML (line {ex.LineNumber}).", ErrorCodes.DocumentInvalid, ex);
        }
    }

    /// <summary>The elements below <paramref name="root"/> with that local name, whatever their namespace.</summary>
    public static IEnumerable<XElement> Named(this XContainer root, string localName)
        => root.Descendants().Where(e => e.Name.LocalName == localName);

    /// <summary>An attribute by local name, whatever its namespace.</summary>
    public static string? Attr(this XElement element, string localName)
        => element.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value;

    [GeneratedRegex(@"<!DOCTYPE\s+ncx\s+PUBLIC\s+""-//NISO//DTD ncx 2005-1//EN""\s+""[^""\[<>]*""\s*>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NcxDoctype();
}
