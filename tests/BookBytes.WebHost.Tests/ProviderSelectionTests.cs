using System.Net;
using System.Text.Json;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.WebHost.Tests;

/// <summary><c>BookBytes:Llm:Provider</c> chooses the language model the host's summaries come from.</summary>
public sealed class ProviderSelectionTests : IDisposable
{
    private readonly WireMockServer _ollama = WireMockServer.Start();

    public void Dispose()
    {
        _ollama.Stop();
        _ollama.Dispose();
    }

    [Fact]
    public async Task With_Llm_Provider_Ollama_the_summaries_come_from_Ollamas_api_chat_and_the_speech_from_OpenAI()
    {
        // Ollama's own wire format: /api/chat with the bare schema as "format", one JSON object back: the whole answer (stream:false,
        // the outline), or a stream of newline-delimited objects of which this is the one and last (stream:true, the summaries).
        _ollama.Given(Request.Create().WithPath("/api/chat").UsingPost().WithBody(new WildcardMatcher("*\"required\":[\"known\",\"chapters\"]*")))
            .AtPriority(1)
            .RespondWith(Chat(JsonSerializer.Serialize(new { known = true, chapters = new[] { new { number = 1, title = "The Pilot" }, new { number = 2, title = "The Rose" } } })));
        _ollama.Given(Request.Create().WithPath("/api/chat").UsingPost())
            .AtPriority(10)
            .RespondWith(Chat(JsonSerializer.Serialize(new { summary = FakeOpenAi.Summary })));
        using var host = new BookBytesHost(settings: new Dictionary<string, string?>
        {
            ["BookBytes:Llm:Provider"] = "ollama",
            ["BookBytes:Ollama:Endpoint"] = _ollama.Url,
            ["BookBytes:Ollama:Model"] = "llama3.1:8b",
        });
        var client = host.CreateClient();

        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid());

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var chats = _ollama.LogEntries.Where(e => e.RequestMessage.Path == "/api/chat").ToList();
        chats.Should().NotBeEmpty();
        chats.Should().OnlyContain(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("model").GetString() == "llama3.1:8b");
        chats.Should().OnlyContain(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("stream").GetBoolean() == e.RequestMessage.Body!.Contains("\"summary\"", StringComparison.Ordinal), "summaries stream, the outline does not");
        host.OpenAi.Requests(FakeOpenAi.ChatPath).Should().BeEmpty("OpenAI only speaks here");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Ollama_for_the_summaries_and_a_keyless_speech_server_need_no_OpenAI_key()
    {
        _ollama.Given(Request.Create().WithPath("/api/chat").UsingPost())
            .RespondWith(Chat(JsonSerializer.Serialize(new { summary = FakeOpenAi.Summary })));
        using var speech = new FakeOpenAi();
        using var host = new BookBytesHost(providers: false, settings: new Dictionary<string, string?>
        {
            ["BookBytes:Llm:Provider"] = "Ollama",
            ["BookBytes:Ollama:Endpoint"] = _ollama.Url,
            ["BookBytes:OpenAI:SpeechEndpoint"] = speech.Url + "/v1",
            ["BookBytes:OpenAI:Voice"] = "af_bella",
        });
        var client = host.CreateClient();

        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();
        var job = await client.WaitForJobAsync(started.GetProperty("jobId").GetGuid());

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        speech.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty().And.OnlyContain(e => !e.RequestMessage.Headers!.ContainsKey("Authorization"));
        host.OpenAi.Server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task With_Llm_Provider_Anthropic_but_no_key_processing_is_503_naming_the_key_and_speech_stays_configured()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?> { ["BookBytes:Llm:Provider"] = "Anthropic" });
        var client = host.CreateClient();

        var process = await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox });

        var problem = await process.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "PROVIDER_NOT_CONFIGURED");
        problem.GetProperty("detail").GetString().Should().Contain("ILlmProvider").And.NotContain("ITtsProvider").And.Contain("BookBytes:Anthropic:ApiKey");
    }

    [Fact]
    public void A_provider_the_host_does_not_know_fails_its_start_naming_the_key_and_the_choices()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?> { ["BookBytes:Llm:Provider"] = "Gemini" });

        var act = () => host.CreateClient();

        act.Should().Throw<Exception>().Where(e => e.ToString().Contains("BookBytes:Llm:Provider is 'Gemini'", StringComparison.Ordinal)
            && e.ToString().Contains("OpenAI, Ollama, Anthropic", StringComparison.Ordinal));
    }

    private static IResponseBuilder Chat(string content)
        => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new
        {
            model = "llama3.1:8b",
            created_at = "2026-12-01T00:00:00Z",
            message = new { role = "assistant", content },
            done = true,
            done_reason = "stop",
            prompt_eval_count = 90,
            eval_count = 60,
        }));
}
