using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using BookBytes.Packaging;
using BookBytes.Packaging.Ffmpeg;
using BookBytes.Tts;

namespace BookBytes.Benchmarks.Packaging;

/// <summary>What one case measured; the campaign fills in the children's peaks (<see cref="ChildMemory"/>).</summary>
internal sealed record CaseResult(
    int Chapters, string Format, double AudioSeconds, double WallSeconds, long OutputBytes,
    long PeakWorkingSetBytes, long VmHwmBytes, long FfmpegPeakBytes, long FfprobePeakBytes, double ChildrenCpuSeconds, long AllocatedBytes,
    long ManagedHeapBytes, int Gen0Collections, int Threads, bool MarksMatch)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static CaseResult FromJson(string json) => JsonSerializer.Deserialize<CaseResult>(json)!;
}

/// <summary>One book into one format, in this process: the packager reads each chapter from its file through a stream.</summary>
internal static partial class PackagingCase
{
    public const string ResultPrefix = "RESULT ";

    public static async Task<CaseResult> RunAsync(string chapterFolder, int chapters, string format, string workFolder)
    {
        var files = Directory.GetFiles(chapterFolder, "chapter-*.mp3").Order(StringComparer.Ordinal).ToArray();
        var packageFormat = format == "m4b" ? PackageFormat.M4b : PackageFormat.Mp3;
        var request = new PackageRequest(
            packageFormat,
            Enumerable.Range(0, chapters).Select(i => new PackageChapter(
                $"Chapter {i + 1}",
                AudioFormat.Mp3,
                _ => Task.FromResult<Stream>(new FileStream(files[i % files.Length], FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan)))).ToList(),
            new PackageTags { Title = "A Benchmark Book", Authors = ["B. Enchmark"], Year = 2026, Narrator = "flite.slt", Description = "Speech-like audio." });
        var packager = new FfmpegAudioPackager(new FfmpegPackagingOptions { TempDirectory = workFolder });

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await using var packaged = await packager.PackageAsync(request);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var marksMatch = packaged.Chapters.Count == chapters && Math.Abs(packaged.Chapters[^1].StartSeconds + packaged.Chapters[^1].DurationSeconds - packaged.DurationSeconds) < 0.1;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return new CaseResult(
            chapters, format, packaged.DurationSeconds, wall, packaged.Length,
            self.PeakWorkingSet64, VmHwm(), 0, 0, ChildrenCpuSeconds(), allocated,
            GC.GetGCMemoryInfo().HeapSizeBytes, GC.CollectionCount(0), self.Threads.Count, marksMatch);
    }

    /// <summary>This process's peak resident set (VmHWM in /proc/self/status), in bytes.</summary>
    private static long VmHwm()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>The CPU time of the children waited for (ffmpeg and ffprobe). Their ru_maxrss is not used: see <see cref="ChildMemory"/>.</summary>
    private static double ChildrenCpuSeconds()
        => GetRusage(RusageChildren, out var usage) != 0
            ? 0
            : usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);

    private const int RusageChildren = -1;

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
