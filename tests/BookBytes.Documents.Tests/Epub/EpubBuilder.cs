using System.IO.Compression;
using System.Text;

namespace BookBytes.Documents.Tests.Epub;

/// <summary>Writes small EPUBs (and broken ones) in memory for the tests.</summary>
internal sealed class EpubBuilder
{
    private readonly List<(string Name, Action<Stream> Write)> _entries = [];

    public EpubBuilder(bool withMimetype = true)
    {
        if (withMimetype)
        {
            Add("mimetype", "application/epub+zip");
        }
    }

    public static string Container(string opfPath = "OEBPS/content.opf") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles><rootfile full-path="{opfPath}" media-type="application/oebps-package+xml"/></rootfiles>
        </container>
        """;

    public static string Xhtml(string body, string bodyAttributes = "", string title = "t") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en">
        <head><title>{title}</title></head>
        <body {bodyAttributes}>{body}</body>
        </html>
        """;

    public static string Package(string metadata, string manifest, string spine, string version = "3.0", string spineAttributes = "", string guide = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">{metadata}</metadata>
          <manifest>{manifest}</manifest>
          <spine {spineAttributes}>{spine}</spine>
          {guide}
        </package>
        """;

    /// <summary>Manifest items and spine itemrefs for XHTML files, in order.</summary>
    public static (string Manifest, string Spine) Items(params string[] files)
        => (string.Concat(files.Select(f => $"""<item id="{Id(f)}" href="{f}" media-type="application/xhtml+xml"/>""")),
            string.Concat(files.Select(f => $"""<itemref idref="{Id(f)}"/>""")));

    public static string Id(string file) => "i-" + file.Replace('.', '-').Replace('/', '-');

    public EpubBuilder Add(string name, string text) => Add(name, Encoding.UTF8.GetBytes(text));

    public EpubBuilder Add(string name, byte[] bytes)
    {
        _entries.Add((name, s => s.Write(bytes)));
        return this;
    }

    public EpubBuilder AddStreamed(string name, Action<Stream> write)
    {
        _entries.Add((name, write));
        return this;
    }

    public EpubBuilder Standard(string opf)
        => Add("META-INF/container.xml", Container()).Add("OEBPS/content.opf", opf);

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, write) in _entries)
            {
                var entry = zip.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var stream = entry.Open();
                write(stream);
            }
        }

        return buffer.ToArray();
    }
}
