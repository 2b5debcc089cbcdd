// P4: POST /api/v1/books/process latency at a fixed arrival rate, open loop.
//
// 1. A fake Open Library (Kestrel, in this process) answers any ISBN with a minimal edition record.
// 2. The real host (samples/WebHost, Release build) runs as its own process on loopback: worker disabled,
//    SQLite store in a temp directory, OpenAI "configured" with an endpoint that is never called (no worker),
//    rate limiter off.
// 3. Seeding: every ISBN the run will post is looked up once (GET /books/isbn/{isbn}), so the editions are in
//    the store and the measured POSTs never reach the catalog (checked: the fake's hit count must not move).
// 4. Warm-up, then the measured run: request i is scheduled at start + i/rate and sent without waiting for
//    earlier ones; its latency is measured from the SCHEDULED time to the response, so a stall delays and is
//    charged to every request scheduled during it (no coordinated omission).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

var rate = Arg("--rate", 500);
var seconds = Arg("--seconds", 30);
var warmupSeconds = Arg("--warmup", 5);
var measured = rate * seconds;
var warmup = rate * warmupSeconds;
var store = args.SkipWhile(a => a != "--store").Skip(1).FirstOrDefault() ?? "Sqlite";

var repo = FindRepoRoot();
var hostDll = Path.Combine(repo, "samples", "WebHost", "bin", "Release", "net10.0", "BookBytes.WebHost.dll");
if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"Build the host first: dotnet build -c Release samples/WebHost ({hostDll} is missing).");
    return 2;
}

ThreadPool.SetMinThreads(64, 64);
var work = Directory.CreateTempSubdirectory("bookbytes-p4-").FullName;
var catalogHits = 0L;

// 1. Fake Open Library.
var fake = WebApplication.CreateSlimBuilder();
fake.WebHost.UseUrls("http://127.0.0.1:0");
fake.Logging.SetMinimumLevel(LogLevel.Warning);
var catalog = fake.Build();
catalog.MapGet("/isbn/{file}", (string file) =>
{
    Interlocked.Increment(ref catalogHits);
    var isbn = file.Replace(".json", "", StringComparison.Ordinal);
    return Results.Content(
        $$"""{"key":"/books/OL{{isbn}}M","title":"Benchmark book {{isbn}}","isbn_13":["{{isbn}}"],"publish_date":"2020","number_of_pages":250}""",
        "application/json");
});
await catalog.StartAsync();
var catalogUrl = catalog.Urls.First();

