using BookBytes.Llm;
using BookBytes.Providers.Anthropic.Chat;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Anthropic.Tests;

public sealed class BookBytesBuilderAnthropicExtensionsTests
{
    [Fact]
    public void Settings_are_bound_from_the_BookBytes_Anthropic_section()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:Anthropic:ApiKey"] = "sk-ant-config",
            ["BookBytes:Anthropic:Endpoint"] = "http://localhost:4000",
            ["BookBytes:Anthropic:Model"] = "claude-opus-4-1",
            ["BookBytes:Anthropic:MaxOutputTokens"] = "2048",
            ["BookBytes:Anthropic:Timeout"] = "00:05:00",
            ["BookBytes:Anthropic:MaxRetries"] = "3",
            ["BookBytes:Anthropic:RetryBaseDelay"] = "00:00:05",
        });

        var options = services.GetRequiredService<IOptions<AnthropicOptions>>().Value;

        options.ApiKey.Should().Be("sk-ant-config");
        options.Endpoint.Should().Be(new Uri("http://localhost:4000"));
        options.Model.Should().Be("claude-opus-4-1");
        options.MaxOutputTokens.Should().Be(2048);
        options.Timeout.Should().Be(TimeSpan.FromMinutes(5));
        options.MaxRetries.Should().Be(3);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new AnthropicOptions();

        options.Endpoint.Should().Be(new Uri("https://api.anthropic.com"));
        options.Model.Should().Be("claude-sonnet-4-5");
        options.MaxOutputTokens.Should().Be(4096);
        options.Timeout.Should().Be(TimeSpan.FromMinutes(2));
        options.MaxRetries.Should().Be(1);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_configure_callback_is_applied_after_configuration()
    {
        using var services = Build(
            new Dictionary<string, string?> { ["BookBytes:Anthropic:ApiKey"] = "sk-ant-config", ["BookBytes:Anthropic:Model"] = "claude-opus-4-1" },
            o => o.Model = "claude-haiku-4-5");

        var options = services.GetRequiredService<IOptions<AnthropicOptions>>().Value;

        options.Model.Should().Be("claude-haiku-4-5");
        options.ApiKey.Should().Be("sk-ant-config");
    }

    [Fact]
    public async Task A_host_without_a_key_for_the_Anthropic_API_fails_at_start_naming_BookBytes_Anthropic_ApiKey()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        new AnthropicTestHost.TestBuilder(builder.Services).AddAnthropicLlm();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("BookBytes:Anthropic:ApiKey");
    }

    [Fact]
    public void Another_endpoint_needs_no_key()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:Anthropic:Endpoint"] = "http://127.0.0.1:4000" });

        var act = () => services.GetRequiredService<IOptions<AnthropicOptions>>().Value;

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData("Model", " ", "BookBytes:Anthropic:Model")]
    [InlineData("MaxOutputTokens", "0", "BookBytes:Anthropic:MaxOutputTokens")]
    [InlineData("Timeout", "00:00:00", "BookBytes:Anthropic:Timeout")]
    [InlineData("MaxRetries", "11", "BookBytes:Anthropic:MaxRetries")]
    [InlineData("MaxRetries", "-1", "BookBytes:Anthropic:MaxRetries")]
    [InlineData("RetryBaseDelay", "01:00:00", "BookBytes:Anthropic:RetryBaseDelay")]
    [InlineData("Endpoint", "ftp://example.com", "BookBytes:Anthropic:Endpoint")]
    public void A_bad_setting_fails_validation_with_a_message_naming_its_key(string key, string value, string expectedKey)
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:Anthropic:ApiKey"] = "sk-ant-test",
            ["BookBytes:Anthropic:" + key] = value,
        });

        var act = () => services.GetRequiredService<IOptions<AnthropicOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(expectedKey).And.NotContain("sk-ant-test");
    }

    [Fact]
    public void AddAnthropicLlm_replaces_a_provider_registered_before()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<ILlmProvider, FakeLlmProvider>();

        new AnthropicTestHost.TestBuilder(collection).AddAnthropicLlm(o => o.ApiKey = "sk-ant-test");
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle().Which.Should().BeOfType<AnthropicLlmProvider>();
        services.GetRequiredService<ILlmProvider>().Should().BeSameAs(services.GetRequiredService<ILlmProvider>(), "the provider is a singleton");
    }

    [Fact]
    public void Calling_AddAnthropicLlm_twice_registers_the_provider_once_and_applies_both_callbacks()
    {
        var collection = new ServiceCollection();
        var builder = new AnthropicTestHost.TestBuilder(collection);

        builder.AddAnthropicLlm(o => o.ApiKey = "sk-ant-test").AddAnthropicLlm(o => o.Model = "claude-haiku-4-5");
        using var services = collection.BuildServiceProvider();

        collection.Count(d => d.ServiceType == typeof(AnthropicLlmProvider)).Should().Be(1);
        services.GetServices<ILlmProvider>().Should().ContainSingle();
        var options = services.GetRequiredService<IOptions<AnthropicOptions>>().Value;
        options.ApiKey.Should().Be("sk-ant-test");
        options.Model.Should().Be("claude-haiku-4-5");
    }

    [Fact]
    public async Task A_provider_registered_after_it_wins_and_leaves_the_Anthropic_settings_unchecked_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        new AnthropicTestHost.TestBuilder(builder.Services).AddAnthropicLlm();
        builder.Services.AddSingleton<ILlmProvider, FakeLlmProvider>();
        using var host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<ILlmProvider>().Should().BeOfType<FakeLlmProvider>();
        await host.StopAsync();
    }

    [Fact]
    public void The_resilience_handler_uses_the_configured_attempt_timeout_and_retries()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:Anthropic:ApiKey"] = "sk-ant-test",
            ["BookBytes:Anthropic:Timeout"] = "00:01:30",
            ["BookBytes:Anthropic:MaxRetries"] = "2",
        });

        var resilience = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>()
            .Get(BookBytesBuilderAnthropicExtensions.HttpClientName + "-standard");

        resilience.AttemptTimeout.Timeout.Should().Be(TimeSpan.FromSeconds(90));
        resilience.TotalRequestTimeout.Timeout.Should().Be(TimeSpan.FromSeconds((90 * 3) + 60));
        resilience.Retry.MaxRetryAttempts.Should().Be(2);
        resilience.Retry.ShouldRetryAfterHeader.Should().BeTrue();
        services.GetRequiredService<IHttpClientFactory>().CreateClient(BookBytesBuilderAnthropicExtensions.HttpClientName)
            .Timeout.Should().Be(Timeout.InfiniteTimeSpan);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<AnthropicOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        new AnthropicTestHost.TestBuilder(services).AddAnthropicLlm(configure);
        return services.BuildServiceProvider();
    }
}
