// Upload of a generated 50 MB stream (never held in memory) to each storage backend:
// throughput and managed memory. Run: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Storage
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using BookBytes.Storage;
using BookBytes.Storage.Local;
using BookBytes.Storage.S3;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Options;

const long Size = 50L * 1024 * 1024;
const int Iterations = 5;
const int LocalCopyBufferSize = 128 * 1024; // LocalStorageBackend.CopyBufferSize (internal)
var partSize = S3StorageOptions.MinPartSize + (3 * 1024 * 1024); // the 8 MiB default

Console.WriteLine($"# Storage upload benchmark: {Size / (1024 * 1024)} MiB generated stream, {Iterations} runs each");
Console.WriteLine($"# .NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeInformationText()}, server GC: {GCSettings.IsServerGC}");
Console.WriteLine();

var sandbox = Directory.CreateTempSubdirectory("bookbytes-bench-");

// The idle process, before any backend rents buffers: peaks are reported above this, so pooled
// buffers that outlive an upload (ArrayPool.Shared keeps them for reuse) are counted, not hidden.
GC.Collect();
GC.WaitForPendingFinalizers();
var idle = GC.GetTotalMemory(forceFullCollection: true);
try
{
    var local = new LocalStorageBackend(Options.Create(new LocalStorageOptions { RootPath = Path.Combine(sandbox.FullName, "local") }));
    await RunAsync($"Local (copy buffer {LocalCopyBufferSize / 1024} KiB) -> {sandbox.FullName}", local, idle);

    await using var server = await S3rverServer.StartAsync("bench");
    using var s3 = new S3StorageBackend(Options.Create(new S3StorageOptions
    {
        BucketName = server.BucketName,
        ServiceUrl = server.ServiceUrl,
        ForcePathStyle = true,
        AccessKey = S3rverServer.AccessKey,
        SecretKey = S3rverServer.SecretKey,
        PartSize = partSize,
    }));
    await RunAsync($"S3 -> s3rver (part size {partSize / (1024 * 1024)} MiB)", s3, idle);
}
finally
{
    sandbox.Delete(recursive: true);
}

static async Task RunAsync(string name, IStorageBackend backend, long idle)
{
    // Warm-up: JIT, connection pool, and the first rent of pooled buffers.
    await backend.SaveAsync(StorageKey.Parse("bench/warmup.bin"), new PseudoRandomStream(Size, 1), "application/octet-stream");

    Console.WriteLine($"## {name}");
    Console.WriteLine("| run | MB/s | allocated during upload | peak managed heap above the idle process | peak above the heap just before the upload |");
    Console.WriteLine("|---|---|---|---|---|");
    for (var run = 1; run <= Iterations; run++)
    {
        var key = StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"bench/run-{run}.bin"));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var stop = new CancellationTokenSource();
        long peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }

                await Task.Delay(1).ConfigureAwait(false);
            }
        });

        var watch = Stopwatch.StartNew();
        var stored = await backend.SaveAsync(key, new PseudoRandomStream(Size, (ulong)run), "application/octet-stream");
        watch.Stop();
        stop.Cancel();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (stored.Length != Size)
        {
            throw new InvalidOperationException($"Stored {stored.Length} bytes, expected {Size}.");
        }

        var mbPerSecond = Size / (1024.0 * 1024.0) / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {run} | {mbPerSecond:F0} | {Mib(allocated)} | {Mib(Math.Max(0, peak - idle))} | {Mib(Math.Max(0, peak - baseline))} |"));
        await backend.DeleteAsync(key);
    }

    Console.WriteLine();
}

static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F2} MiB");

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;
