using BookBytes.Llm;
using BookBytes.Providers.Ollama.Chat;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Ollama.Tests;

public sealed class BookBytesBuilderOllamaExtensionsTests
{
    [Fact]
    public void Settings_are_bound_from_the_BookBytes_Ollama_section()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:Ollama:Endpoint"] = "http://gpu-box:11434",
            ["BookBytes:Ollama:Model"] = "qwen2.5:14b",
            ["BookBytes:Ollama:Timeout"] = "00:10:00",
            ["BookBytes:Ollama:MaxRetries"] = "3",
            ["BookBytes:Ollama:RetryBaseDelay"] = "00:00:05",
            ["BookBytes:Ollama:MaxOutputTokens"] = "2048",
        });

        var options = services.GetRequiredService<IOptions<OllamaOptions>>().Value;

        options.Endpoint.Should().Be(new Uri("http://gpu-box:11434"));
        options.Model.Should().Be("qwen2.5:14b");
        options.Timeout.Should().Be(TimeSpan.FromMinutes(10));
        options.MaxRetries.Should().Be(3);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(5));
        options.MaxOutputTokens.Should().Be(2048);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new OllamaOptions();

        options.Endpoint.Should().Be(new Uri("http://localhost:11434"));
        options.Model.Should().Be("llama3.2");
        options.Timeout.Should().Be(TimeSpan.FromMinutes(5));
        options.MaxRetries.Should().Be(1);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(2));
        options.MaxOutputTokens.Should().BeNull();
    }

    [Fact]
    public void The_configure_callback_is_applied_after_configuration()
    {
        using var services = Build(
            new Dictionary<string, string?> { ["BookBytes:Ollama:Model"] = "llama3.1:8b", ["BookBytes:Ollama:MaxRetries"] = "4" },
            o => o.Model = "mistral");

        var options = services.GetRequiredService<IOptions<OllamaOptions>>().Value;

        options.Model.Should().Be("mistral");
        options.MaxRetries.Should().Be(4);
    }

    [Theory]
    [InlineData("Endpoint", "ftp://example.com", "BookBytes:Ollama:Endpoint")]
    [InlineData("Endpoint", "/relative", "BookBytes:Ollama:Endpoint")]
    [InlineData("Model", " ", "BookBytes:Ollama:Model")]
    [InlineData("Timeout", "00:00:00", "BookBytes:Ollama:Timeout")]
    [InlineData("Timeout", "02:00:00", "BookBytes:Ollama:Timeout")]
    [InlineData("MaxRetries", "-1", "BookBytes:Ollama:MaxRetries")]
    [InlineData("MaxRetries", "11", "BookBytes:Ollama:MaxRetries")]
    [InlineData("RetryBaseDelay", "01:00:00", "BookBytes:Ollama:RetryBaseDelay")]
    [InlineData("MaxOutputTokens", "0", "BookBytes:Ollama:MaxOutputTokens")]
    public void A_bad_setting_fails_validation_with_a_message_naming_its_key(string key, string value, string expectedKey)
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:Ollama:" + key] = value });

        var act = () => services.GetRequiredService<IOptions<OllamaOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(expectedKey);
    }

    [Fact]
    public async Task A_bad_setting_fails_the_host_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:Ollama:Model"] = "" });
        new OllamaTestHost.TestBuilder(builder.Services).AddOllamaLlm();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("BookBytes:Ollama:Model");
    }

    [Fact]
    public void The_provider_is_a_singleton_in_the_ILlmProvider_slot()
    {
        using var services = Build([]);

        var llm = services.GetRequiredService<ILlmProvider>();

        llm.Should().BeOfType<OllamaLlmProvider>().And.BeSameAs(services.GetRequiredService<ILlmProvider>());
        services.GetServices<ILlmProvider>().Should().ContainSingle();
    }

    [Fact]
    public void AddOllamaLlm_replaces_a_provider_registered_before()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<ILlmProvider, FakeLlmProvider>();

        new OllamaTestHost.TestBuilder(collection).AddOllamaLlm();
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle().Which.Should().BeOfType<OllamaLlmProvider>();
    }

    [Fact]
    public async Task A_provider_registered_later_displaces_Ollama_and_its_bad_settings_no_longer_fail_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:Ollama:Model"] = "" });
        new OllamaTestHost.TestBuilder(builder.Services).AddOllamaLlm(o => o.MaxRetries = 99);
        builder.Services.AddSingleton<ILlmProvider, FakeLlmProvider>();
        using var host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<ILlmProvider>().Should().BeOfType<FakeLlmProvider>();
        await host.StopAsync();
    }

    [Fact]
    public void Calling_AddOllamaLlm_twice_registers_once_and_applies_both_callbacks()
    {
        using var once = Build([]);
        var collection = new ServiceCollection();

        new OllamaTestHost.TestBuilder(collection).AddOllamaLlm(o => o.Model = "mistral").AddOllamaLlm(o => o.MaxRetries = 2);
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle();
        var options = services.GetRequiredService<IOptions<OllamaOptions>>().Value;
        options.Model.Should().Be("mistral");
        options.MaxRetries.Should().Be(2);
        HandlerActions(services).Should().Be(HandlerActions(once)).And.BePositive();
    }

    [Fact]
    public void The_resilience_handler_uses_the_configured_attempt_timeout_and_retries()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:Ollama:Timeout"] = "00:07:00", ["BookBytes:Ollama:MaxRetries"] = "2" });
        var monitor = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>();

        var resilience = monitor.Get(BookBytesBuilderOllamaExtensions.HttpClientName + "-standard");

        resilience.AttemptTimeout.Timeout.Should().Be(TimeSpan.FromMinutes(7));
        resilience.TotalRequestTimeout.Timeout.Should().Be(TimeSpan.FromMinutes(22));
        resilience.Retry.MaxRetryAttempts.Should().Be(2);
        resilience.Retry.ShouldRetryAfterHeader.Should().BeTrue();
    }

    [Fact]
    public void The_HTTP_client_has_no_timeout_of_its_own()
    {
        using var services = Build([]);

        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(BookBytesBuilderOllamaExtensions.HttpClientName);

        client.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<OllamaOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        new OllamaTestHost.TestBuilder(services).AddOllamaLlm(configure);
        return services.BuildServiceProvider();
    }

    private static int HandlerActions(IServiceProvider services)
        => services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(BookBytesBuilderOllamaExtensions.HttpClientName).HttpMessageHandlerBuilderActions.Count;
}
