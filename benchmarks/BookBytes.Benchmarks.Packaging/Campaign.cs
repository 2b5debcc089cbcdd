using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace BookBytes.Benchmarks.Packaging;

/// <summary>Makes the chapters once, runs every (book, format) case in a process of its own, and prints the table and the memory ratios.</summary>
internal static class Campaign
{
    public static async Task RunAsync(double minutes, IReadOnlyList<int> counts)
    {
        var root = Path.Combine(Path.GetTempPath(), "bookbytes-bench-packaging");
        var chapters = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"chapters-{minutes:0.###}min"));
        var started = Stopwatch.GetTimestamp();
        var files = await SpeechLikeAudio.EnsureAsync(chapters, minutes);
        Console.WriteLine($"# {files.Count} distinct chapters of {minutes} min in {chapters} ({files.Sum(f => new FileInfo(f).Length) / 1e6:0.0} MB, made or found in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s); chapter i of a book reads file i mod {files.Count}");
        Console.WriteLine();

        var results = new List<CaseResult>();
        foreach (var format in new[] { "m4b", "mp3" })
        {
            foreach (var count in counts)
            {
                var work = Directory.CreateTempSubdirectory("bookbytes-bench-packaging-work-").FullName;
                try
                {
                    results.Add(await RunCaseAsync(chapters, count, format, work));
                    var left = Directory.EnumerateFileSystemEntries(work).Count();
                    if (left != 0)
                    {
                        throw new InvalidOperationException($"{left} files were left in {work}.");
                    }
                }
                finally
                {
                    Directory.Delete(work, recursive: true);
                }

                Print(results[^1]);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| book | format | audio | wall | audio ÷ wall | this process: peak working set | allocated · gen-0 GCs · threads | ffmpeg: peak RSS | ffprobe: peak RSS | ffmpeg + ffprobe CPU | file |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Chapters} × {minutes} min | {r.Format.ToUpperInvariant()} | {r.AudioSeconds / 3600:0.00} h | {r.WallSeconds:0.0} s | {r.AudioSeconds / r.WallSeconds:0}× | {Mib(r.VmHwmBytes)} | {Mib(r.AllocatedBytes)} · {r.Gen0Collections} · {r.Threads} | {Mib(r.FfmpegPeakBytes)} | {Mib(r.FfprobePeakBytes)} | {r.ChildrenCpuSeconds:0.0} s | {r.OutputBytes / 1e6:0.0} MB |"));
        }

        Console.WriteLine();
        foreach (var format in results.Select(r => r.Format).Distinct())
        {
            var small = results.Where(r => r.Format == format).MinBy(r => r.Chapters)!;
            var large = results.Where(r => r.Format == format).MaxBy(r => r.Chapters)!;
            if (small == large)
            {
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{format.ToUpperInvariant()} memory ratio {large.Chapters}/{small.Chapters} chapters: this process {(double)large.VmHwmBytes / small.VmHwmBytes:0.00} (Process.PeakWorkingSet64 {(double)large.PeakWorkingSetBytes / small.PeakWorkingSetBytes:0.00}), ffmpeg {(double)large.FfmpegPeakBytes / small.FfmpegPeakBytes:0.00}; wall {large.WallSeconds / small.WallSeconds:0.0}× for {large.AudioSeconds / small.AudioSeconds:0.0}× the audio; marks match {small.MarksMatch && large.MarksMatch}"));
        }
    }

    private static void Print(CaseResult r)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Chapters} chapters {r.Format}: {r.AudioSeconds:0} s of audio in {r.WallSeconds:0.0} s, peak working set {Mib(r.VmHwmBytes)}, ffmpeg peak RSS {Mib(r.FfmpegPeakBytes)}"));

    private static async Task<CaseResult> RunCaseAsync(string chapters, int count, string format, string work)
    {
        // This program again, as its own process: the apphost, or `dotnet <dll>` when run that way.
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var argument in new[] { "case", chapters, count.ToString(CultureInfo.InvariantCulture), format, work })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("The case did not start.");
        var children = new ChildMemory(process.Id);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        await children.DisposeAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(PackagingCase.ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The case {count} {format} failed (exit {process.ExitCode}): {output}");
        return CaseResult.FromJson(line[PackagingCase.ResultPrefix.Length..]) with { FfmpegPeakBytes = children.Peak("ffmpeg"), FfprobePeakBytes = children.Peak("ffprobe") };
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
