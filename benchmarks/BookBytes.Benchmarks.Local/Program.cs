using System.Globalization;
using BookBytes.Benchmarks.Local;

// Benchmarks of the offline providers (BookBytes.Providers.Local).
// Usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Local -- <scenario>
//   extractive   extractive (TextRank) summary time per chapter of 2k, 5k, 10k and 20k words of generated prose
var which = args.Length > 0 ? args[0] : string.Empty;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"BookBytes offline provider benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");

switch (which)
{
    case "extractive":
        await ExtractiveScenario.RunAsync();
        break;
    default:
        Console.Error.WriteLine($"Unknown scenario '{which}'. Scenarios: extractive.");
        return 2;
}

return 0;
