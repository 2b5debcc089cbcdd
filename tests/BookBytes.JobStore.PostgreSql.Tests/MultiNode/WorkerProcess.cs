using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BookBytes.JobStore.MultiNode;

/// <summary>A BookBytes.JobStore.WorkerHost process: a worker node of its own, killed with SIGKILL on dispose.</summary>
public sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    /// <summary>Gets the ids of the jobs this process started (any attempt).</summary>
    public IReadOnlyList<Guid> StartedJobs => [.. _output.Select(l => JobStarted().Match(l)).Where(m => m.Success).Select(m => Guid.Parse(m.Groups[1].Value))];

    public static async Task<WorkerProcess> StartAsync(string store, string connectionString, FakeOpenAi openAi, string storageRoot, params string[] settings)
    {
        var testAssembly = typeof(WorkerProcess).Assembly.GetName().Name!;
        var dll = Path.Combine(AppContext.BaseDirectory.Replace(testAssembly, "BookBytes.JobStore.WorkerHost", StringComparison.Ordinal), "BookBytes.JobStore.WorkerHost.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The worker host is not built; build tests/BookBytes.JobStore.WorkerHost.", dll);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in new[]
        {
            $"--WorkerHost:Store={store}",
            $"--ConnectionStrings:BookBytes={connectionString}",
            $"--BookBytes:OpenAI:Endpoint={openAi.Endpoint}",
            "--BookBytes:OpenAI:ApiKey=test",
            "--BookBytes:OpenAI:RetryBaseDelay=00:00:00.050",
            $"--BookBytes:Storage:Local:RootPath={storageRoot}",
            "--BookBytes:Summary:Words=60",
            "--BookBytes:Jobs:StepRetryDelay=00:00:00.100",
        }.Concat(settings))
        {
            info.ArgumentList.Add(argument);
        }

        var worker = new WorkerProcess(Process.Start(info)!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAny(worker._ready.Task, worker._process.WaitForExitAsync(timeout.Token));
        if (!worker._ready.Task.IsCompleted)
        {
            worker.Dispose();
            throw new InvalidOperationException("The worker process did not start:\n" + worker.Output);
        }

        return worker;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no release, leases left to expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("WORKER READY", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"Job ([0-9a-f-]{36}) \(\w+\) started")]
    private static partial Regex JobStarted();
}
