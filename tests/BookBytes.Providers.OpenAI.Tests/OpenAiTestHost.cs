using System.Text.Json;
using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.Logging;
using WireMock.Server;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>A WireMock server standing in for the OpenAI API, and a DI container wired to it with <c>AddOpenAI</c>.</summary>
internal sealed class OpenAiTestHost : IDisposable
{
    public const string ApiKey = "sk-test-0123456789abcdefSECRET";

    private readonly ServiceProvider _services;

    public OpenAiTestHost(Action<OpenAiOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        if (logging is not null)
        {
            services.AddLogging(logging);
        }

        new TestBuilder(services).AddOpenAI(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = new Uri(Server.Url + "/v1");
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
    }

    public WireMockServer Server { get; }

    public IServiceProvider Services => _services;

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
