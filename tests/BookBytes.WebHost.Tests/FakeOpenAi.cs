using System.Text.Json;
using BookBytes.Testing.Fakes;
using BookBytes.Testing.OpenAi;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// A WireMock server standing in for the OpenAI API: chat completions answer the outline request
/// (strict-JSON schema <c>book_outline</c>) with three chapters and every summary request
/// (<c>chapter_summary</c>) with a plain-prose summary; speech answers with <see cref="Audio"/>.
/// </summary>
public sealed class FakeOpenAi : IDisposable
{
    public const string ApiKey = "sk-test-webhost";
    public const string ChatPath = "/v1/chat/completions";
    public const string SpeechPath = "/v1/audio/speech";

    public FakeOpenAi()
    {
        // Silent 128 kbit/s MPEG frames: valid audio a browser can play, as long as the summary takes to say (the
        // pipeline refuses speech implausibly short for its text).
        Audio = Mp3.Silence(FakeTtsProvider.FramesFor(Summary.Length), seed: 7);
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(ChatPath).UsingPost().WithBody(new WildcardMatcher("*book_outline*")))
            .AtPriority(1)
            .RespondWith(OpenAiChatWire.Answer(JsonSerializer.Serialize(new
            {
                known = true,
                chapters = new[] { new { number = 1, title = "The Pilot" }, new { number = 2, title = "The Rose" }, new { number = 3, title = "The Fox" } },
            })));
        // The event-stream test watches this book: its summaries come slowly, so the stream opens while it is being made.
        Server.Given(Request.Create().WithPath(ChatPath).UsingPost().WithBody(new RegexMatcher("(?s)^(?=.*chapter_summary)(?=.*7 Habits of Highly Effective People).*$")))
            .AtPriority(5)
            .RespondWith(OpenAiChatWire.Answer(JsonSerializer.Serialize(new { summary = Summary })).WithDelay(TimeSpan.FromMilliseconds(1500)));
        Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .AtPriority(10)
            .RespondWith(OpenAiChatWire.Answer(JsonSerializer.Serialize(new { summary = Summary })));
        Server.Given(Request.Create().WithPath(SpeechPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "audio/mpeg").WithBody(Audio));
    }

    /// <summary>
    /// Makes every speech call take <paramref name="perCall"/> and answer audio as long as its own text takes to say, so a chapter
    /// spoken in several chunks is made over a few seconds (for listening while it is made).
    /// </summary>
    /// <param name="perCall">How long each speech call takes.</param>
    public void SpeakSlowly(TimeSpan perCall)
        => Server.Given(Request.Create().WithPath(SpeechPath).UsingPost())
            .AtPriority(0)
            .RespondWith(Response.Create().WithCallback(request => new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("audio/mpeg") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsBytes = Mp3.Silence(FakeTtsProvider.FramesFor(JsonDocument.Parse(request.Body!).RootElement.GetProperty("input").GetString()!.Length), seed: 3),
                    DetectedBodyType = WireMock.Types.BodyType.Bytes,
                },
            }).WithDelay(perCall));

    /// <summary>60 words of plain prose: within 50%–200% of the tests' BookBytes:Summary:Words (50).</summary>
    public static string Summary { get; } = string.Join(' ', Enumerable.Repeat("This chapter explains one clear idea with a short example.", 6));

    public byte[] Audio { get; }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public IReadOnlyList<ILogEntry> Requests(string path) => [.. Server.LogEntries.Where(e => e.RequestMessage.Path == path)];

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
