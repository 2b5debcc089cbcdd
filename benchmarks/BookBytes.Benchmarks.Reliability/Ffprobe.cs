using System.Diagnostics;
using System.Globalization;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>Measures a file's duration with <c>ffprobe</c> (null when it is missing, fails or takes over 30 s).</summary>
internal static class Ffprobe
{
    public static async Task<double?> DurationAsync(string file, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // ffprobe is not installed
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                _ = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode == 0 && double.TryParse((await output).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                return null;
            }
        }
    }
}
