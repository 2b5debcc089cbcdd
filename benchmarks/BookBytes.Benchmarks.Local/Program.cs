using System.Globalization;
using BookBytes.Benchmarks.Local;

// Benchmarks of the offline providers (BookBytes.Providers.Local).
// Usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Local -- <scenario>
//   extractive   extractive (TextRank) summary time per chapter of 2k, 5k, 10k and 20k words of generated prose
//   narration [chapters] [words] [voice] [slots]   offline narration through the pipeline (default 4 × 5,000 words, flite.slt, 8
//                speech calls in flight): seconds of audio per second of wall time, engines and ffmpeg included
var which = args.Length > 0 ? args[0] : string.Empty;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"BookBytes offline provider benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");

switch (which)
{
    case "extractive":
        await ExtractiveScenario.RunAsync();
        break;
    case "narration":
        await OfflineNarration.RunAsync(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000,
            args.Length > 3 ? args[3] : "flite.slt",
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8);
        break;
    default:
        Console.Error.WriteLine($"Unknown scenario '{which}'. Scenarios: extractive, narration.");
        return 2;
}

return 0;
