using BookBytes.DependencyInjection;
using BookBytes.Llm;
using BookBytes.Providers.OpenAI.Chat;
using BookBytes.Providers.OpenAI.Speech;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.OpenAI.Tests;

public sealed class BookBytesBuilderOpenAiExtensionsTests
{
    [Fact]
    public void Settings_are_bound_from_the_BookBytes_OpenAI_section()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:OpenAI:Endpoint"] = "http://localhost:11434/v1",
            ["BookBytes:OpenAI:ChatModel"] = "llama3.1:8b",
            ["BookBytes:OpenAI:SpeechModel"] = "kokoro",
            ["BookBytes:OpenAI:Voice"] = "af_bella",
            ["BookBytes:OpenAI:AudioFormat"] = "wav",
            ["BookBytes:OpenAI:ChatTimeout"] = "00:05:00",
            ["BookBytes:OpenAI:MaxRetries"] = "3",
        });

        var options = services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        options.Endpoint.Should().Be(new Uri("http://localhost:11434/v1"));
        options.ApiKey.Should().BeNull();
        options.ChatModel.Should().Be("llama3.1:8b");
        options.SpeechModel.Should().Be("kokoro");
        options.Voice.Should().Be("af_bella");
        options.AudioFormat.Should().Be(AudioFormat.Wav);
        options.ChatTimeout.Should().Be(TimeSpan.FromMinutes(5));
        options.MaxRetries.Should().Be(3);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new OpenAiOptions();

        options.EffectiveEndpoint.Should().Be(new Uri("https://api.openai.com/v1"));
        options.ChatModel.Should().Be("gpt-4o-mini");
        options.SpeechModel.Should().Be("gpt-4o-mini-tts");
        options.Voice.Should().Be("alloy");
        options.AudioFormat.Should().Be(AudioFormat.Mp3);
        options.MaxRetries.Should().Be(1);
        options.SpeechTimeout.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void The_configure_callback_is_applied_after_configuration()
    {
        using var services = Build(
            new Dictionary<string, string?> { ["BookBytes:OpenAI:ApiKey"] = "sk-from-config", ["BookBytes:OpenAI:ChatModel"] = "gpt-4o" },
            o => o.ChatModel = "gpt-4.1-mini");

        var options = services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        options.ChatModel.Should().Be("gpt-4.1-mini");
        options.ApiKey.Should().Be("sk-from-config");
    }

    [Fact]
    public async Task A_host_without_key_or_endpoint_fails_at_start_naming_BookBytes_OpenAI_ApiKey()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        new TestBuilder(builder.Services).AddOpenAI();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
    }

    [Fact]
    public void An_endpoint_alone_needs_no_key()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:OpenAI:Endpoint"] = "http://127.0.0.1:8880/v1" });

        var act = () => services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        act.Should().NotThrow();
    }

    [Fact]
    public void The_OpenAI_endpoint_set_explicitly_still_needs_a_key()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:OpenAI:Endpoint"] = "https://api.openai.com/v1" });

        var act = () => services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
    }

    [Fact]
    public void On_the_OpenAI_API_a_configured_voice_it_does_not_have_fails_validation_naming_the_key()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:OpenAI:ApiKey"] = "sk-test",
            ["BookBytes:OpenAI:Voice"] = "robot",
        });

        var act = () => services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("BookBytes:OpenAI:Voice").And.Contain("marin");
    }

    [Fact]
    public async Task OpenAI_speech_from_a_compatible_server_beside_another_language_model_needs_no_key()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:OpenAI:SpeechEndpoint"] = "http://localhost:8880/v1",
            ["BookBytes:OpenAI:Voice"] = "af_bella",
        }).Build());
        new TestBuilder(services).AddOpenAITts();
        services.AddSingleton<ILlmProvider>(new FakeLlmProvider());
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        options.ApiKey.Should().BeNull("the chat endpoint, the OpenAI API, is not called by this host");
    }

    [Fact]
    public void OpenAI_speech_from_the_OpenAI_API_beside_another_language_model_still_needs_the_key()
    {
        var services = new ServiceCollection();
        new TestBuilder(services).AddOpenAITts();
        services.AddSingleton<ILlmProvider>(new FakeLlmProvider());
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
    }

    [Fact]
    public void On_a_compatible_server_any_configured_voice_is_accepted()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:OpenAI:Endpoint"] = "http://localhost:8880/v1",
            ["BookBytes:OpenAI:Voice"] = "af_bella",
        });

        services.GetRequiredService<IOptions<OpenAiOptions>>().Value.Voice.Should().Be("af_bella");
    }

    [Theory]
    [InlineData("ChatModel", " ", "BookBytes:OpenAI:ChatModel")]
    [InlineData("SpeechModel", "", "BookBytes:OpenAI:SpeechModel")]
    [InlineData("Voice", " ", "BookBytes:OpenAI:Voice")]
    [InlineData("ChatTimeout", "00:00:00", "BookBytes:OpenAI:ChatTimeout")]
    [InlineData("SpeechTimeout", "-00:00:01", "BookBytes:OpenAI:SpeechTimeout")]
    [InlineData("MaxRetries", "11", "BookBytes:OpenAI:MaxRetries")]
    [InlineData("RetryBaseDelay", "01:00:00", "BookBytes:OpenAI:RetryBaseDelay")]
    [InlineData("Endpoint", "ftp://example.com/v1", "BookBytes:OpenAI:Endpoint")]
    [InlineData("SpeechEndpoint", "file:///tmp/speech", "BookBytes:OpenAI:SpeechEndpoint")]
    public void A_bad_setting_fails_validation_with_a_message_naming_its_key(string key, string value, string expectedKey)
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["BookBytes:OpenAI:ApiKey"] = "sk-test",
            ["BookBytes:OpenAI:" + key] = value,
        });

        var act = () => services.GetRequiredService<IOptions<OpenAiOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(expectedKey);
    }

    [Fact]
    public void Both_providers_are_registered_as_singletons()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:OpenAI:ApiKey"] = "sk-test" });

        var llm = services.GetRequiredService<ILlmProvider>();
        var tts = services.GetRequiredService<ITtsProvider>();

        llm.Should().BeOfType<OpenAiLlmProvider>().And.BeSameAs(services.GetRequiredService<ILlmProvider>());
        tts.Should().BeOfType<OpenAiTtsProvider>().And.BeSameAs(services.GetRequiredService<OpenAiTtsProvider>());
    }

    [Fact]
    public void Calling_AddOpenAI_twice_registers_the_providers_once_and_applies_both_callbacks()
    {
        var collection = new ServiceCollection();
        var builder = new TestBuilder(collection);

        builder.AddOpenAI(o => o.ApiKey = "sk-test").AddOpenAI(o => o.ChatModel = "gpt-4.1");
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle();
        services.GetServices<ITtsProvider>().Should().ContainSingle();
        services.GetRequiredService<IOptions<OpenAiOptions>>().Value.ChatModel.Should().Be("gpt-4.1");
    }

    [Fact]
    public void AddOpenAILlm_registers_the_language_model_alone()
    {
        var collection = new ServiceCollection();

        new TestBuilder(collection).AddOpenAILlm(o => o.ApiKey = "sk-test");
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle().Which.Should().BeOfType<OpenAiLlmProvider>();
        services.GetServices<ITtsProvider>().Should().BeEmpty();
        HandlerActions(services, BookBytesBuilderOpenAiExtensions.SpeechHttpClientName).Should().Be(0);
    }

    [Fact]
    public void AddOpenAITts_registers_the_speech_provider_alone()
    {
        var collection = new ServiceCollection();

        new TestBuilder(collection).AddOpenAITts(o => o.ApiKey = "sk-test");
        using var services = collection.BuildServiceProvider();

        services.GetServices<ITtsProvider>().Should().ContainSingle().Which.Should().BeOfType<OpenAiTtsProvider>();
        services.GetServices<ILlmProvider>().Should().BeEmpty();
        HandlerActions(services, BookBytesBuilderOpenAiExtensions.ChatHttpClientName).Should().Be(0);
    }

    [Fact]
    public void One_provider_then_AddOpenAI_sets_up_each_HTTP_client_once()
    {
        using var once = Build(new Dictionary<string, string?> { ["BookBytes:OpenAI:ApiKey"] = "sk-test" });
        var collection = new ServiceCollection();

        new TestBuilder(collection).AddOpenAILlm(o => o.ApiKey = "sk-test").AddOpenAITts().AddOpenAI().AddOpenAILlm();
        using var services = collection.BuildServiceProvider();

        HandlerActions(services, BookBytesBuilderOpenAiExtensions.ChatHttpClientName)
            .Should().Be(HandlerActions(once, BookBytesBuilderOpenAiExtensions.ChatHttpClientName)).And.BePositive();
        HandlerActions(services, BookBytesBuilderOpenAiExtensions.SpeechHttpClientName)
            .Should().Be(HandlerActions(once, BookBytesBuilderOpenAiExtensions.SpeechHttpClientName)).And.BePositive();
        services.GetServices<ILlmProvider>().Should().ContainSingle();
        services.GetServices<ITtsProvider>().Should().ContainSingle();
    }

    [Fact]
    public void AddOpenAI_replaces_providers_registered_before()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<ILlmProvider, FakeLlmProvider>().AddSingleton<ITtsProvider, FakeTtsProvider>();

        new TestBuilder(collection).AddOpenAI(o => o.ApiKey = "sk-test");
        using var services = collection.BuildServiceProvider();

        services.GetServices<ILlmProvider>().Should().ContainSingle().Which.Should().BeOfType<OpenAiLlmProvider>();
        services.GetServices<ITtsProvider>().Should().ContainSingle().Which.Should().BeOfType<OpenAiTtsProvider>();
    }

    [Fact]
    public async Task Providers_registered_in_place_of_both_leave_the_OpenAI_settings_unchecked_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        new TestBuilder(builder.Services).AddOpenAI();
        builder.Services.AddSingleton<ILlmProvider, FakeLlmProvider>().AddSingleton<ITtsProvider, FakeTtsProvider>();
        using var host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<ILlmProvider>().Should().BeOfType<FakeLlmProvider>();
        await host.StopAsync();
    }

    [Fact]
    public async Task With_one_OpenAI_provider_still_in_use_the_settings_are_checked_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        new TestBuilder(builder.Services).AddOpenAI();
        builder.Services.AddSingleton<ILlmProvider, FakeLlmProvider>();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
    }

    [Fact]
    public void The_resilience_handlers_use_the_configured_attempt_timeouts_and_retries()
    {
        using var services = Build(new Dictionary<string, string?> { ["BookBytes:OpenAI:ApiKey"] = "sk-test" });
        var monitor = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>();

        var speech = monitor.Get(BookBytesBuilderOpenAiExtensions.SpeechHttpClientName + "-standard");
        var chat = monitor.Get(BookBytesBuilderOpenAiExtensions.ChatHttpClientName + "-standard");

        speech.AttemptTimeout.Timeout.Should().Be(TimeSpan.FromMinutes(3));
        speech.TotalRequestTimeout.Timeout.Should().BeGreaterThan(speech.AttemptTimeout.Timeout);
        speech.Retry.MaxRetryAttempts.Should().Be(1);
        speech.Retry.ShouldRetryAfterHeader.Should().BeTrue();
        chat.AttemptTimeout.Timeout.Should().Be(TimeSpan.FromMinutes(2));
        chat.TotalRequestTimeout.Timeout.Should().BeGreaterThan(chat.AttemptTimeout.Timeout);
    }

    [Theory]
    [InlineData("ApiKey", "sk-test", true)]
    [InlineData("Endpoint", "http://localhost:11434/v1", true)]
    [InlineData("ChatModel", "gpt-4o", false)]
    [InlineData("ApiKey", " ", false)]
    public void IsConfigured_is_true_only_with_a_key_or_an_endpoint(string key, string value, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:OpenAI:" + key] = value })
            .Build();

        OpenAiOptions.IsConfigured(configuration).Should().Be(expected);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<OpenAiOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        new TestBuilder(services).AddOpenAI(configure);
        return services.BuildServiceProvider();
    }

    private static int HandlerActions(IServiceProvider services, string clientName)
        => services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(clientName).HttpMessageHandlerBuilderActions.Count;

    private sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
