using System.Globalization;
using BookBytes.Benchmarks.Pipeline;

// Scenario benchmarks of the pipeline. Usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Pipeline -- [p1|p1b|throughput|p3|narration|grounded|grounded-parts|all]
// "all" runs the issue-3 scenarios (p1, p1b, throughput, p3); the issue-15 ones (narration ≈ 16 min, grounded, grounded-parts) are named alone.
var which = args.Length > 0 ? args[0] : "all";
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"BookBytes pipeline benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");

if (which is "p1" or "all")
{
    await Scenarios.P1OverheadAsync();
}

if (which is "p1b" or "all")
{
    await Scenarios.P1bRealisticAsync();
}

if (which is "throughput" or "all")
{
    await Scenarios.RunnerThroughputAsync();
}

if (which is "p3" or "all")
{
    await Scenarios.P3MemoryAsync();
}

if (which is "narration")
{
    await DocumentScenarios.NarrationAsync();
}

if (which is "grounded")
{
    await DocumentScenarios.GroundedAsync(maxInputTokens: null);
}

if (which is "grounded-parts")
{
    await DocumentScenarios.GroundedAsync(maxInputTokens: 4_000);
}

