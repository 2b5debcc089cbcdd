using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BookBytes.Documents.Tests.Epub;
using BookBytes.Documents.Tests.Pdf;
using static BookBytes.Documents.Tests.Epub.EpubBuilder;

namespace BookBytes.WebHost.Tests;

/// <summary>Hostile and broken documents through <c>POST /api/v1/books/upload</c>: each a problem with a stable code, fast, and the host still well afterwards.</summary>
public sealed class HostileUploadTests(ApiOnlyHost host) : IClassFixture<ApiOnlyHost>
{
    private const string Epub = "application/epub+zip";

    private readonly HttpClient _client = host.CreateClient();

    public static TheoryData<string, string, HttpStatusCode, string> Cases() => new()
    {
        { "not a zip", Epub, HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "truncated zip", Epub, HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "drm", Epub, HttpStatusCode.UnprocessableEntity, "DOCUMENT_ENCRYPTED" },
        { "zip bomb", Epub, HttpStatusCode.RequestEntityTooLarge, "DOCUMENT_TOO_LARGE" },
        { "thousands of entries", Epub, HttpStatusCode.RequestEntityTooLarge, "DOCUMENT_TOO_LARGE" },
        { "billion laughs", Epub, HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "xxe", Epub, HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "looping pdf", "application/pdf", HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "binary as text", "text/plain", HttpStatusCode.UnprocessableEntity, "DOCUMENT_INVALID" },
        { "word file", "application/msword", HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_upload_is_a_problem_quickly_and_the_host_stays_healthy(string what, string mediaType, HttpStatusCode status, string code)
    {

        var response = await _client.PostAsync("/api/v1/books/upload", new ByteArrayContent(Build(what)) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } });

        var problem = await response.ShouldBeProblemAsync(status, code);
        var detail = problem.GetProperty("detail").GetString();
        detail.Should().NotBeNullOrWhiteSpace().And.NotContain("root:", "no file of the server is ever read into an answer");
        (await _client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Entry_names_that_climb_out_of_the_archive_write_nothing_outside_the_storage_root()
    {
        var (manifest, spine) = Items("a.xhtml");
        var epub = new EpubBuilder().Standard(Package("<dc:title>Climber</dc:title>", manifest, spine))
            .Add("OEBPS/a.xhtml", Xhtml("<h1>One</h1><p>Only this.</p>"))
            .Add("../../escaped.txt", "out")
            .Add("/tmp/absolute-escape.txt", "out")
            .Build();

        var response = await _client.PostAsync("/api/v1/books/upload", new ByteArrayContent(epub) { Headers = { ContentType = new MediaTypeHeaderValue(Epub) } });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        File.Exists("/tmp/absolute-escape.txt").Should().BeFalse();
        Directory.EnumerateFiles(Path.GetDirectoryName(host.Root)!, "escaped.txt", SearchOption.TopDirectoryOnly).Should().BeEmpty();
        Directory.EnumerateFiles(host.Root, "*escape*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    private static byte[] Build(string what)
    {
        var (manifest, spine) = Items("a.xhtml");
        var minimal = new EpubBuilder().Standard(Package("<dc:title>T</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>" + new string(' ', 4000)));
        return what switch
        {
            "not a zip" => Encoding.UTF8.GetBytes("this is not a zip at all"),
            "truncated zip" => minimal.Build()[..600],
            "drm" => new EpubBuilder().Standard(Package("<dc:title>T</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>"))
                .Add("META-INF/encryption.xml", """
                    <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
                      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData>
                    </encryption>
                    """).Build(),
            "zip bomb" => new EpubBuilder().Standard(Package("<dc:title>Bomb</dc:title>", Items("bomb.xhtml").Manifest, Items("bomb.xhtml").Spine))
                .AddStreamed("OEBPS/bomb.xhtml", s =>
                {
                    var zeros = new byte[1024 * 1024];
                    for (var i = 0; i < 200; i++)
                    {
                        s.Write(zeros);
                    }
                }).Build(),
            "thousands of entries" => Many(),
            "billion laughs" => new EpubBuilder().Standard("""
                <?xml version="1.0"?>
                <!DOCTYPE package [
                  <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
                  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
                ]>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&f;</dc:title></metadata>
                <manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>
                """).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>")).Build(),
            "xxe" => new EpubBuilder().Standard("""
                <?xml version="1.0"?>
                <!DOCTYPE package [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&secret;</dc:title></metadata>
                <manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>
                """).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>")).Build(),
            "looping pdf" => HandMadePdf.Build(string.Empty, "<< /Type /Catalog /Pages 2 0 R >>", "2 0 R"),
            "binary as text" => [0x00, 0x01, 0x02, 0xFF, 0x00, 0x10, 0x00, 0x00],
            "word file" => Encoding.UTF8.GetBytes("a document of a kind nobody reads"),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
    }

    private static byte[] Many()
    {
        var builder = new EpubBuilder().Standard(Package("<dc:title>Many</dc:title>", Items("a.xhtml").Manifest, Items("a.xhtml").Spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>"));
        for (var i = 0; i < 10_001; i++)
        {
            builder.Add($"OEBPS/x/{i}.txt", "x");
        }

        return builder.Build();
    }
}
