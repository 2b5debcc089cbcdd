using System.Text.Json;
using System.Text.RegularExpressions;
using BookBytes.Testing.Fakes;
using BookBytes.Testing.OpenAi;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace BookBytes.JobStore.MultiNode;

/// <summary>
/// WireMock standing in for OpenAI. Chapter titles carry a marker (<c>zq{book}x{chapter}</c>); the chat
/// endpoint answers each summary request with ~60 words that repeat the marker, so every speech request
/// names the chapter it speaks and can be counted per chapter from the request log.
/// </summary>
public sealed partial class FakeOpenAi : IDisposable
{
    // Each sentence is told apart by its number (and the chapter by its title), so every speech request's text is its own.
    private static string Filler(string chapter) => string.Join(' ', Enumerable.Range(1, 5).Select(n => $"Point {n} of {chapter} shows how steady practice turns small habits into results."));

    public FakeOpenAi(TimeSpan speechDelay)
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var match = SummaryTarget().Match(AllText(JsonDocument.Parse(request.Body!).RootElement));
                var summary = $"This chapter, {match.Groups[1].Value}, opens the argument. {Filler(match.Groups[1].Value)}";
                return OpenAiChatWire.Message(request.Body, JsonSerializer.Serialize(new { summary }));
            }));
        // Audio as long as its text takes to say: the pipeline refuses speech implausibly short for its text.
        var speech = Response.Create().WithCallback(request => new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("audio/mpeg") },
            BodyData = new BodyData
            {
                BodyAsBytes = FakeTtsProvider.AudioFor(JsonDocument.Parse(request.Body!).RootElement.GetProperty("input").GetString()!),
                DetectedBodyType = BodyType.Bytes,
            },
        });
        if (speechDelay > TimeSpan.Zero)
        {
            speech = speech.WithDelay(speechDelay);
        }

        Server.Given(Request.Create().WithPath("/v1/audio/speech").UsingPost()).RespondWith(speech);
    }

    public WireMockServer Server { get; }

    public string Endpoint => Server.Url + "/v1";

    public static string ChapterTitle(int book, int chapter) => $"Chapter zq{book}x{chapter}";

    /// <summary>Counts the speech requests received so far, per chapter marker (<c>zq{book}x{chapter}</c>).</summary>
    public Dictionary<string, int> SpeechRequestsByChapter()
        => Server.LogEntries
            .Where(e => e.RequestMessage.Path == "/v1/audio/speech")
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("input").GetString()!)
            .Select(input => Marker().Match(input).Value)
            .GroupBy(m => m)
            .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The text of every speech request received so far, in arrival order.</summary>
    public List<string> SpeechInputs()
        => [.. Server.LogEntries
            .Where(e => e.RequestMessage.Path == "/v1/audio/speech")
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("input").GetString()!)];

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private static string AllText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object => string.Join('\n', element.EnumerateObject().Select(p => AllText(p.Value))),
        JsonValueKind.Array => string.Join('\n', element.EnumerateArray().Select(AllText)),
        _ => string.Empty,
    };

    [GeneratedRegex(@"Chapter to summarise: chapter \d+, ""Chapter (zq\d+x\d+)""")]
    private static partial Regex SummaryTarget();

    [GeneratedRegex(@"zq\d+x\d+")]
    private static partial Regex Marker();
}