// 2. The host, as its own process.
var port = FreePort();
var hostUrl = $"http://127.0.0.1:{port}";
var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", hostUrl])
{
    WorkingDirectory = Path.GetDirectoryName(hostDll)!,
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    Environment =
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["BookBytes__Worker__Enabled"] = "false",
        ["BookBytes__Jobs__Store"] = store,
        ["ConnectionStrings__BookBytes"] = $"Data Source={Path.Combine(work, "bookbytes.db")}",
        ["BookBytes__Storage__Provider"] = "Local",
        ["BookBytes__Storage__Local__RootPath"] = Path.Combine(work, "audio"),
        ["BookBytes__OpenAI__Endpoint"] = "http://127.0.0.1:9/v1",
        ["BookBytes__Catalog__OpenLibrary__BaseUrl"] = catalogUrl,
        ["BookBytes__Host__RateLimit__PermitLimit"] = "0",
    },
};
using var host = Process.Start(start)!;
host.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("[host] " + e.Data); };
host.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("[host] " + e.Data); };
host.BeginOutputReadLine();
host.BeginErrorReadLine();

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
using var client = new HttpClient(handler) { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(30) };
try
{
    await WaitReadyAsync(client);

    // 3. Seed the editions of every book the run posts (distinct books: one ISBN per request).
    var isbns = Enumerable.Range(0, warmup + measured).Select(i => Isbn13(100_000_000 + i)).ToArray();
    var seed = Stopwatch.StartNew();
    await Parallel.ForEachAsync(isbns, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (isbn, ct) =>
    {
        using var response = await client.GetAsync($"/api/v1/books/isbn/{isbn}", ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Seeding {isbn}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    });
    Console.WriteLine($"seeded {isbns.Length} editions in {seed.Elapsed.TotalSeconds:F1} s");
    var hitsBeforeRun = Interlocked.Read(ref catalogHits);

    // 4. Warm-up, then the measured run.
    await RunAsync(client, isbns[..warmup], rate);
    var results = await RunAsync(client, isbns[warmup..], rate);
    var catalogDuringRun = Interlocked.Read(ref catalogHits) - hitsBeforeRun;

    var ok = results.Where(r => r.Status == 202).Select(r => r.Latency.TotalMilliseconds).Order().ToArray();
    var failures = results.Where(r => r.Status != 202).GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}").ToArray();
    var sendLag = results.Select(r => r.SendLag.TotalMilliseconds).Order().ToArray();
    var span = results.Max(r => r.Completed) - results.Min(r => r.Scheduled);
    Console.WriteLine($"P4 POST /api/v1/books/process: {rate} req/s for {seconds} s, {results.Length} requests, distinct books, worker disabled, {store} store, loopback");
    Console.WriteLine($"  202: {ok.Length}; other: {(failures.Length == 0 ? "none" : string.Join(", ", failures))}; achieved {results.Length / span.TotalSeconds:F0} req/s");
    Console.WriteLine($"  latency from scheduled send (ms): p50 {P(ok, 50):F2}  p90 {P(ok, 90):F2}  p99 {P(ok, 99):F2}  p99.9 {P(ok, 99.9):F2}  max {ok[^1]:F2}");
    Console.WriteLine($"  client send lag behind schedule (ms): p50 {P(sendLag, 50):F2}  p99 {P(sendLag, 99):F2}  max {sendLag[^1]:F2}");
    Console.WriteLine($"  catalog requests during the measured run: {catalogDuringRun} (must be 0: editions came from the store)");
    Console.WriteLine($"  goal p99 <= 10 ms: {(P(ok, 99) <= 10 ? "met" : "NOT met")}");
    return failures.Length == 0 && catalogDuringRun == 0 ? 0 : 1;
}
finally
{
    host.Kill(entireProcessTree: true);
    await host.WaitForExitAsync();
    await catalog.StopAsync();
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

static async Task<Result[]> RunAsync(HttpClient client, string[] isbns, int rate)
{
    var results = new Result[isbns.Length];
    var tasks = new Task[isbns.Length];
    var clock = Stopwatch.StartNew();
    var interval = TimeSpan.FromSeconds(1.0 / rate);

    // The schedule runs on its own thread, so thread-pool load cannot delay a send slot; each request is
    // started there and completes on the pool.
    var dispatcher = new Thread(() =>
    {
        for (var i = 0; i < isbns.Length; i++)
        {
            var scheduled = interval * i;
            while (clock.Elapsed < scheduled)
            {
                if (scheduled - clock.Elapsed > TimeSpan.FromMilliseconds(1.2))
                {
                    Thread.Sleep(1);
                }
                else
                {
                    Thread.Yield();
                }
            }

            tasks[i] = SendAsync(client, isbns[i], clock, scheduled, results, i);
        }
    }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "schedule" };
    dispatcher.Start();
    await Task.Run(dispatcher.Join);
    await Task.WhenAll(tasks);
    return results;
}

static async Task SendAsync(HttpClient client, string isbn, Stopwatch clock, TimeSpan scheduled, Result[] results, int index)
{
    var sent = clock.Elapsed;
    using var response = await client.PostAsJsonAsync("/api/v1/books/process", new { isbn }).ConfigureAwait(false);
    await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
    var done = clock.Elapsed;
    results[index] = new Result(scheduled, done, done - scheduled, sent - scheduled, (int)response.StatusCode);
}

static async Task WaitReadyAsync(HttpClient client)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(200);
    }

    throw new TimeoutException("The host did not become ready within 60 s.");
}

static double P(double[] sorted, double percentile)
    => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

static string Isbn13(long n)
{
    var digits = "978" + n.ToString("D9", CultureInfo.InvariantCulture);
    var sum = 0;
    for (var i = 0; i < 12; i++)
    {
        sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }

    return digits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BookBytes.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository (BookBytes.sln not found above the program).");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Result(TimeSpan Scheduled, TimeSpan Completed, TimeSpan Latency, TimeSpan SendLag, int Status);
