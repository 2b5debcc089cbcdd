namespace BookBytes.Storage.Tests.Support;

/// <summary>One s3rver for every test in <see cref="S3rverGroup"/>.</summary>
/// <remarks>s3rver does not verify signatures: these tests prove routing and format, not signing.</remarks>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverServer? _server;

    /// <summary>Gets the running server.</summary>
    internal S3rverServer Server => _server ?? throw new InvalidOperationException("s3rver has not started.");

    public async Task InitializeAsync() => _server = await S3rverServer.StartAsync("bookbytes-tests");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
