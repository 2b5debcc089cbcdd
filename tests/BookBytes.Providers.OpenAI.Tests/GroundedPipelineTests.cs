using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BookBytes.AudioBooks;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Pipeline.Estimates;
using BookBytes.Pipeline.Processing;
using BookBytes.Storage.Local;
using BookBytes.Testing.Fakes;
using BookBytes.Testing.OpenAi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.ML.Tokenizers;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;
using Request = WireMock.RequestBuilders.Request;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>
/// Issue 15 over real HTTP: a document edition summarised from its own text by the OpenAI provider (WireMock), long
/// chapters in parts then combined, a retry that asks for no part again, and an estimate checked against the tokens the
/// stand-in counts in each request with the model's own tokenizer.
/// </summary>
public sealed class GroundedPipelineTests : IDisposable
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForModel("gpt-4o-mini");

    private readonly WireMockServer _openAi = WireMockServer.Start();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bookbytes-grounded-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _userMessages = new();
    private int _combinations;

    public void Dispose()
    {
        _openAi.Stop();
        _openAi.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string Sentence(int chapter, int paragraph, int sentence)
        => $"In chapter {chapter}, paragraph {paragraph} makes point {sentence} about the quiet harbour town.";

    private static DocumentChapter Chapter(int number, int paragraphs, int sentences = 6)
        => new(number, $"Heading {number}", 0, ChapterKind.Body, [.. Enumerable.Range(1, paragraphs).Select(p => string.Join(' ', Enumerable.Range(1, sentences).Select(s => Sentence(number, p, s))))]);

    private static BookDocument Document(params DocumentChapter[] chapters) => new()
    {
        Title = "The Harbour Town",
        Authors = ["A. Writer"],
        Language = "en",
        Chapters = [new DocumentChapter(1, "Contents", 0, ChapterKind.Front, ["Heading 2. Heading 3."]), .. chapters],
    };

    /// <summary>The stand-in: each answer names the chapter (and part) it read and counts its tokens as the model would.</summary>
    private void StubOpenAi(bool failFirstCombination = false)
    {
        _openAi.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = JsonDocument.Parse(request.Body!);
                var messages = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString() ?? string.Empty).ToList();
                var user = messages[^1];
                _userMessages.Enqueue(user);
                var chapter = Enumerable.Range(2, 9).First(n => user.Contains($"In chapter {n},", StringComparison.Ordinal) || user.Contains($"[summary of chapter {n}", StringComparison.Ordinal));
                var combining = user.Contains("[summary of chapter", StringComparison.Ordinal);
                if (combining && failFirstCombination && Interlocked.Increment(ref _combinations) == 1)
                {
                    return Json(500, ChatResponses.Error("The server had an error while processing your request.", "server_error"));
                }

                // A part's answer says which paragraphs it read, so the combination can be checked to carry every part.
                var firstParagraph = Enumerable.Range(1, 200).FirstOrDefault(p => user.Contains(Sentence(chapter, p, 1), StringComparison.Ordinal));
                var tag = combining ? $"[summary of chapter {chapter} combined]" : $"[summary of chapter {chapter} from paragraph {firstParagraph}]";
                // About the 80 words asked for, the tag (test plumbing, ~10 words' worth of tokens) included.
                var answer = tag + " " + FakeLlmProvider.SummaryText(chapter, "the harbour", 70);
                var content = JsonSerializer.Serialize(new { summary = answer });
                var prompt = messages.Sum(m => O200k.CountTokens(m)) + (4 * messages.Count);
                return OpenAiChatWire.Streamed(request.Body)
                    ? Json(200, ChatResponses.Stream(OpenAiChatWire.Pieces(content), promptTokens: prompt, completionTokens: O200k.CountTokens(content)), "text/event-stream")
                    : Json(200, ChatResponses.Completion(content, promptTokens: prompt, completionTokens: O200k.CountTokens(content)));
            }));

        _openAi.Given(Request.Create().WithPath("/v1/audio/speech").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = JsonDocument.Parse(request.Body!);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("audio/mpeg") },
                    BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = FakeTtsProvider.AudioFor(body.RootElement.GetProperty("input").GetString()!) },
                };
            }));
    }

    private static WireMock.ResponseMessage Json(int status, string body, string contentType = "application/json") => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(contentType) },
        BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = body, Encoding = Encoding.UTF8 },
    };

    private async Task<(Job Job, AudioBookDetails Book, AudioBookEstimate Estimate)> RunAsync(BookDocument document, Action<Pipeline.BookBytesOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddBookBytes(o =>
            {
                PipelineRun.Fast(o);
                o.Jobs.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
                o.Jobs.StepRetryDelay = TimeSpan.Zero;
                configure?.Invoke(o);
            })
            .AddOpenAI(o =>
            {
                o.ApiKey = OpenAiTestHost.ApiKey;
                o.Endpoint = new Uri(_openAi.Url + "/v1");
                o.MaxRetries = 0;
            })
            .AddLocalStorage(o => o.RootPath = _root);
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<IHostedService>();
        await runner.StartAsync(CancellationToken.None);
        var processing = provider.GetRequiredService<ProcessingService>();
        var edition = (await processing.AddDocumentAsync(Encoding.UTF8.GetBytes("a file of my own " + Guid.NewGuid()), "text/plain", document)).Edition;

        var estimate = await processing.EstimateAsync(edition.Id, new AudioBookRequest());
        _openAi.LogEntries.Should().BeEmpty("an estimate calls no provider");
        var started = await processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        JobDetails? last = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var details in processing.WatchJobAsync(started.Job.Id, TimeSpan.FromMilliseconds(20)).WithCancellation(deadline.Token))
        {
            last = details;
        }

        await runner.StopAsync(CancellationToken.None);
        return (last!.Job, (await processing.GetAudioBookAsync(started.AudioBook.Id))!, estimate);
    }

    [Fact]
    public async Task Each_chapters_summary_request_carries_that_chapters_text_and_no_other_chapters()
    {
        StubOpenAi();
        var document = Document(Chapter(2, 6), Chapter(3, 4), Chapter(4, 5));

        var (job, book, estimate) = await RunAsync(document);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        book.AudioBook.Grounding.Should().Be(AudioBookGrounding.Text);
        book.Chapters.Select(c => c.Number).Should().Equal(2, 3, 4);
        _userMessages.Should().HaveCount(3, "one call a chapter, no outline, front matter left out");
        foreach (var chapter in document.Chapters.Skip(1))
        {
            var request = _userMessages.Should().ContainSingle(m => m.Contains($"In chapter {chapter.Number},", StringComparison.Ordinal)).Which;
            foreach (var paragraph in chapter.Paragraphs)
            {
                request.Should().Contain(paragraph, "the request carries the chapter's text verbatim");
            }

            foreach (var other in new[] { 2, 3, 4 }.Where(n => n != chapter.Number))
            {
                request.Should().NotContain($"In chapter {other},", "and no other chapter's");
            }

            book.Chapters.Single(c => c.Number == chapter.Number).Summary.Should().StartWith($"[summary of chapter {chapter.Number} from paragraph 1]");
        }

        // The stand-in counts every request's tokens with o200k_base: the estimate is within 10% of what the run recorded.
        estimate.LlmCalls.Should().Be(3);
        ((double)estimate.Tokens.InputTokens).Should().BeApproximately(job.Usage.Llm.InputTokens, job.Usage.Llm.InputTokens * 0.10);
        ((double)estimate.Tokens.OutputTokens).Should().BeApproximately(job.Usage.Llm.OutputTokens, job.Usage.Llm.OutputTokens * 0.10);
        ((double)estimate.SpeechCharacters).Should().BeApproximately(job.Usage.TtsCharacters, job.Usage.TtsCharacters * 0.10);
        estimate.Cost.Should().NotBeNull("gpt-4o-mini and gpt-4o-mini-tts have list prices");
    }

    [Fact]
    public async Task A_long_chapter_is_asked_for_in_parts_then_one_combining_request_and_a_retry_after_the_combination_failed_asks_for_no_part_again()
    {
        StubOpenAi(failFirstCombination: true);

        // ≈ 60 paragraphs × 6 sentences ≈ 6,500 tokens: parts of at most 1,000 tokens with MaxInputTokens = 2,000.
        var (job, book, estimate) = await RunAsync(Document(Chapter(2, 60), Chapter(3, 3)), o =>
        {
            o.Llm.MaxInputTokens = 2_000;
            o.Llm.CallRetries = 0;
        });

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(2, "the failed combination failed chapter 2, and the job's retry redid it");
        var requests = _userMessages.ToList();
        var parts = requests.Where(m => m.Contains("In chapter 2,", StringComparison.Ordinal)).ToList();
        var combinations = requests.Where(m => m.Contains("[summary of chapter 2", StringComparison.Ordinal)).ToList();
        parts.Count.Should().BeGreaterThan(5);
        parts.Should().OnlyContain(p => O200k.CountTokens(p) < 2_000, "each part request fits the input budget");
        for (var p = 1; p <= 60; p++)
        {
            parts.Count(m => m.Contains(Sentence(2, p, 1), StringComparison.Ordinal)).Should().Be(1, $"paragraph {p} is in exactly one part, asked for once across both attempts");
        }

        combinations.Should().HaveCount(2, "the combination failed once and was asked again by the retry");
        combinations.Should().OnlyContain(c => c.Contains("[summary of chapter 2 from paragraph 1]", StringComparison.Ordinal));
        combinations[1].Should().Be(combinations[0], "the retry combined the part summaries stored by the first attempt");
        requests.FindIndex(m => m.Contains("[summary of chapter 2", StringComparison.Ordinal))
            .Should().BeGreaterThan(requests.FindLastIndex(m => m.Contains("In chapter 2,", StringComparison.Ordinal)), "every part comes before the combination");
        book.Chapters.Single(c => c.Number == 2).Summary.Should().StartWith("[summary of chapter 2 combined]");
        Directory.EnumerateFiles(_root, "part-*.json", SearchOption.AllDirectories).Should().BeEmpty("part summaries are removed once the summary is stored");
        estimate.Chapters.Single(c => c.Number == 2).LlmCalls.Should().Be(parts.Count + 1, "the estimate plans the same parts");
    }
}
