using System.Diagnostics;
using System.Text;

namespace BookBytes.Internal.Processes;

/// <summary>Finds programs on <c>PATH</c> and runs their listing commands synchronously, bounded in time and output.</summary>
/// <remarks>
/// Shared source: the local speech engines and the ffmpeg packager find their programs the same way (adapters do not
/// depend on each other). Stateless and thread-safe.
/// </remarks>
internal static class Executables
{
    private const int MaxListingCharacters = 1 << 20;

    /// <summary>The full path of <paramref name="configured"/>: itself when it names a path, else the first match on <c>PATH</c>.</summary>
    /// <returns><see langword="null"/> when no executable file is there.</returns>
    public static string? Resolve(string? configured)
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

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A relative entry (".") would find a program in whatever the current directory is.
            if (!Path.IsPathRooted(directory))
            {
                continue;
            }

            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs <paramref name="path"/> with its standard input closed and returns what it wrote to standard output and error.</summary>
    /// <returns><see langword="null"/> when it did not start, did not end within <paramref name="timeout"/> (it is killed) or exited with an error.</returns>
    public static string? RunListing(string path, IReadOnlyList<string> arguments, TimeSpan timeout)
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
                if (e.Data is not null && output.Length < MaxListingCharacters)
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
            if (!process.WaitForExit(timeout))
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
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
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
