// Reliability campaign: the real host (samples/WebHost, Release build) as a child process on loopback, on
// default settings, against a fake OpenAI-compatible API and a fake Open Library in this process that fail,
// rate-limit, stall and truncate on purpose. See README.md next to this file for the scenarios.
using BookBytes.Benchmarks.Reliability;

CampaignOptions options;
try
{
    options = CampaignOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(CampaignOptions.Usage);
    return 64;
}

ThreadPool.SetMinThreads(32, 32);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C unwinds (the host is killed and the temp directory deleted on the way); a second one exits at once.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("stopping...");
        stop.Cancel();
    }
};

try
{
    return options.Scenario == "kill"
        ? await KillScenario.RunAsync(options, stop.Token)
        : await BatchScenario.RunAsync(options, stop.Token);
}
catch (HostFailedException ex)
{
    Console.Error.WriteLine($"HOST FAILED: {ex.Message}");
    Console.Error.WriteLine("--- host output (tail) ---");
    Console.Error.WriteLine(ex.OutputTail);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
