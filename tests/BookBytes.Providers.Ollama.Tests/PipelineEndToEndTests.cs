using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.Providers.Ollama.Tests;

/// <summary>The pipeline with the Ollama provider over real HTTP (WireMock), the fake speech provider and a temp-folder storage.</summary>
public sealed class PipelineEndToEndTests : IDisposable
{
    private static readonly string[] Titles = ["The Shallows", "Attention Residue", "Rules for Deep Work"];

    private readonly WireMockServer _ollama = WireMockServer.Start();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-ollama-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _ollama.Stop();
        _ollama.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_book_of_three_chapters_goes_from_an_Ollama_outline_to_stored_audio()
    {
        // Ollama's format is the bare schema (no name): the outline is the request whose schema asks for "known".
        _ollama.Given(Request.Create().WithPath("/api/chat").UsingPost()
                .WithBody(b => b != null && b.Contains("\"required\":[\"known\",\"chapters\"]", StringComparison.Ordinal)))
            .RespondWith(Json(OllamaResponses.Outline(true, Titles)));
        for (var n = 1; n <= Titles.Length; n++)
        {
            var marker = $"Chapter to summarise: chapter {n},";
            _ollama.Given(Request.Create().WithPath("/api/chat").UsingPost().WithBody(b => b != null && b.Contains(marker, StringComparison.Ordinal)))
                .RespondWith(Json(OllamaResponses.Summary(PipelineRun.DistinctSummary(n, Titles[n - 1], 80))));
        }

        var tts = new FakeTtsProvider();
        var services = new ServiceCollection();
        services.AddBookBytes(PipelineRun.Fast)
            .AddOllamaLlm(o =>
            {
                o.Endpoint = new Uri(_ollama.Url!);
                o.Model = "llama3.1:8b";
            })
            .AddLocalStorage(o => o.RootPath = _root);
        services.AddSingleton<ITtsProvider>(tts);

        var book = await PipelineRun.RunBookAsync(services);

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.Chapters.Select(c => c.Title).Should().Equal(Titles);

        var chats = _ollama.LogEntries.ToList();
        chats.Should().HaveCount(4, "one outline and one summary per chapter")
            .And.OnlyContain(r => r.RequestMessage.Path == "/api/chat");
        var bodies = chats.Select(r => JsonDocument.Parse(r.RequestMessage.Body!).RootElement.Clone()).ToList();
        bodies.Should().OnlyContain(b => b.GetProperty("model").GetString() == "llama3.1:8b");
        // Summaries stream (one newline-delimited object here, the last); the outline does not.
        bodies.Select(b => b.GetProperty("stream").GetBoolean()).Should().BeEquivalentTo([false, true, true, true]);
        bodies.Select(b => b.GetProperty("format").GetProperty("required")[0].GetString())
            .Should().BeEquivalentTo(["known", "summary", "summary", "summary"]);

        foreach (var chapter in book.Chapters)
        {
            chapter.Status.Should().Be(ChapterStatus.Completed);
            chapter.Summary.Should().Be(PipelineRun.DistinctSummary(chapter.Number, chapter.Title, 80));
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

    private static IResponseBuilder Json(string body)
        => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
