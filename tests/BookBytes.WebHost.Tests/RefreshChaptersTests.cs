using System.Net;

namespace BookBytes.WebHost.Tests;

/// <summary><c>chapters</c> of <c>POST /api/v1/books/{audioBookId}/refresh</c> on a full node: chapters added without redoing the others.</summary>
public sealed class RefreshChaptersTests(InMemoryWorkerHost host) : IClassFixture<InMemoryWorkerHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task A_narration_of_one_chapter_gets_another_added_by_a_refresh_naming_it()
    {
        var editionId = await _client.UploadAsync(TestBooks.Pdf("One Chapter Then Two"));
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { editionId, mode = "narration", chapters = new[] { 2 } })).JsonAsync();
        var audioBookId = accepted.GetProperty("audioBookId").GetGuid();
        var first = await _client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());
        var before = await (await _client.GetAsync($"/api/v1/audiobooks/{audioBookId}")).JsonAsync();
        var speechBefore = host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count;

        var refresh = await _client.PostJsonAsync($"/api/v1/books/{audioBookId}/refresh", new { chapters = new[] { 3 } });
        var refreshBody = await refresh.JsonAsync();
        var second = await _client.WaitForJobAsync(refreshBody.GetProperty("jobId").GetGuid());
        var after = await (await _client.GetAsync($"/api/v1/audiobooks/{audioBookId}")).JsonAsync();
        var unknown = await _client.PostJsonAsync($"/api/v1/books/{audioBookId}/refresh", new { chapters = new[] { 9 } });
        var outOfRange = await _client.PostJsonAsync($"/api/v1/books/{audioBookId}/refresh", new { chapters = new[] { -1 } });

        first.GetProperty("status").GetString().Should().Be("Completed", first.ToString());
        before.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("number").GetInt32()).Should().Equal(2);
        refresh.StatusCode.Should().Be(HttpStatusCode.Accepted, refreshBody.ToString());
        refreshBody.GetProperty("audioBookId").GetGuid().Should().Be(audioBookId);
        second.GetProperty("status").GetString().Should().Be("Completed", second.ToString());
        after.GetProperty("mode").GetString().Should().Be("narration");
        after.GetProperty("version").GetInt32().Should().Be(1, "adding chapters is not a new version");
        after.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("number").GetInt32()).Should().Equal(2, 3);
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count.Should().BeGreaterThan(speechBefore);
        host.OpenAi.Requests(FakeOpenAi.ChatPath).Should().BeEmpty("a narration asks no language model");
        (await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("chapters").Should().ContainSingle();
        (await outOfRange.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("chapters").Should().ContainSingle();
    }
}
