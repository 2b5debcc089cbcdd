using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BookBytes.Documents.Tests.Pdf;

namespace BookBytes.WebHost.Tests;

/// <summary><c>POST /api/v1/books/upload</c> and <c>GET /api/v1/editions/{id}</c>: books from their own text, hostile uploads refused.</summary>
public sealed class UploadTests(ApiOnlyHost host) : IClassFixture<ApiOnlyHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private static byte[] Pdf(string title) => new PdfBookBuilder { Title = title, Author = "Ada Writer", Bookmarks = true }
        .Section("Contents", "One. Two.")
        .Section("The First Chapter", "It begins on a grey morning, as the river rises and the town wakes to its bells.")
        .Section("The Second Chapter", "By noon the water has reached the square, and nobody is sure what to save first.")
        .Build();

    [Fact]
    public async Task A_raw_pdf_becomes_a_document_edition_with_its_chapters_and_the_same_file_again_is_the_same_edition()
    {
        var pdf = Pdf("The River Book");

        var created = await _client.PostAsync("/api/v1/books/upload", Raw(pdf, "application/pdf"));
        var again = await _client.PostAsync("/api/v1/books/upload", Raw(pdf, "application/pdf"));
        var edition = await created.JsonAsync();
        var id = edition.GetProperty("editionId").GetGuid();
        var read = await _client.GetAsync($"/api/v1/editions/{id}");

        created.StatusCode.Should().Be(HttpStatusCode.Created, edition.ToString());
        created.Headers.Location!.OriginalString.Should().Be($"/api/v1/editions/{id}");
        edition.GetProperty("source").GetString().Should().Be("document");
        edition.GetProperty("title").GetString().Should().Be("The River Book");
        edition.GetProperty("authors").EnumerateArray().Select(a => a.GetString()).Should().Equal("Ada Writer");
        var toc = edition.GetProperty("tableOfContents").EnumerateArray().ToList();
        toc.Select(e => e.GetProperty("title").GetString()).Should().Equal("Contents", "The First Chapter", "The Second Chapter");
        toc.Select(e => e.GetProperty("number").GetInt32()).Should().Equal(1, 2, 3);
        toc.Select(e => e.GetProperty("kind").GetString()).Should().Equal("front", "body", "body");
        toc.Select(e => e.GetProperty("level").GetInt32()).Should().Equal(0, 0, 0);
        toc[1].GetProperty("words").GetInt32().Should().Be(17);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.JsonAsync()).GetProperty("editionId").GetGuid().Should().Be(id);
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        (await read.JsonAsync()).GetProperty("source").GetString().Should().Be("document");
        var sources = Path.Combine(host.Root, "audio", "sources", id.ToString("D"));
        File.ReadAllBytes(Path.Combine(sources, "original.pdf")).Should().Equal(pdf, "the original is kept as uploaded");
        File.ReadAllText(Path.Combine(sources, "book.json")).Should().Contain("grey morning", "the parsed text is kept beside it");
    }

    [Fact]
    public async Task A_browser_form_upload_with_a_file_field_works_and_the_file_name_is_only_a_type_hint()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Pdf("A Form Upload"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "../../etc/evil name.pdf");

        var response = await _client.PostAsync("/api/v1/books/upload", form);

        var edition = await response.JsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, edition.ToString());
        edition.GetProperty("title").GetString().Should().Be("A Form Upload");
        Directory.EnumerateFiles(host.Root, "*evil*", SearchOption.AllDirectories).Should().BeEmpty("names from the upload never reach the disk");
    }

    [Theory]
    [InlineData("application/msword", "UNSUPPORTED_MEDIA_TYPE", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/pdf", "DOCUMENT_INVALID", HttpStatusCode.UnprocessableEntity)]
    public async Task Content_that_is_not_a_readable_document_is_refused_with_a_problem(string mediaType, string code, HttpStatusCode status)
    {
        var response = await _client.PostAsync("/api/v1/books/upload", Raw(Encoding.UTF8.GetBytes("PK\u0003\u0004 not really anything"), mediaType));

        var problem = await response.ShouldBeProblemAsync(status, code);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        (await _client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_form_without_a_file_field_is_400_naming_the_field()
    {
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "text" } };

        var response = await _client.PostAsync("/api/v1/books/upload", form);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("file").Should().ContainSingle();
    }

    [Fact]
    public async Task A_url_encoded_form_is_415_naming_what_to_send()
    {
        var response = await _client.PostAsync("/api/v1/books/upload", new FormUrlEncodedContent(new Dictionary<string, string> { ["file"] = "text" }));

        (await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")).GetProperty("detail").GetString().Should().Contain("multipart/form-data");
    }

    [Fact]
    public async Task An_unknown_edition_is_404()
    {
        var response = await _client.GetAsync($"/api/v1/editions/{Guid.NewGuid()}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "EDITION_NOT_FOUND");
    }

    [Fact]
    public async Task Over_the_upload_limit_is_413_whether_declared_or_streamed_and_the_json_routes_keep_their_limit()
    {
        using var small = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?> { ["BookBytes:Documents:MaxUploadBytes"] = "2000" });
        var client = small.CreateClient();
        var big = new byte[200_000];

        var declared = await client.PostAsync("/api/v1/books/upload", Raw(big, "application/pdf"));
        var streamed = await client.PostAsync("/api/v1/books/upload", new StreamContent(new MemoryStream(big)) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } });
        var json = await client.PostAsync("/api/v1/books/process", new StringContent("{\"isbn\":\"" + new string('9', 70_000) + "\"}", Encoding.UTF8, "application/json"));

        await declared.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "DOCUMENT_TOO_LARGE");
        await streamed.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "DOCUMENT_TOO_LARGE");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(big), "file", "big.pdf" } };
        await (await client.PostAsync("/api/v1/books/upload/", form)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "DOCUMENT_TOO_LARGE");
        await json.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "REQUEST_TOO_LARGE");
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static ByteArrayContent Raw(byte[] content, string mediaType)
        => new(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };
}
