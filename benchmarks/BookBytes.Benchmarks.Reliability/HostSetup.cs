namespace BookBytes.Benchmarks.Reliability;

/// <summary>Where the Release host is, and the settings that point it at fakes in this process and at a temp directory.</summary>
internal static class HostSetup
{
    /// <summary>samples/WebHost's Release <c>BookBytes.WebHost.dll</c>; throws when it has not been built.</summary>
    public static string ReleaseHostDll()
    {
        var hostDll = Path.Combine(FindRepoRoot(), "samples", "WebHost", "bin", "Release", "net10.0", "BookBytes.WebHost.dll");
        return File.Exists(hostDll)
            ? hostDll
            : throw new FileNotFoundException($"Build the host first: dotnet build -c Release samples/WebHost ({hostDll} is missing).");
    }

    /// <summary>
    /// Production environment, SQLite at <c>{work}/bookbytes.db</c>, local storage under <paramref name="audioRoot"/>, OpenAI at
    /// <paramref name="openAiEndpoint"/> with a dummy key, Open Library at <paramref name="catalogUrl"/>; nothing else changed.
    /// </summary>
    public static Dictionary<string, string> Environment(string work, string audioRoot, string openAiEndpoint, string catalogUrl, string logLevel)
        => new(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = logLevel,
            ["ConnectionStrings__BookBytes"] = $"Data Source={Path.Combine(work, "bookbytes.db")}",
            ["BookBytes__Storage__Local__RootPath"] = audioRoot,
            ["BookBytes__OpenAI__Endpoint"] = openAiEndpoint,
            ["BookBytes__OpenAI__ApiKey"] = "sk-reliability-campaign",
            ["BookBytes__Catalog__OpenLibrary__BaseUrl"] = catalogUrl,
        };

    /// <summary>Where the pipeline stores a chapter's audio with local storage.</summary>
    public static string ChapterFile(string audioRoot, Guid audioBookId, int version, int chapter)
        => Path.Combine(audioRoot, "audiobooks", audioBookId.ToString("D"), $"v{version}", $"chapter-{chapter:D3}.mp3");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BookBytes.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository (BookBytes.sln not found above the program).");
    }
}
