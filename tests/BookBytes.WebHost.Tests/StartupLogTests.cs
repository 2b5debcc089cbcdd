using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.WebHost.Tests;

/// <summary>What the host says about itself when it starts.</summary>
public sealed class StartupLogTests
{
    private const string FeedSecret = "a-feed-secret-for-the-tests-0123456789";

    [Theory]
    [InlineData("listener-key", null, true)]
    [InlineData("listener-key", FeedSecret, false)]
    [InlineData(null, null, false)]
    [InlineData("   ", null, false)]
    public void Start_up_warns_once_that_podcast_apps_cannot_reach_private_feeds_when_keys_are_on_and_no_feed_secret_is_set(string? apiKey, string? feedSecret, bool warned)
    {
        var settings = new Dictionary<string, string?>();
        if (apiKey is not null)
        {
            settings["BookBytes:Host:ApiKeys:0"] = apiKey;
        }

        if (feedSecret is not null)
        {
            settings["BookBytes:Host:FeedSecret"] = feedSecret;
        }

        using var host = new LoggedHost(settings);

        _ = host.CreateClient();

        var warnings = host.Logs.Where(l => l.Level == LogLevel.Warning && l.Message.Contains("BookBytes:Host:FeedSecret", StringComparison.Ordinal)).ToList();
        if (warned)
        {
            warnings.Should().ContainSingle().Which.Message.Should().Contain("podcast apps").And.Contain("16 characters").And.Contain("BookBytes:Host:ApiKeys");
        }
        else
        {
            warnings.Should().BeEmpty();
        }
    }

    private sealed class LoggedHost(IReadOnlyDictionary<string, string?> settings) : BookBytesHost(worker: false, store: "InMemory", settings: settings)
    {
        private readonly CapturingLoggerProvider _logs = new();

        public IReadOnlyCollection<(LogLevel Level, string Message)> Logs => _logs.Entries;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs));
        }
    }
}
