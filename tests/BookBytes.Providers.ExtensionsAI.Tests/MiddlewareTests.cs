using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.Providers.ExtensionsAI.Tests;

/// <summary>
/// An application wraps its chat client with Microsoft.Extensions.AI's middleware before BookBytes gets it, and
/// the middleware does its job: here the OpenAI SDK's client over real HTTP (WireMock), cached, logged and traced.
/// </summary>
public sealed class MiddlewareTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task A_cached_client_answers_a_repeated_summary_without_a_second_http_call_and_logs_and_traces_it()
    {
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\"summary\":\"A short summary.\"}"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":45,"total_tokens":165}}
                """));
        var logs = new RecordingLoggerProvider();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "summaries-app",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddDistributedMemoryCache();
        var sdk = new OpenAI.Chat.ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri(_server.Url + "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });
        services.AddChatClient(sdk.AsIChatClient())
            .UseDistributedCache()
            .UseLogging()
            .UseOpenTelemetry(sourceName: "summaries-app");
        services.AddBookBytes().AddChatClientLlm();
        await using var provider = services.BuildServiceProvider();
        var llm = provider.GetRequiredService<ILlmProvider>();
        var book = new BookContext("Deep Work", ["Cal Newport"], "en", SummaryWords: 80);

        var first = await llm.SummarizeChapterAsync(book, new ChapterHeading(1, "Deep Work Is Valuable"));
        var second = await llm.SummarizeChapterAsync(book, new ChapterHeading(1, "Deep Work Is Valuable"));
        await llm.SummarizeChapterAsync(book, new ChapterHeading(2, "Deep Work Is Rare"));

        provider.GetRequiredService<ILlmProvider>().Should().BeOfType<ChatClientLlmProvider>();
        first.Text.Should().Be("A short summary.");
        second.Should().Be(first, "the cache answers the same question the same way");
        _server.LogEntries.Should().HaveCount(2, "the repeated summary came from the cache; the other chapter went out");
        var body = _server.LogEntries[0].RequestMessage.Body!;
        body.Should().Contain("\"strict\":true").And.Contain("chapter_summary");
        logs.Categories.Should().Contain(c => c.Contains("LoggingChatClient", StringComparison.Ordinal));
        activities.Should().HaveCount(2, "the calls that went out are traced; the cache, outermost, answered the repeat").And.OnlyContain(a => a.OperationName.StartsWith("chat", StringComparison.Ordinal));
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentBag<string> Categories { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner.Categories.Add(category);
        }
    }
}
