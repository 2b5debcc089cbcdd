using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// The real host (samples/WebHost, Release build) as a child process on a free loopback port. Keeps the last
/// lines of its output for diagnosis. Every started process is killed when this program exits, however it exits.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    static HostProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    private HostProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static HostProcess Start(string hostDll, IReadOnlyDictionary<string, string> environment, bool echo)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", url])
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The campaign measures defaults: settings inherited from this shell must not reach the host.
        foreach (var inherited in start.Environment.Keys.Where(IsHostSetting).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, url);
        Live[process.Id] = process;
        process.OutputDataReceived += (_, e) => host.Keep(e.Data, echo);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data, echo);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for <c>/health/ready</c>; throws with the output's tail when the host exits or the time runs out.</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new HostFailedException($"The host exited with code {_process.ExitCode} before it was ready.", Tail());
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await client.GetAsync(new Uri(Url + "/health/ready"), attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new HostFailedException($"The host was not ready within {timeout.TotalSeconds:F0} s.", Tail());
    }

    /// <summary>SIGKILL (kill -9): no shutdown, no release of running jobs.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Live.TryRemove(_process.Id, out _);
    }

    public string Tail(int lines = 40)
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail.TakeLast(lines));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    private void Keep(string? line, bool echo)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        if (echo)
        {
            Console.Error.WriteLine("[host] " + line);
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 200)
            {
                _tail.Dequeue();
            }
        }
    }

    private static bool IsHostSetting(string name)
        => name.StartsWith("BookBytes__", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
            || name.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The host did not start; <see cref="OutputTail"/> is the end of what it wrote.</summary>
internal sealed class HostFailedException(string message, string outputTail) : Exception(message)
{
    public string OutputTail { get; } = outputTail;
}
