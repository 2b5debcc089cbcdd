using System.Globalization;
using BookBytes.Benchmarks.Pipeline;

// Scenario benchmarks of the pipeline. Usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Pipeline -- [p1|p1b|throughput|p3|all]
var which = args.Length > 0 ? args[0] : "all";
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
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

