using System.Globalization;

namespace BookBytes.Benchmarks.Packaging;

/// <summary>
/// Samples the peak resident set (VmHWM) of the ffmpeg and ffprobe children of a case's process every 25 ms from /proc,
/// from the campaign's process (so the sampling's own allocations are not counted in the case's memory). VmHWM is
/// the kernel's own high-water mark of the program after exec, so a sample taken late in a run is its peak so far; only
/// growth in its last 25 ms can be missed. (getrusage's RUSAGE_CHILDREN is no use here: it counts a child's pages
/// between fork and exec, which are this .NET process's.)
/// </summary>
internal sealed class ChildMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly Dictionary<string, long> _peaks = new(StringComparer.Ordinal);

    public ChildMemory(int parent) => _sampling = Task.Run(() => SampleAsync(parent.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The highest VmHWM seen of a child named <paramref name="program"/>, in bytes.</summary>
    public long Peak(string program)
    {
        lock (_peaks)
        {
            return _peaks.GetValueOrDefault(program);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SampleAsync(string parent)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    // /proc/N/stat: "N (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[1] != parent)
                    {
                        continue;
                    }

                    var comm = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    if (comm is not ("ffmpeg" or "ffprobe"))
                    {
                        continue;
                    }

                    foreach (var line in File.ReadLines(Path.Combine(directory, "status")))
                    {
                        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        {
                            var bytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                            lock (_peaks)
                            {
                                _peaks[comm] = Math.Max(_peaks.GetValueOrDefault(comm), bytes);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
                {
                    // The process ended while it was read, or is not a process directory.
                }
            }
        }
    }
}
