using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>
/// An HTTP server on a loopback port that answers every request with <c>200</c>, its headers and the
/// first four bytes of a chunked body, and then sends nothing more while the connection stays open —
/// what a stalled speech download looks like from the client. WireMock delays whole responses, headers
/// included, so it cannot show this.
/// </summary>
internal sealed class StallingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly SemaphoreSlim _accepted = new(0);
    private int _requests;

    public StallingServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");

    /// <summary>
    /// Waits until <paramref name="count"/> attempts have connected (each opens a connection, as the earlier
    /// ones stay stalled), or 30 s have passed without one, and returns the number of attempts so far.
    /// </summary>
    public async Task<int> WaitForRequestsAsync(int count)
    {
        for (var seen = 0; seen < count && await _accepted.WaitAsync(TimeSpan.FromSeconds(30)); seen++)
        {
        }

        return Volatile.Read(ref _requests);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stop.Dispose();
        _accepted.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(connection);
            }

            Interlocked.Increment(ref _requests);
            _accepted.Release();

            _ = AnswerAsync(connection);
        }
    }

    private async Task AnswerAsync(TcpClient connection)
    {
        try
        {
            var stream = connection.GetStream();
            await ReadRequestAsync(stream);
            var head = "HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nID3\u0004\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task ReadRequestAsync(NetworkStream stream)
    {
        // Headers up to the blank line, then Content-Length bytes of body.
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The client closed the connection.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var headers = Encoding.ASCII.GetString([.. received.Take(headerEnd)]);
        var length = headers.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = received.Count - (headerEnd + 4);
        while (body < length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The client closed the connection.");
            }

            body += read;
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
