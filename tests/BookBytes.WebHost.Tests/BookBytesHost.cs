using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// The real host (<see cref="Program"/>) with WireMock standing in for OpenAI and Open Library, storage in
/// a temporary directory, a SQLite file (or the in-memory store), small summaries and short polls.
/// Settings are given with <c>UseSetting</c>, which the host sees before it composes its services.
/// </summary>
public class BookBytesHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private Guid? _failingSummaries;

    /// <summary>
    /// A node whose chat API answers 503 to every summary of "Le petit prince", with no call retries and a first job
    /// retry ten minutes away: its job stays Pending after a failed attempt, for tests of how that is shown.
    /// </summary>
    public static BookBytesHost WithFailingSummariesOfLePetitPrince()
    {
        var host = new BookBytesHost(settings: new Dictionary<string, string?>
        {
            ["BookBytes:Jobs:RetryBaseDelay"] = "00:10:00",
            ["BookBytes:Jobs:MaxRetryDelay"] = "01:00:00",
            ["BookBytes:Llm:CallRetries"] = "0",
            ["BookBytes:OpenAI:MaxRetries"] = "0",
        });
        host.FailSummariesOfLePetitPrince();
        return host;
    }

    /// <summary>
    /// A node whose chat API answers 503 to every summary of "Le petit prince" until <see cref="RecoverSummaries"/>, with no
    /// call or job retries: its audiobook ends Failed at once, for tests of what a reader can do then.
    /// </summary>
    public static BookBytesHost WithSummariesOfLePetitPrinceFailingUntilRecovered()
    {
        var host = new BookBytesHost(settings: new Dictionary<string, string?>
        {
            ["BookBytes:Jobs:MaxAttempts"] = "1",
            ["BookBytes:Llm:CallRetries"] = "0",
            ["BookBytes:OpenAI:MaxRetries"] = "0",
        });
        host.FailSummariesOfLePetitPrince();
        return host;
    }

    /// <summary>Lets the chat API answer the summaries of "Le petit prince" again.</summary>
    public void RecoverSummaries() => OpenAi.Server.DeleteMapping(_failingSummaries ?? throw new InvalidOperationException("The summaries were not failing."));

    private void FailSummariesOfLePetitPrince()
    {
        _failingSummaries = Guid.NewGuid();
        OpenAi.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeOpenAi.ChatPath).UsingPost()
                .WithBody(new WireMock.Matchers.RegexMatcher("(?si)^(?=.*chapter_summary)(?=.*petit prince).*$")))
            .WithGuid(_failingSummaries.Value)
            .AtPriority(2)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503));
    }

    /// <summary>
    /// Settings that leave a node without any provider: OpenAI chosen for the summaries but not configured, and the local
    /// speech engines' paths pointing nowhere (as on a machine without espeak-ng).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> NoLocalSpeech { get; } = new Dictionary<string, string?>
    {
        ["BookBytes:Llm:Provider"] = "OpenAI",
        ["BookBytes:Local:Speech:EspeakNgPath"] = "/nonexistent/espeak-ng",
        ["BookBytes:Local:Speech:FlitePath"] = "/nonexistent/flite",
        ["BookBytes:Local:Speech:Text2WavePath"] = "/nonexistent/text2wave",
    };

    public BookBytesHost(bool providers = true, bool worker = true, string store = "Sqlite", IReadOnlyDictionary<string, string?>? settings = null)
    {
        OpenAi = new FakeOpenAi();
        Catalog = new FakeOpenLibrary();
        Root = Directory.CreateTempSubdirectory("bookbytes-webhost-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["BookBytes:Catalog:OpenLibrary:BaseUrl"] = Catalog.Url,
            ["BookBytes:Catalog:OpenLibrary:MaxRetryAttempts"] = "0",
            ["BookBytes:Jobs:Store"] = store,
            ["ConnectionStrings:BookBytes"] = $"Data Source={Path.Combine(Root, "bookbytes.db")}",
            ["BookBytes:Storage:Provider"] = "Local",
            ["BookBytes:Storage:Local:RootPath"] = Path.Combine(Root, "audio"),
            ["BookBytes:Summary:Words"] = "50",
            ["BookBytes:Jobs:PollInterval"] = "00:00:00.050",
            ["BookBytes:Jobs:RetryBaseDelay"] = "00:00:00.050",
            ["BookBytes:Jobs:StepRetryDelay"] = "00:00:00.010",
            ["BookBytes:Worker:Enabled"] = worker ? "true" : "false",
            ["BookBytes:Host:EventsPollInterval"] = "00:00:00.050",
            ["BookBytes:Host:RateLimit:PermitLimit"] = "0",
        };
        if (providers)
        {
            _settings["BookBytes:OpenAI:Endpoint"] = OpenAi.Url + "/v1";
            _settings["BookBytes:OpenAI:ApiKey"] = FakeOpenAi.ApiKey;
            _settings["BookBytes:OpenAI:RetryBaseDelay"] = "00:00:00.010";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeOpenAi OpenAi { get; }

    public FakeOpenLibrary Catalog { get; }

    public string Root { get; }

    /// <summary>Serves over Kestrel on a free loopback port (for the browser) and returns its address.</summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            OpenAi.Dispose();
            Catalog.Dispose();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a closing connection; the temp directory is cleaned by the OS.
            }
        }
    }
}
