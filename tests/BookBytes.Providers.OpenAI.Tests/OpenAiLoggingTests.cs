using System.Net;
using System.Net.Sockets;
using BookBytes.Testing.Logging;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>What a user sees in the log when OpenAI cannot be reached or refuses a call: one line with the cause.</summary>
public sealed class OpenAiLoggingTests : IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_call_that_cannot_connect_logs_one_warning_with_the_cause_and_keeps_stack_traces_and_http_chatter_at_debug()
    {
        var closed = new Uri($"http://127.0.0.1:{CapturingLoggerProvider.ClosedPort()}/v1");
        using var host = new OpenAiTestHost(
            o =>
            {
                o.Endpoint = closed;
                o.MaxRetries = 2;
            },
            b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));
        var provider = host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello there.", "alloy"));

        await act.Should().ThrowAsync<ProviderException>();
        var warning = _logs.Entries.Should().ContainSingle(e => e.Level >= LogLevel.Warning, "one failed call is one line; logged: {0}", Logged()).Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain("Speech synthesis").And.Contain(nameof(SocketException)).And.Contain(closed.Authority).And.Contain("Connection refused");
        warning.Exception.Should().BeNull("a stack trace is for Debug");
        _logs.Entries.Where(e => e.Exception is not null).Should().OnlyContain(e => e.Level == LogLevel.Debug);
        _logs.Entries.Should().Contain(
            e => e.Level == LogLevel.Debug && e.Category == BookBytesBuilderOpenAiExtensions.SpeechHttpClientName && e.Message.Contains("POST " + closed.Authority + "/v1/audio/speech", StringComparison.Ordinal),
            "the client's own line says where the call went");
        _logs.ShouldHaveQuietHttpAndPolly();
    }

    [Fact]
    public async Task A_call_refused_with_401_logs_one_warning_with_the_status_and_never_the_key()
    {
        using var host = new OpenAiTestHost(logging: b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));
        host.Server.Given(Request.Create().WithPath("/v1/audio/speech").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody("""{"error":{"message":"Incorrect API key"}}"""));
        var provider = host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello there.", "alloy"));

        await act.Should().ThrowAsync<ProviderException>();
        var warning = _logs.Entries.Should().ContainSingle(e => e.Level >= LogLevel.Warning, "one failed call is one line; logged: {0}", Logged()).Which;
        warning.Message.Should().Contain("401");
        warning.Exception.Should().BeNull("a stack trace is for Debug");
        _logs.Entries.Should().NotContain(e => e.Message.Contains(OpenAiTestHost.ApiKey, StringComparison.Ordinal));
        _logs.ShouldHaveQuietHttpAndPolly();
    }

    private string Logged() => string.Join(" | ", _logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}"));
}
