using System.Net;
using System.Text;

namespace BookBytes.WebHost.Tests;

/// <summary><c>mode</c>, <c>chapters</c> and <c>summaryWords</c> of <c>POST /api/v1/books/process</c>, on an API-only node (jobs stay pending).</summary>
public sealed class ModeAndChapterTests(ApiOnlyHost host) : IClassFixture<ApiOnlyHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Narration_of_a_catalog_edition_is_422_text_required_telling_the_caller_to_upload_the_file()
    {
        var edition = await (await _client.GetAsync($"/api/v1/books/isbn/{FakeOpenLibrary.GodelEscherBach}")).JsonAsync();

        var byId = await _client.PostJsonAsync("/api/v1/books/process", new { editionId = edition.GetProperty("editionId").GetGuid(), mode = "narration" });
        var byIsbn = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach, mode = "Narration" });

        var problem = await byId.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "TEXT_REQUIRED");
        problem.GetProperty("detail").GetString().Should().Contain("Upload the book's file");
        await byIsbn.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "TEXT_REQUIRED");
    }

    [Theory]
    [InlineData("""{"isbn":"978-0-14-032872-1","mode":"poem"}""", "mode")]
    [InlineData("""{"isbn":"978-0-14-032872-1","mode":"1"}""", "mode")]
    [InlineData("""{"isbn":"978-0-14-032872-1","mode":1}""", "mode")]
    [InlineData("""{"isbn":"978-0-14-032872-1","chapters":[0]}""", "chapters")]
    [InlineData("""{"isbn":"978-0-14-032872-1","chapters":[100001]}""", "chapters")]
    [InlineData("""{"isbn":"978-0-14-032872-1","chapters":["one"]}""", "chapters")]
    [InlineData("""{"isbn":"978-0-14-032872-1","chapters":2}""", "chapters")]
    [InlineData("""{"isbn":"978-0-14-032872-1","chapters":[]}""", "chapters")]
    [InlineData("""{"isbn":"978-0-14-032872-1","summaryWords":10}""", "summaryWords")]
    [InlineData("""{"isbn":"978-0-14-032872-1","summaryWords":"long"}""", "summaryWords")]
    public async Task A_bad_mode_chapters_or_summary_length_is_400_naming_the_field_for_process_and_estimate(string body, string field)
    {
        var process = await _client.PostAsync("/api/v1/books/process", new StringContent(body, Encoding.UTF8, "application/json"));
        var estimate = await _client.PostAsync("/api/v1/books/estimate", new StringContent(body, Encoding.UTF8, "application/json"));

        (await process.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors(field).Should().ContainSingle();
        (await estimate.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors(field).Should().ContainSingle();
    }

    [Fact]
    public async Task More_than_2000_chapters_are_refused_before_the_library_sees_them()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach, chapters = Enumerable.Range(1, 2001) });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors("chapters").Should().ContainSingle().Which.Should().Contain("2000");
    }

    [Fact]
    public async Task Chapter_numbers_the_edition_does_not_have_are_400_and_a_summary_length_is_not_for_narration()
    {
        var editionId = await _client.UploadAsync(TestBooks.Pdf("Numbers Not There"));

        var missing = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, chapters = new[] { 2, 7 } });
        var catalog = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = "978-0-14-032872-1", chapters = new[] { 999 } });
        var narrationWords = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration", summaryWords = 200 });

        (await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("chapters").Should().ContainSingle().Which.Should().Contain("no chapter 7");
        (await catalog.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("chapters").Should().ContainSingle();
        (await narrationWords.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("summaryWords").Should().ContainSingle();
    }

    [Fact]
    public async Task A_document_has_a_summary_and_a_narration_audiobook_and_the_same_mode_again_is_409_naming_the_existing_one()
    {
        var editionId = await _client.UploadAsync(TestBooks.Pdf("Two Ways To Hear It"));

        var summary = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, summaryWords = 120, chapters = new[] { 2 } });
        var narration = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "NARRATION" });
        var summaryBody = await summary.JsonAsync();
        var narrationBody = await narration.JsonAsync();
        var again = await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration" });
        var summaryBook = await (await _client.GetAsync($"/api/v1/audiobooks/{summaryBody.GetProperty("audioBookId").GetGuid()}")).JsonAsync();
        var narrationBook = await (await _client.GetAsync($"/api/v1/audiobooks/{narrationBody.GetProperty("audioBookId").GetGuid()}")).JsonAsync();
        var list = await (await _client.GetAsync("/api/v1/audiobooks?pageSize=100")).JsonAsync();

        summary.StatusCode.Should().Be(HttpStatusCode.Accepted, summaryBody.ToString());
        narration.StatusCode.Should().Be(HttpStatusCode.Accepted, narrationBody.ToString());
        narrationBody.GetProperty("audioBookId").GetGuid().Should().NotBe(summaryBody.GetProperty("audioBookId").GetGuid());
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "AUDIOBOOK_EXISTS");
        problem.GetProperty("audioBookId").GetGuid().Should().Be(narrationBody.GetProperty("audioBookId").GetGuid());
        problem.GetProperty("jobId").GetGuid().Should().Be(narrationBody.GetProperty("jobId").GetGuid(), "its job is still pending on this node");
        summaryBook.GetProperty("mode").GetString().Should().Be("summary");
        summaryBook.GetProperty("grounding").GetString().Should().Be("text");
        summaryBook.GetProperty("summaryWords").GetInt32().Should().Be(120);
        narrationBook.GetProperty("mode").GetString().Should().Be("narration");
        narrationBook.GetProperty("grounding").GetString().Should().Be("text");
        narrationBook.GetProperty("summaryWords").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        var items = list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("edition").GetProperty("editionId").GetGuid() == editionId).ToList();
        items.Select(i => i.GetProperty("mode").GetString()).Should().BeEquivalentTo("summary", "narration");
        items.Should().OnlyContain(i => i.GetProperty("grounding").GetString() == "text");
    }

    [Fact]
    public async Task A_catalog_audiobook_is_grounded_in_the_model_with_the_default_summary_length()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.SevenHabits, mode = "summary" })).JsonAsync();

        var book = await (await _client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}")).JsonAsync();

        book.GetProperty("mode").GetString().Should().Be("summary");
        book.GetProperty("grounding").GetString().Should().Be("model");
        book.GetProperty("summaryWords").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }
}
