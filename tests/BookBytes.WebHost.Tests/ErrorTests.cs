using System.Net;
using System.Text;

namespace BookBytes.WebHost.Tests;

/// <summary>Every error code of the REST table, produced by a request, on an API-only node (jobs stay pending).</summary>
public sealed class ErrorTests(ApiOnlyHost host) : IClassFixture<ApiOnlyHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Theory]
    [InlineData("978-0-306-40615-8", "check digit")]
    [InlineData("12345", "digits")]
    public async Task A_bad_isbn_in_the_lookup_is_422_isbn_invalid_with_the_reason(string isbn, string reason)
    {
        var response = await _client.GetAsync($"/api/v1/books/isbn/{isbn}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "ISBN_INVALID");
        problem.Errors("isbn").Should().ContainSingle().Which.Should().Contain(reason);
    }

    [Theory]
    [InlineData("/api/v1/jobs/00000000-0000-0000-0000-000000000001/events", "text/event-stream", "JOB_NOT_FOUND")]
    [InlineData("/api/v1/audiobooks/00000000-0000-0000-0000-000000000001/chapters/1/audio", "audio/mpeg", "AUDIOBOOK_NOT_FOUND")]
    [InlineData("/api/v1/audiobooks/00000000-0000-0000-0000-000000000001", "text/html", "AUDIOBOOK_NOT_FOUND")]
    public async Task A_not_found_is_a_404_problem_whatever_the_client_accepts(string path, string accept, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task A_body_that_is_not_a_json_object_is_400_without_type_names()
    {
        using var content = new StringContent("[]", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/api/v1/books/process", content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.ToString().Should().Contain("must be a JSON object").And.NotContain("BookBytes.WebHost");
    }

    [Fact]
    public void Server_side_failures_keep_their_details_in_the_log()
    {
        var storage = BookBytes.WebHost.Errors.BookBytesExceptionHandler.Map(new BookBytes.Storage.StorageException("Could not open 'x' under '/srv/secret/audio': disk on fire", isTransient: true));
        var catalog = BookBytes.WebHost.Errors.BookBytesExceptionHandler.Map(new BookBytes.Books.CatalogUnavailableException("Open Library answered 503."));

        storage.Status.Should().Be(503);
        storage.Detail.Should().NotContain("/srv/secret");
        catalog.Detail.Should().Be("Open Library answered 503.", "the catalog's messages are written for the caller");
    }

    [Fact]
    public async Task A_bad_isbn_in_the_body_is_422_isbn_invalid()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = "9780306406158" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "ISBN_INVALID");
        problem.Errors("isbn").Should().ContainSingle();
    }

    [Fact]
    public async Task An_unknown_edition_id_is_404_edition_not_found()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", new { editionId = Guid.NewGuid() });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "EDITION_NOT_FOUND");
    }

    [Fact]
    public async Task An_isbn_the_catalog_does_not_know_is_404_book_not_found()
    {
        var lookup = await _client.GetAsync($"/api/v1/books/isbn/{FakeOpenLibrary.Unknown}");
        var process = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.Unknown });

        await lookup.ShouldBeProblemAsync(HttpStatusCode.NotFound, "BOOK_NOT_FOUND");
        await process.ShouldBeProblemAsync(HttpStatusCode.NotFound, "BOOK_NOT_FOUND");
    }

    [Fact]
    public async Task A_failing_catalog_is_502_catalog_unavailable()
    {
        var lookup = await _client.GetAsync($"/api/v1/books/isbn/{FakeOpenLibrary.Failing}");
        var process = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.Failing });

        await lookup.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "CATALOG_UNAVAILABLE");
        await process.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "CATALOG_UNAVAILABLE");
    }

    [Fact]
    public async Task A_second_audiobook_for_an_edition_is_409_with_the_existing_id_and_its_pending_job()
    {
        var first = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();

        var second = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = "0140328726" });

        var problem = await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "AUDIOBOOK_EXISTS");
        problem.GetProperty("audioBookId").GetGuid().Should().Be(first.GetProperty("audioBookId").GetGuid());
        problem.GetProperty("jobId").GetGuid().Should().Be(first.GetProperty("jobId").GetGuid(), "the job (pending on this API-only node) can be watched");
    }

    [Fact]
    public async Task Refreshing_while_a_job_is_pending_is_409_job_in_progress()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.SevenHabits })).JsonAsync();
        var audioBookId = accepted.GetProperty("audioBookId").GetGuid();

        var response = await _client.PostJsonAsync($"/api/v1/books/{audioBookId}/refresh", new { force = true });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "JOB_IN_PROGRESS");
        problem.GetProperty("jobId").GetGuid().Should().Be(accepted.GetProperty("jobId").GetGuid());
        problem.GetProperty("audioBookId").GetGuid().Should().Be(audioBookId);
    }

    [Fact]
    public async Task Unknown_jobs_are_404_job_not_found_also_for_the_event_stream()
    {
        var get = await _client.GetAsync($"/api/v1/jobs/{Guid.NewGuid()}");
        var events = await _client.GetAsync($"/api/v1/jobs/{Guid.NewGuid()}/events");

        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound, "JOB_NOT_FOUND");
        await events.ShouldBeProblemAsync(HttpStatusCode.NotFound, "JOB_NOT_FOUND");
    }

    [Fact]
    public async Task Unknown_audiobooks_are_404_audiobook_not_found()
    {
        var id = Guid.NewGuid();

        var get = await _client.GetAsync($"/api/v1/audiobooks/{id}");
        var refresh = await _client.PostAsync($"/api/v1/books/{id}/refresh", null);
        var audio = await _client.GetAsync($"/api/v1/audiobooks/{id}/chapters/1/audio");

        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound, "AUDIOBOOK_NOT_FOUND");
        await refresh.ShouldBeProblemAsync(HttpStatusCode.NotFound, "AUDIOBOOK_NOT_FOUND");
        await audio.ShouldBeProblemAsync(HttpStatusCode.NotFound, "AUDIOBOOK_NOT_FOUND");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"voice\":\"alloy\"}")]
    [InlineData("{\"isbn\":\"9780140328721\",\"editionId\":\"0199a3f2-5b10-7f00-a1b2-c3d4e5f60718\"}")]
    public async Task Both_or_neither_of_edition_id_and_isbn_is_400_with_an_errors_map(string body)
    {
        var response = await _client.PostAsync("/api/v1/books/process", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors("editionId").Should().ContainSingle();
        problem.Errors("isbn").Should().ContainSingle();
    }

    [Theory]
    [InlineData("{\"editionId\": 5}", "editionId")]
    [InlineData("{\"editionId\": \"not-a-guid\"}", "editionId")]
    [InlineData("{\"isbn\": [\"9780140328721\"]}", "isbn")]
    [InlineData("{\"isbn\": \"9780140328721\"", "body")]
    [InlineData("not json", "body")]
    public async Task Bad_json_and_wrong_types_are_400_naming_the_field(string body, string field)
    {
        var response = await _client.PostAsync("/api/v1/books/process", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors(field).Should().ContainSingle();
    }

    [Fact]
    public async Task A_voice_the_provider_rejects_is_400_with_errors_voice()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach, voice = "no spaces allowed!" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors("voice").Should().ContainSingle().Which.Should().NotContain("Parameter");
    }

    [Fact]
    public async Task On_the_OpenAI_API_a_voice_it_does_not_have_is_400_VOICE_UNKNOWN_before_anything_is_bought()
    {
        using var openAi = new BookBytesHost(providers: false, worker: false, settings: new Dictionary<string, string?> { ["BookBytes:OpenAI:ApiKey"] = "sk-test-key" });
        using var client = openAi.CreateClient();

        var refused = await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach, voice = "robot" });
        var lookupsForRefused = openAi.Catalog.Server.LogEntries.Count;
        var accepted = await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach, voice = "marin" });

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VOICE_UNKNOWN");
        problem.GetProperty("detail").GetString().Should().Contain("'robot'").And.Contain("marin").And.Contain("cedar").And.Contain("alloy");
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        lookupsForRefused.Should().Be(0, "the refused request did not even look the book up");
    }

    [Fact]
    public async Task A_malformed_id_in_the_path_is_400_naming_it()
    {
        var response = await _client.GetAsync("/api/v1/jobs/not-a-guid");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors("jobId").Should().ContainSingle();
    }

    [Theory]
    [InlineData("page=0&pageSize=10", "page")]
    [InlineData("page=1&pageSize=101", "pageSize")]
    [InlineData("page=x", "page")]
    [InlineData("page=2147483647&pageSize=100", "page")]
    public async Task Out_of_range_paging_is_400(string query, string field)
    {
        var response = await _client.GetAsync($"/api/v1/audiobooks?{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors(field).Should().ContainSingle();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var body = "{\"isbn\":\"9780140328721\",\"voice\":\"" + new string('a', 70 * 1024) + "\"}";

        var response = await _client.PostAsync("/api/v1/books/process", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "REQUEST_TOO_LARGE");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _client.PostAsync("/api/v1/books/process", new StringContent("isbn=9780140328721", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await _client.GetAsync("/api/v1/nothing-here");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_list_pages_audiobooks_with_their_edition()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();

        var list = await (await _client.GetAsync("/api/v1/audiobooks?page=1&pageSize=100")).JsonAsync();

        list.PropertyNames().Should().BeEquivalentTo("items", "total", "page", "pageSize");
        list.GetProperty("page").GetInt32().Should().Be(1);
        list.GetProperty("pageSize").GetInt32().Should().Be(100);
        list.GetProperty("total").GetInt64().Should().Be(list.GetProperty("items").GetArrayLength());
        var item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == accepted.GetProperty("audioBookId").GetGuid());
        item.GetProperty("edition").GetProperty("title").GetString().Should().Be("Le petit prince");
        item.GetProperty("status").GetString().Should().Be("Pending");
    }
}
