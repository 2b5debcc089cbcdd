using System.Diagnostics;

namespace BookBytes.WebHost.Tests.OpenApi;

/// <summary>Runs the Node.js tools pinned in <c>tools/package.json</c> (installed by <c>npm ci</c> in <c>tools/</c>, as build.sh does).</summary>
internal static class NodeTools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ToolsDirectory => Path.Combine(RepositoryRoot, "tools");

    /// <summary>Runs a tool's script (a path under <c>tools/node_modules</c>) with node and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, string workingDirectory, params string[] arguments)
    {
        var path = Path.Combine(ToolsDirectory, "node_modules", script);
        File.Exists(path).Should().BeTrue($"{script} is installed by `npm ci` in tools/ (./build.sh test does it)");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            Environment =
            {
                ["NODE_PATH"] = Path.Combine(ToolsDirectory, "node_modules"),
                ["REDOCLY_TELEMETRY"] = "off",
                ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
                ["NO_COLOR"] = "1",
            },
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BookBytes.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (BookBytes.sln) was not found.");
    }
}
