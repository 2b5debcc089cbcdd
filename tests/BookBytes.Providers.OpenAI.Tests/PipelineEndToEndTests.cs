using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using BookBytes.Testing.OpenAi;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>The pipeline with the OpenAI provider over real HTTP (WireMock), the in-memory store and a temp-folder storage.</summary>
public sealed class PipelineEndToEndTests : IDisposable
{
    private static readonly string[] Titles = ["The Shallows", "Attention Residue", "Rules for Deep Work"];

    private readonly WireMockServer _openAi = WireMockServer.Start();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _openAi.Stop();
        _openAi.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_book_of_three_chapters_goes_from_outline_to_stored_audio_over_http()
    {
        _openAi.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost().WithBody(b => b != null && b.Contains("book_outline", StringComparison.Ordinal)))
            .RespondWith(OpenAiChatWire.Answer(JsonSerializer.Serialize(new { known = true, chapters = Titles.Select((title, i) => new { number = i + 1, title }).ToArray() })));
        for (var n = 1; n <= Titles.Length; n++)
        {
            var marker = $"Chapter to summarise: chapter {n},";
            _openAi.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost().WithBody(b => b != null && b.Contains(marker, StringComparison.Ordinal)))
                .RespondWith(OpenAiChatWire.Answer(JsonSerializer.Serialize(new { summary = PipelineRun.DistinctSummary(n, Titles[n - 1], 80) })));
        }

        _openAi.Given(Request.Create().WithPath("/v1/audio/speech").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = JsonDocument.Parse(request.Body!);
                var audio = FakeTtsProvider.AudioFor(body.RootElement.GetProperty("input").GetString()!);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("audio/mpeg") },
                    BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = audio },
                };
            }));

        var services = new ServiceCollection();
        services.AddBookBytes(PipelineRun.Fast)
            .AddOpenAI(o =>
            {
                o.ApiKey = OpenAiTestHost.ApiKey;
                o.Endpoint = new Uri(_openAi.Url + "/v1");
                o.Voice = "nova";
            })
            .AddLocalStorage(o => o.RootPath = _root);

        var book = await PipelineRun.RunBookAsync(services);

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.AudioBook.Voice.Should().Be("nova");
        book.Chapters.Select(c => c.Title).Should().Equal(Titles);

        var requests = _openAi.LogEntries.ToList();
        var chats = requests.Where(r => r.RequestMessage.Path == "/v1/chat/completions").ToList();
        chats.Should().HaveCount(4, "one outline and one summary per chapter");
        chats.Select(r => JsonDocument.Parse(r.RequestMessage.Body!).RootElement.GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString())
            .Should().BeEquivalentTo(["book_outline", "chapter_summary", "chapter_summary", "chapter_summary"]);
        var speech = requests.Where(r => r.RequestMessage.Path == "/v1/audio/speech").Select(r => JsonDocument.Parse(r.RequestMessage.Body!).RootElement.Clone()).ToList();
        speech.Should().OnlyContain(s => s.GetProperty("voice").GetString() == "nova" && s.GetProperty("input").GetString()!.Length <= 200);
        requests.Should().OnlyContain(r => r.RequestMessage.Headers!["Authorization"][0] == "Bearer " + OpenAiTestHost.ApiKey);

        chats.Should().OnlyContain(r => OpenAiChatWire.Streamed(r.RequestMessage.Body) == r.RequestMessage.Body!.Contains("chapter_summary", StringComparison.Ordinal), "summaries are streamed (the outline is not)");
        var inputs = speech.Select(s => s.GetProperty("input").GetString()!).ToList();
        foreach (var chapter in book.Chapters)
        {
            chapter.Status.Should().Be(ChapterStatus.Completed);
            // Chunks are cut as the summary streams in, at sentence ends: in order they say the summary, each word once.
            var chunks = PipelineRun.SpokenChunks(inputs, chapter.Number, chapter.Summary!);
            chunks.Should().HaveCountGreaterThan(1);
            PipelineRun.Words(string.Join(' ', chunks)).Should().Equal(PipelineRun.Words(chapter.Summary!));
            var file = Path.Combine(_root, chapter.AudioKey!.Replace('/', Path.DirectorySeparatorChar));
            var expected = chunks.SelectMany(FakeTtsProvider.AudioFor).ToArray();
            (await File.ReadAllBytesAsync(file)).Should().Equal(expected, "chunks are joined in order into one file");
            chapter.AudioSizeBytes.Should().Be(expected.Length);
        }
    }
}
