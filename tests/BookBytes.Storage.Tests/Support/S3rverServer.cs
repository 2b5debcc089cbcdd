using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BookBytes.Storage.Tests.Support;

/// <summary>
/// A real s3rver (the npm package pinned in <c>tools/package.json</c>) on a free loopback port with a
/// throw-away data folder; disposing it kills the process and deletes the folder.
/// </summary>
/// <remarks>
/// s3rver checks the access key id but does NOT verify request signatures: tests against it prove
/// routing, request format and payload handling, not SigV4 signing.
/// </remarks>
internal sealed class S3rverServer : IAsyncDisposable
{
    /// <summary>The access key id s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret key that goes with <see cref="AccessKey"/> (not verified by s3rver).</summary>
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DirectoryInfo _dataDirectory;
    private readonly StringBuilder _output;

    private S3rverServer(Process process, DirectoryInfo dataDirectory, StringBuilder output, Uri serviceUrl, string bucketName)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _output = output;
        ServiceUrl = serviceUrl;
        BucketName = bucketName;
    }

    /// <summary>Gets the server's base URL, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>Gets the name of the bucket the server was started with.</summary>
    public string BucketName { get; }

    /// <summary>Starts s3rver with one bucket and waits until it answers HTTP.</summary>
    /// <param name="bucketName">The bucket to create.</param>
    /// <returns>The running server.</returns>
    public static async Task<S3rverServer> StartAsync(string bucketName)
    {
        var script = Path.Combine(FindRepositoryRoot(), "tools", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing). Run `./build.sh test` from the repository root (it runs `npm ci` in tools/), or `cd tools && npm ci`.");
        }

        // The port is free when picked but bound only when node starts; if another process takes it in
        // between, s3rver exits (EADDRINUSE) and it is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(script, bucketName).ConfigureAwait(false);
            }
            catch (S3rverExitedException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<S3rverServer> StartOnceAsync(string script, string bucketName)
    {
        var port = FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("bookbytes-s3rver-");
        var start = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { script, "-d", dataDirectory.FullName, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--configure-bucket", bucketName, "-s" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new S3rverServer(process, dataDirectory, output, new Uri($"http://127.0.0.1:{port}/"), bucketName);
        try
        {
            await server.WaitUntilAnsweringAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Finds the folder holding BookBytes.sln, walking up from the test binaries.</summary>
    /// <returns>The repository root.</returns>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BookBytes.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No BookBytes.sln above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            try
            {
                _dataDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is under the temp folder.
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new S3rverExitedException($"s3rver exited with code {_process.ExitCode} before answering: {Output()}");
            }

            try
            {
                // Its bucket list names our bucket: it is this s3rver answering, not whatever else took the port.
                using var response = await http.GetAsync(ServiceUrl).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Contains(BucketName, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"s3rver did not answer on {ServiceUrl} within {StartTimeout.TotalSeconds} s: {Output()}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private sealed class S3rverExitedException(string message) : InvalidOperationException(message);
}
