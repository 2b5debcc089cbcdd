using System.Net;
using BookBytes.Books;
using BookBytes.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace BookBytes.Catalog.OpenLibrary.Tests;

/// <summary>What a user sees in the log when Open Library cannot be reached: one line with the cause, no stack traces.</summary>
public sealed class OpenLibraryLoggingTests : IDisposable
{
    private static readonly Isbn FantasticMrFox = Isbn.Parse("9780140328721");

    private readonly FakeOpenLibrary _openLibrary = new();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose()
    {
        _openLibrary.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task A_lookup_that_cannot_connect_logs_one_warning_with_the_cause_and_keeps_stack_traces_and_http_chatter_at_debug()
    {
        var closed = new Uri($"http://127.0.0.1:{CapturingLoggerProvider.ClosedPort()}/");
        using var host = new CatalogHost(closed, logging: b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));

        var lookup = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        await lookup.Should().ThrowAsync<CatalogUnavailableException>();
        var warning = _logs.Entries.Should().ContainSingle(e => e.Level >= LogLevel.Warning).Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain("/isbn/9780140328721.json").And.Contain(closed.Authority).And.Contain(nameof(HttpRequestException));
        warning.Exception.Should().BeNull("a stack trace is for Debug");
        _logs.Entries.Where(e => e.Exception is not null).Should().OnlyContain(e => e.Level == LogLevel.Debug);
        _logs.Entries.Should().Contain(e => e.Level == LogLevel.Debug && e.Exception is HttpRequestException);
        _logs.ShouldHaveQuietHttpAndPolly();
    }

    [Fact]
    public async Task A_lookup_answered_503_after_the_retries_logs_one_warning_with_the_status()
    {
        _openLibrary.GivenStatus("/isbn/9780140328721.json", 503);
        using var host = new CatalogHost(_openLibrary.Url, logging: b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));

        var lookup = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        await lookup.Should().ThrowAsync<CatalogUnavailableException>();
        _openLibrary.RequestedPaths.Should().HaveCount(3, "the two retries are taken");
        _logs.Entries.Should().ContainSingle(e => e.Level >= LogLevel.Warning)
            .Which.Message.Should().Contain("/isbn/9780140328721.json").And.Contain("ServiceUnavailable");
        _logs.ShouldHaveQuietHttpAndPolly();
    }
}
