using System.Diagnostics;
using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline;
using BookBytes.Pipeline.Processing;
using BookBytes.Providers.Local;
using BookBytes.Providers.Local.Speech;
using BookBytes.Storage.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using BookBytes.Documents;

namespace BookBytes.Benchmarks.Local;

/// <summary>
/// Offline narration through the whole pipeline: a generated book narrated by the machine's own engine (eSpeak NG by
/// default), encoded to MP3 by ffmpeg, joined and stored on local disk. Reports seconds of audio per second of wall time.
/// </summary>
internal static class OfflineNarration
{
    /// <summary>Narrates <paramref name="chapters"/> × <paramref name="words"/> words with <paramref name="voice"/>, <paramref name="slots"/> speech calls in flight.</summary>
    public static async Task RunAsync(int chapters, int words, string voice, int slots)
    {
        var root = Directory.CreateTempSubdirectory("bookbytes-bench-offline-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddBookBytes(o =>
                {
                    o.Tts.MaxConcurrency = slots;
                    o.Jobs.MaxConcurrentJobs = 1;
                })
                .AddExtractiveSummaries()
                .AddLocalSpeech(o => o.Voice = voice)
                .AddLocalStorage(o => o.RootPath = root);
            await using var provider = services.BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            var processing = provider.GetRequiredService<ProcessingService>();
            var book = new BookDocument
            {
                Title = $"Offline Benchmark of {chapters} Chapters",
                Authors = ["A. Author"],
                Language = "en",
                Chapters = [.. Enumerable.Range(1, chapters).Select(n => new DocumentChapter(
                    n, $"Chapter {n}", 0, ChapterKind.Body, Prose.Chapter(words, (ulong)n).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)))],
            };
            var added = await processing.AddDocumentAsync(Encoding.UTF8.GetBytes($"offline benchmark {chapters}x{words}"), "text/plain", book);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var children = ChildCpu();
            var clock = Stopwatch.StartNew();
            var started = await processing.StartProcessingAsync(added.Edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration, Voice = voice });
            JobDetails? job = null;
            await foreach (var update in processing.WatchJobAsync(started.Job.Id, TimeSpan.FromMilliseconds(200)))
            {
                job = update;
            }

            clock.Stop();
            if (job?.Job.Status != JobStatus.Completed)
            {
                throw new InvalidOperationException($"The narration ended {job?.Job.Status}: {job?.Job.ErrorMessage}");
            }

            var details = await processing.GetAudioBookAsync(started.AudioBook.Id) ?? throw new InvalidOperationException("No audiobook.");
            var audio = details.Chapters.Sum(c => c.DurationSeconds ?? 0);
            var characters = book.Chapters.Sum(c => c.Paragraphs.Sum(p => (long)p.Length));
            var bytes = Directory.EnumerateFiles(root, "*.mp3", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var wall = clock.Elapsed.TotalSeconds;
            var hostCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var engineCpu = ChildCpu() - children;
            Console.WriteLine(
                $"Offline narration, {chapters} × {words:N0} words ({characters:N0} characters), voice {voice}, {slots} speech calls in flight, {Environment.ProcessorCount} cores: "
                + $"audio {audio:F0} s ({audio / 3600:F2} h) in wall {wall:F1} s = {audio / wall:F1}× real time (goal ≥ 40×); "
                + $"{bytes / 1_048_576.0:F1} MiB of MP3; CPU: host {hostCpu:F1} s, engines and ffmpeg {engineCpu:F1} s ({(hostCpu + engineCpu) / wall:F2} of {Environment.ProcessorCount} cores busy)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // CPU seconds of this process's waited-for children (the engines and ffmpeg), from /proc/self/stat's cutime + cstime.
    private static double ChildCpu()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: field 3 is state; cutime and cstime are fields 16 and 17 (1-based), here 13 and 14 (0-based from state).
        var ticks = long.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
