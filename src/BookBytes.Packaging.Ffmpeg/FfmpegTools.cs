using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>What was found on this machine: ffmpeg, ffprobe and ffmpeg's audio encoders. Found once, by <see cref="Discover"/>.</summary>
/// <param name="Ffmpeg">ffmpeg, or <see langword="null"/> when it was not found.</param>
/// <param name="Ffprobe">ffprobe, or <see langword="null"/> when it was not found.</param>
/// <param name="Encoders">The names ffmpeg lists in <c>-encoders</c>; empty without ffmpeg.</param>
internal sealed record FfmpegTools(FfmpegProgram? Ffmpeg, FfmpegProgram? Ffprobe, IReadOnlySet<string> Encoders)
{
    /// <summary>ffmpeg's own AAC encoder, for M4B.</summary>
    public const string AacEncoder = "aac";

    /// <summary>LAME, for MP3 that cannot be copied.</summary>
    public const string Mp3Encoder = "libmp3lame";

    /// <summary>ffmpeg's own FLAC encoder, for chapters of different kinds made alike before joining.</summary>
    public const string FlacEncoder = "flac";

    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Finds the programs of <paramref name="options"/> and asks ffmpeg for its encoders (bounded to 15 s).</summary>
    public static FfmpegTools Discover(FfmpegPackagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ffmpeg = Resolve(options.FfmpegPath);
        var ffprobe = Resolve(options.FfprobePath);
        var encoders = new HashSet<string>(StringComparer.Ordinal);
        if (ffmpeg is not null && RunListing(ffmpeg, ["-hide_banner", "-nostdin", "-encoders"]) is { } listing)
        {
            // The list follows a legend ending in "------": lines such as " A....D aac                  AAC (Advanced Audio Coding)".
            var listed = false;
            foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (listed && parts.Length >= 2 && parts[0].Length == 6 && parts[0][0] == 'A')
                {
                    encoders.Add(parts[1]);
                }

                listed |= line.StartsWith("------", StringComparison.Ordinal);
            }
        }

        return new FfmpegTools(
            ffmpeg is null ? null : new FfmpegProgram("ffmpeg", ffmpeg),
            ffprobe is null ? null : new FfmpegProgram("ffprobe", ffprobe),
            encoders);
    }

    /// <summary>Whether ffmpeg was found and lists <paramref name="encoder"/>.</summary>
    public bool Has(string encoder) => Ffmpeg is not null && Encoders.Contains(encoder);

    /// <summary>The full path of <paramref name="configured"/>: itself when it names a path, else the first match on <c>PATH</c>.</summary>
    /// <returns><see langword="null"/> when no executable file is there.</returns>
    internal static string? Resolve(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var name = configured.Trim();
        if (name.Contains('/', StringComparison.Ordinal) || Path.IsPathRooted(name))
        {
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A relative entry (".") would find a program in whatever the current directory is.
            if (Path.IsPathRooted(directory) && Path.Combine(directory, name) is var candidate && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // Synchronous: Supports is, and this runs once per packager. The listing is a few kilobytes.
    private static string? RunListing(string path, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                if (e.Data is not null && output.Length < 1 << 20)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        try
        {
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += Append;
            process.ErrorDataReceived += Append;
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(ListingTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            // The parameterless wait drains the redirected streams.
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                return null;
            }

            lock (output)
            {
                return output.ToString();
            }
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
