using System.Net;
using System.Text.Json;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.WebHost.Tests;

/// <summary><c>GET /api/v1/jobs</c>: newest first, filtered by status and type, paged like the audiobook list; and an audiobook whose jobs were swept by retention.</summary>
public sealed class JobListTests : IDisposable
{
    private readonly BookBytesHost _host = new(worker: false, store: "InMemory");
    private readonly HttpClient _client;

    public JobListTests() => _client = _host.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task The_list_is_newest_first_names_each_jobs_audiobook_and_filters_by_status_and_type()
    {
        var first = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();
        var second = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        (await _client.PostAsync($"/api/v1/jobs/{first.GetProperty("jobId").GetGuid()}/cancel", null)).EnsureSuccessStatusCode();

        var all = await (await _client.GetAsync("/api/v1/jobs")).JsonAsync();
        var cancelled = await (await _client.GetAsync("/api/v1/jobs?status=Cancelled")).JsonAsync();
        var pending = await (await _client.GetAsync("/api/v1/jobs?status=pending&type=AudiobookGeneration")).JsonAsync();
        var packaging = await (await _client.GetAsync("/api/v1/jobs?type=AudiobookPackaging")).JsonAsync();
        var paged = await (await _client.GetAsync("/api/v1/jobs?page=2&pageSize=1")).JsonAsync();

        all.PropertyNames().Should().BeEquivalentTo("items", "total", "page", "pageSize");
        all.GetProperty("page").GetInt32().Should().Be(1);
        all.GetProperty("pageSize").GetInt32().Should().Be(20);
        all.GetProperty("total").GetInt64().Should().Be(2);
        Ids(all, "id").Should().Equal(second.GetProperty("jobId").GetGuid(), first.GetProperty("jobId").GetGuid());
        Ids(all, "audioBookId").Should().Equal(second.GetProperty("audioBookId").GetGuid(), first.GetProperty("audioBookId").GetGuid());
        all.GetProperty("items")[0].GetProperty("jobType").GetString().Should().Be("AudiobookGeneration");
        Ids(cancelled, "id").Should().Equal(first.GetProperty("jobId").GetGuid());
        cancelled.GetProperty("items")[0].GetProperty("errorCode").GetString().Should().Be("JOB_CANCELLED");
        Ids(pending, "id").Should().Equal(second.GetProperty("jobId").GetGuid());
        packaging.GetProperty("total").GetInt64().Should().Be(0);
        Ids(paged, "id").Should().Equal(first.GetProperty("jobId").GetGuid());
        paged.GetProperty("total").GetInt64().Should().Be(2);
    }

    [Theory]
    [InlineData("status=Bogus", "status")]
    [InlineData("status=3", "status")]
    [InlineData("type=NoSuchKind", "type")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=x", "pageSize")]
    public async Task Unknown_filters_and_out_of_range_paging_are_400(string query, string field)
    {
        var response = await _client.GetAsync($"/api/v1/jobs?{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.Errors(field).Should().ContainSingle();
    }

    [Fact]
    public async Task An_audiobook_whose_jobs_retention_deleted_shows_no_job_and_is_left_whole()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();
        (await _client.PostAsync($"/api/v1/jobs/{accepted.GetProperty("jobId").GetGuid()}/cancel", null)).EnsureSuccessStatusCode();
        var deleted = await _host.Services.GetRequiredService<IJobStore>().DeleteFinishedJobsAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100);

        using var response = await _client.GetAsync($"/api/v1/audiobooks/{accepted.GetProperty("audioBookId").GetGuid()}");
        var book = await response.JsonAsync();
        var list = await (await _client.GetAsync("/api/v1/jobs")).JsonAsync();

        deleted.Should().Be(1);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (book.TryGetProperty("job", out var job) ? job.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null);
        book.GetProperty("status").GetString().Should().Be("Failed");
        list.GetProperty("total").GetInt64().Should().Be(0);
    }

    private static Guid[] Ids(JsonElement list, string property)
        => [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(property).GetGuid())];
}
