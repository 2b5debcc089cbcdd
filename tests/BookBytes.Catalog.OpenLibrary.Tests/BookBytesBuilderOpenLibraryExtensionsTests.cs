using BookBytes.Books;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class BookBytesBuilderOpenLibraryExtensionsTests : IDisposable
{
    private readonly FakeOpenLibrary _openLibrary = new();

    public void Dispose() => _openLibrary.Dispose();

    [Theory]
    [InlineData(null, true)]
    [InlineData("ops@example.com", false)]
    public void Creating_the_catalog_without_a_contact_logs_a_warning_naming_the_setting(string? contact, bool warned)
    {
        var services = new ServiceCollection();
        var logs = new CapturingLoggerProvider();
        services.AddLogging(l => l.AddProvider(logs));
        new TestBuilder(services).AddOpenLibraryCatalog(o => o.Contact = contact);
        using var provider = services.BuildServiceProvider();

        _ = provider.GetRequiredService<IBookCatalog>();

        logs.Messages.Any(m => m.Contains("BookBytes:Catalog:OpenLibrary:Contact", StringComparison.Ordinal)).Should().Be(warned);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Registration_exposes_one_singleton_catalog_as_itself_and_as_the_contract()
    {
        using var host = new CatalogHost(_openLibrary.Url);

        var catalog = host.Services.GetRequiredService<IBookCatalog>();

        catalog.Should().BeOfType<OpenLibraryCatalog>();
        catalog.Should().BeSameAs(host.Services.GetRequiredService<OpenLibraryCatalog>());
        host.Services.GetServices<IBookCatalog>().Should().ContainSingle();
    }

    [Fact]
    public async Task Options_are_bound_from_the_configuration_section()
    {
        _openLibrary.GivenFantasticMrFox();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Catalog:OpenLibrary:BaseUrl"] = _openLibrary.Server.Url,
            ["BookBytes:Catalog:OpenLibrary:Contact"] = "ops@library.example",
            ["BookBytes:Catalog:OpenLibrary:MaxSubjects"] = "3",
        });
        new TestBuilder(builder.Services).AddOpenLibraryCatalog();
        using var host = builder.Build();
        await host.StartAsync();

        var edition = await host.Services.GetRequiredService<IBookCatalog>().FindByIsbnAsync(Isbn.Parse("9780140328721"));

        edition!.Subjects.Should().HaveCount(3);
        _openLibrary.Server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["User-Agent"].ToString().EndsWith(" (ops@library.example)", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_base_url_that_is_not_an_absolute_http_url_fails_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Catalog:OpenLibrary:BaseUrl"] = "openlibrary.org",
        });
        new TestBuilder(builder.Services).AddOpenLibraryCatalog();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("BookBytes:Catalog:OpenLibrary:BaseUrl");
    }

    [Fact]
    public void A_base_url_with_another_scheme_is_rejected_naming_the_key()
    {
        using var host = new CatalogHost(new Uri("ftp://openlibrary.org"));

        var act = () => host.Services.GetRequiredService<IOptions<OpenLibraryOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*BookBytes:Catalog:OpenLibrary:BaseUrl must be an absolute http or https URL*ftp://openlibrary.org*");
    }

    [Fact]
    public void A_total_timeout_below_the_attempt_timeout_is_rejected_naming_both_keys()
    {
        using var host = new CatalogHost(_openLibrary.Url, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(20);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        });

        var act = () => host.Services.GetRequiredService<IOptions<OpenLibraryOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .WithMessage("*BookBytes:Catalog:OpenLibrary:TotalTimeout*BookBytes:Catalog:OpenLibrary:Timeout*");
    }

    [Theory]
    [InlineData(nameof(OpenLibraryOptions.UserAgent), "")]
    [InlineData(nameof(OpenLibraryOptions.Contact), "ops@example.org)")]
    [InlineData(nameof(OpenLibraryOptions.MaxRetryAttempts), "11")]
    [InlineData(nameof(OpenLibraryOptions.CacheDuration), "-00:00:01")]
    [InlineData(nameof(OpenLibraryOptions.RetryDelay), "00:05:00")]
    [InlineData(nameof(OpenLibraryOptions.CoversBaseUrl), "ftp://covers.openlibrary.org")]
    public async Task A_bad_setting_fails_at_start_naming_its_key(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"BookBytes:Catalog:OpenLibrary:{key}"] = value,
        });
        new TestBuilder(builder.Services).AddOpenLibraryCatalog();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain($"BookBytes:Catalog:OpenLibrary:{key}");
    }

    [Fact]
    public void The_default_options_are_valid_and_name_open_library_and_the_project()
    {
        var options = new OpenLibraryOptions();

        var result = new OpenLibraryOptionsValidator().Validate(null, options);

        result.Succeeded.Should().BeTrue();
        options.BaseUrl.Should().Be(new Uri("https://openlibrary.org"));
        options.CoversBaseUrl.Should().Be(new Uri("https://covers.openlibrary.org"));
        options.EffectiveUserAgent.Should().Be("BookBytes/0.1", "the default names no project URL: the project has no public home yet");
        options.CacheDuration.Should().BeGreaterThan(options.NegativeCacheDuration);
    }

    [Fact]
    public async Task Adding_the_catalog_twice_keeps_one_catalog_and_one_resilience_handler()
    {
        _openLibrary.GivenStatus("/isbn/9780140328721.json", 500);
        var services = new ServiceCollection();
        var bookBytes = new TestBuilder(services);
        bookBytes.AddOpenLibraryCatalog(o =>
        {
            o.BaseUrl = _openLibrary.Url;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
        });
        bookBytes.AddOpenLibraryCatalog(o => o.MaxRetryAttempts = 1);
        using var provider = services.AddLogging().BuildServiceProvider();

        var act = () => provider.GetRequiredService<IBookCatalog>().FindByIsbnAsync(Isbn.Parse("9780140328721"));

        await act.Should().ThrowAsync<CatalogUnavailableException>();
        provider.GetServices<IBookCatalog>().Should().ContainSingle();
        _openLibrary.RequestedPaths.Should().HaveCount(2, "the second call's MaxRetryAttempts = 1 applies, and retries are not doubled");
    }

    [Fact]
    public void AddOpenLibraryCatalog_replaces_a_catalog_registered_before()
    {
        var services = new ServiceCollection();
        services.AddLogging().AddSingleton<IBookCatalog, NoBooks>();

        new TestBuilder(services).AddOpenLibraryCatalog();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IBookCatalog>().Should().ContainSingle().Which.Should().BeOfType<OpenLibraryCatalog>();
    }

    [Fact]
    public async Task A_catalog_registered_in_its_place_leaves_its_bad_settings_unchecked_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:Catalog:OpenLibrary:BaseUrl"] = "openlibrary.org" });
        new TestBuilder(builder.Services).AddOpenLibraryCatalog();
        builder.Services.AddSingleton<IBookCatalog, NoBooks>();
        using var host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<IBookCatalog>().Should().BeOfType<NoBooks>();
        await host.StopAsync();
    }

    private sealed class NoBooks : IBookCatalog
    {
        public Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default) => Task.FromResult<Edition?>(null);
    }
}
