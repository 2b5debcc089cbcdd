using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.Providers.Anthropic.Tests;

/// <summary>The pipeline with the Anthropic provider over real HTTP (WireMock), the fake speech provider and a temp-folder storage.</summary>
public sealed class PipelineEndToEndTests : IDisposable
{
    private static readonly string[] Titles = ["The Shallows", "Attention Residue", "Rules for Deep Work"];

    private readonly WireMockServer _anthropic = WireMockServer.Start();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-anthropic-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _anthropic.Stop();
        _anthropic.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_book_of_three_chapters_goes_from_outline_to_stored_audio_over_http()
    {
        // The Messages API's output_config carries no schema name: the user prompt tells the calls apart.
        _anthropic.Given(Request.Create().WithPath("/v1/messages").UsingPost().WithBody(b => b != null && b.Contains("List this book's chapters in order.", StringComparison.Ordinal)))
            .RespondWith(Json(MessagesResponses.Outline(true, Titles)));
        for (var n = 1; n <= Titles.Length; n++)
        {
            var marker = $"Chapter to summarise: chapter {n},";
            _anthropic.Given(Request.Create().WithPath("/v1/messages").UsingPost().WithBody(b => b != null && b.Contains(marker, StringComparison.Ordinal)))
                .RespondWith(Streamed(JsonSerializer.Serialize(new { summary = PipelineRun.DistinctSummary(n, Titles[n - 1], 80) })));
        }

        var tts = new FakeTtsProvider();
        var services = new ServiceCollection();
        services.AddBookBytes(PipelineRun.Fast)
            .AddAnthropicLlm(o =>
            {
                o.ApiKey = AnthropicTestHost.ApiKey;
                o.Endpoint = new Uri(_anthropic.Url!);
            })
            .AddLocalStorage(o => o.RootPath = _root);
        services.AddSingleton<ITtsProvider>(tts);

        var book = await PipelineRun.RunBookAsync(services);

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.Chapters.Select(c => c.Title).Should().Equal(Titles);

        var requests = _anthropic.LogEntries.ToList();
        requests.Should().HaveCount(4, "one outline and one summary per chapter").And.OnlyContain(r => r.RequestMessage.Path == "/v1/messages");
        requests.Should().OnlyContain(r => r.RequestMessage.Headers!["Authorization"][0] == "Bearer " + AnthropicTestHost.ApiKey);
        var bodies = requests.Select(r => JsonDocument.Parse(r.RequestMessage.Body!).RootElement.Clone()).ToList();
        bodies.Should().OnlyContain(b => b.GetProperty("model").GetString() == "claude-sonnet-4-5"
            && b.GetProperty("max_tokens").GetInt32() == 4096
            && b.GetProperty("output_config").GetProperty("format").GetProperty("type").GetString() == "json_schema");
        bodies.Select(b => b.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString())
            .Should().ContainSingle(t => t!.Contains(PipelineRun.Title, StringComparison.Ordinal) && t.Contains("List this book's chapters", StringComparison.Ordinal));

        foreach (var chapter in book.Chapters)
        {
            chapter.Status.Should().Be(ChapterStatus.Completed);
            chapter.Summary.Should().Be(PipelineRun.DistinctSummary(chapter.Number, chapter.Title, 80), "the summary is the one Anthropic answered");
            // Chunks are cut as the summary streams in, at sentence ends: in order they say the summary, each word once.
            var chunks = PipelineRun.SpokenChunks(tts.Requests.Select(r => r.Text), chapter.Number, chapter.Summary!);
            chunks.Should().HaveCountGreaterThan(1);
            PipelineRun.Words(string.Join(' ', chunks)).Should().Equal(PipelineRun.Words(chapter.Summary!));
            var file = Path.Combine(_root, chapter.AudioKey!.Replace('/', Path.DirectorySeparatorChar));
            var expected = chunks.SelectMany(FakeTtsProvider.AudioFor).ToArray();
            (await File.ReadAllBytesAsync(file)).Should().Equal(expected, "chunks are joined in order into one file");
            chapter.AudioSizeBytes.Should().Be(expected.Length);
        }
    }

    // Summaries are asked for streamed: the answer comes as the Messages API's server-sent events.
    private static IResponseBuilder Streamed(string text)
        => Response.Create().WithCallback(request =>
        {
            JsonDocument.Parse(request.Body!).RootElement.GetProperty("stream").GetBoolean().Should().BeTrue("summaries are streamed");
            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("text/event-stream") },
                BodyData = new WireMock.Util.BodyData { BodyAsString = MessagesResponses.Stream(text), DetectedBodyType = WireMock.Types.BodyType.String },
            };
        });

    private static IResponseBuilder Json(string body)
        => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
