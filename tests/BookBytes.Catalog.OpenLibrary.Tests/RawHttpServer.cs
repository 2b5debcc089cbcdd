using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BookBytes.Catalog.OpenLibrary.Tests;

/// <summary>
/// A loopback server that writes one fixed answer's head and the start of its body, then holds the connection open:
/// for answers WireMock will not give (a declared length it rewrites, a body that stalls after the headers).
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];

    public RawHttpServer(string head, byte[] bodyStart)
    {
        _listener.Start();
        _ = ServeAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"), bodyStart);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Requests { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(byte[] head, byte[] bodyStart)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                Requests++;
                var stream = client.GetStream();
                var request = new byte[4096];
                _ = await stream.ReadAsync(request, _stop.Token);
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(bodyStart, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // Stopped.
        }
    }
}
