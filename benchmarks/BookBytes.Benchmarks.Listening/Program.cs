// Issue 18: what a listener gets while a book is made (first audio byte, chapter 1, the book), against the schedule's
// bound, with streamed summaries on and off; and P1 through the real host process. The host (samples/WebHost, Release
// build) runs as a child process against an OpenAI-compatible stand-in in this process. See docs/benchmarks.md.
using BookBytes.Benchmarks.Listening;
using BookBytes.Benchmarks.Reliability;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 64;
}

ThreadPool.SetMinThreads(32, 32);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};

try
{
    return options.Scenario switch
    {
        "p1" => await P1Scenario.RunAsync(options, stop.Token),
        "check-stream" => await StreamCheck.RunAsync(options, stop.Token),
        _ => await ListenScenario.RunAsync(options, stop.Token),
    };
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
