using System.Net;
using System.Net.Sockets;
using BookBytes.Storage.S3;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests.S3;

/// <summary>
/// The S3 backend against an endpoint that hangs up on every request: transport failures, which the AWS SDK
/// throws unwrapped (a bare <see cref="IOException"/>), come out as transient <see cref="StorageException"/>s.
/// (A failure of the caller's own content stream passes through untouched: see the contract tests.)
/// </summary>
public sealed class S3NetworkFailureTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly S3StorageBackend _backend;

    public S3NetworkFailureTests()
    {
        _listener.Start();
        _ = HangUpOnEveryRequestAsync();
        var options = new S3StorageOptions
        {
            BucketName = "audio",
            ServiceUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/"),
            ForcePathStyle = true,
            AccessKey = "key",
            SecretKey = "secret",
        };
        _backend = new S3StorageBackend(Options.Create(options), null, null, c => c.MaxErrorRetry = 0);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _backend.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_connection_closed_without_an_answer_is_a_transient_storage_failure_for_every_operation()
    {
        var key = StorageKey.Parse("audiobooks/b/v1/chapter-001.mp3");

        var exists = () => _backend.ExistsAsync(key);
        var open = () => _backend.OpenReadAsync(key);
        var save = () => _backend.SaveAsync(key, new MemoryStream([1, 2, 3]), "audio/mpeg");

        foreach (var act in new Func<Task>[] { exists, open, save })
        {
            var error = (await act.Should().ThrowAsync<StorageException>()).Which;
            error.IsTransient.Should().BeTrue();
            error.Message.Should().Contain("127.0.0.1").And.Contain("audio");
        }
    }

    private async Task HangUpOnEveryRequestAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Read the request, then hang up without answering: "the response ended prematurely".
                using var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = await connection.GetStream().ReadAsync(new byte[64 * 1024], _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
