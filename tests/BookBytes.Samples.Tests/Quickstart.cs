using System.Diagnostics;
using System.Reflection;

namespace BookBytes.Samples.Tests;

/// <summary>What one run of the quickstart did.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error.</param>
public sealed record QuickstartRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Starts the built <c>samples/Quickstart</c> as a user does: <c>dotnet BookBytes.Quickstart.dll --book …</c>.</summary>
internal static class Quickstart
{
    /// <summary>The quickstart's built assembly (the project reference builds it before the tests).</summary>
    public static string Dll => Metadata("QuickstartDll");

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>Runs the quickstart in <paramref name="workingDirectory"/> (where it keeps <c>data/</c>) with only the given BookBytes settings.</summary>
    public static async Task<QuickstartRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        File.Exists(Dll).Should().BeTrue($"the quickstart is built at {Dll}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Settings of the machine running the tests (a real key, say) must not reach the sample.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BookBytes", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The quickstart did not end within 3 minutes.\n{await output}\n{await error}");
        }

        return new QuickstartRun(process.ExitCode, await output, await error);
    }

    private static string Metadata(string key)
        => typeof(Quickstart).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"No {key} metadata.");
}
