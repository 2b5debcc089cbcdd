using System.Globalization;
using BookBytes.Benchmarks.Packaging;

// Packaging benchmark (BookBytes.Packaging.Ffmpeg): a 20-chapter and a 200-chapter book of 3-minute chapters
// (24 kHz mono 64 kbit/s MP3, as local speech writes them) into M4B and MP3, read from files through streams.
// Usage: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Packaging -- [minutes per chapter] [chapter counts...]
//   default: 3 20 200. Each case runs in a process of its own (this program, started again with "case …"), so its peak
//   working set and its children's peak RSS (ffmpeg's) are its own.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "case")
{
    // case <chapter folder> <chapters> <m4b|mp3> <work folder>
    var result = await PackagingCase.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3], args[4]);
    Console.WriteLine(PackagingCase.ResultPrefix + result.ToJson());
    return 0;
}

var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
int[] counts = args.Length > 1 ? args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [20, 200];
Console.WriteLine($"# Packaging benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");
await Campaign.RunAsync(minutes, counts);
return 0;
