using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Logging;
using WireMock.Server;

namespace BookBytes.Providers.Ollama.Tests;

/// <summary>A WireMock server standing in for Ollama, and a DI container wired to it with <c>AddOllamaLlm</c>.</summary>
internal sealed class OllamaTestHost : IDisposable
{
    private readonly ServiceProvider _services;

    public OllamaTestHost(Action<OllamaOptions>? configure = null)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        new TestBuilder(services).AddOllamaLlm(o =>
        {
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

    /// <summary>A loopback socket bound but not listening: connections to its port are refused, and no other test can take the port while it is held.</summary>
    public static System.Net.Sockets.Socket RefusingSocket()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

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
