using System.Text.Json;
using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Logging;
using WireMock.Server;

namespace BookBytes.Providers.Anthropic.Tests;

/// <summary>A WireMock server standing in for the Anthropic API, and a DI container wired to it with <c>AddAnthropicLlm</c>.</summary>
internal sealed class AnthropicTestHost : IDisposable
{
    public const string ApiKey = "sk-ant-test-0123456789abcdefSECRET";

    private readonly ServiceProvider _services;

    public AnthropicTestHost(Action<AnthropicOptions>? configure = null)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        new TestBuilder(services).AddAnthropicLlm(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = new Uri(Server.Url!);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
    }

    public WireMockServer Server { get; }

    public IReadOnlyList<ILogEntry> Requests => [.. Server.LogEntries];

    public static JsonElement Body(ILogEntry entry)
    {
        using var document = JsonDocument.Parse(entry.RequestMessage.Body!);
        return document.RootElement.Clone();
    }

    public static string? Header(ILogEntry entry, string name)
        => entry.RequestMessage.Headers is { } headers && headers.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

    public T Get<T>()
        where T : notnull
        => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        Server.Stop();
        Server.Dispose();
    }

    internal sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
