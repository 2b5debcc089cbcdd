using BookBytes.DependencyInjection;
using BookBytes.Providers.Local.Speech;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Local.Tests.Speech;

public sealed class BookBytesBuilderLocalSpeechExtensionsTests : IDisposable
{
    private readonly SpeechTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public void The_provider_declares_every_voice_found_mp3_by_default_and_a_voice_per_language()
    {
        using var services = Build(b => b.AddLocalSpeech());

        var tts = services.GetRequiredService<ITtsProvider>();

        var engines = services.GetRequiredService<LocalSpeechEngines>();
        tts.Capabilities.Voices.Should().BeEquivalentTo(engines.Voices.Select(v => v.Id));
        tts.Capabilities.AcceptsOtherVoices.Should().BeFalse();
        tts.Capabilities.Formats.Should().Equal(AudioFormat.Mp3, AudioFormat.Wav);
        tts.Capabilities.DefaultFormat.Should().Be(AudioFormat.Mp3);
        tts.Capabilities.DefaultVoice.Should().Be("flite.slt");
        tts.Capabilities.MaxInputCharacters.Should().Be(2000);
        tts.ModelId.Should().Be("local-speech");
        tts.VoiceFor("de-AT").Should().Be("espeak-ng.de");
        tts.VoiceFor("pt-BR").Should().Be("espeak-ng.pt-br");
        tts.VoiceFor("en-GB").Should().Be("flite.slt");
        services.GetRequiredService<LocalSpeechClient>().GetService(typeof(LocalSpeechEngines)).Should().BeSameAs(engines, "discovered once");
    }

    [Fact]
    public async Task The_provider_speaks_through_the_local_client()
    {
        using var services = Build(b => b.AddLocalSpeech(o => o.Voice = "espeak-ng.en-us"));

        var audio = await services.GetRequiredService<ITtsProvider>().SynthesizeAsync(new SpeechRequest("Hello from the local engines.", Voice: "", AudioFormat.Mp3));

        SpeechTools.Probe(audio.ToArray(), "mp3").Should().BeEquivalentTo(new { Codec = "mp3", SampleRate = 24000, Channels = 1 });
    }

    [Fact]
    public async Task The_provider_refuses_a_voice_it_does_not_have_as_never_transient()
    {
        using var services = Build(b => b.AddLocalSpeech());

        var act = () => services.GetRequiredService<ITtsProvider>().SynthesizeAsync(new SpeechRequest("Hello.", "flite.nobody"));

        var thrown = (await act.Should().ThrowAsync<VoiceUnknownException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.KnownVoices.Should().Contain("festival.slt");
    }

    [Fact]
    public void Options_are_bound_from_the_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Local:Speech:FfmpegPath"] = Path.Combine(_tools.Folder, "none"),
            ["BookBytes:Local:Speech:MaxInputCharacters"] = "1500",
            ["BookBytes:Local:Speech:Voice"] = "espeak-ng.de",
        }).Build();
        using var services = Build(b => b.AddLocalSpeech(), configuration);

        var tts = services.GetRequiredService<ITtsProvider>();

        tts.Capabilities.Formats.Should().Equal(AudioFormat.Wav);
        tts.Capabilities.DefaultFormat.Should().Be(AudioFormat.Wav);
        tts.Capabilities.MaxInputCharacters.Should().Be(1500);
        tts.Capabilities.DefaultVoice.Should().Be("espeak-ng.de");
    }

    [Fact]
    public async Task Without_any_engine_the_host_fails_to_start_naming_espeak_ng()
    {
        using var host = Host(b => b.AddLocalSpeech(o =>
        {
            o.EspeakNgPath = "/nonexistent/espeak-ng";
            o.FlitePath = "/nonexistent/flite";
            o.Text2WavePath = "/nonexistent/text2wave";
        }));

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("espeak-ng").And.Contain("apt-get install espeak-ng");
    }

    [Fact]
    public async Task A_configured_voice_that_is_not_found_fails_the_start_naming_the_key()
    {
        using var host = Host(b => b.AddLocalSpeech(o => o.Voice = "espeak-ng.xx-none"));

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("BookBytes:Local:Speech:Voice");
    }

    [Fact]
    public async Task Engines_the_application_discovered_are_used_as_they_are_and_not_discovered_again()
    {
        var discovered = LocalSpeechEngines.Discover(SpeechTools.RealEngines());
        using var host = Host(b =>
        {
            b.Services.AddSingleton(discovered);
            // Were the engines discovered again, these paths would find none and the start would fail.
            b.AddLocalSpeech(o => o.EspeakNgPath = o.FlitePath = o.Text2WavePath = "/nonexistent/engine");
        });

        await host.StartAsync();

        host.Services.GetRequiredService<LocalSpeechEngines>().Should().BeSameAs(discovered);
        host.Services.GetRequiredService<ITtsProvider>().Capabilities.Voices.Should().HaveCount(discovered.Voices.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_displaced_local_speech_provider_does_not_fail_the_start()
    {
        using var host = Host(b =>
        {
            b.AddLocalSpeech(o => o.EspeakNgPath = o.FlitePath = o.Text2WavePath = "/nonexistent/engine");
            b.Services.AddSingleton<ITtsProvider>(new FakeTtsProvider());
        });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Missing_optional_programs_are_logged_once_at_information_with_their_packages()
    {
        var log = new RecordingLogger();
        using var host = Host(b =>
        {
            b.AddLocalSpeech(o =>
            {
                o.FlitePath = "/nonexistent/flite";
                o.FfmpegPath = "/nonexistent/ffmpeg";
            });
            b.Services.AddSingleton<ILogger<LocalSpeechDiscovery>>(log);
        });

        await host.StartAsync();
        _ = host.Services.GetRequiredService<ITtsProvider>().Capabilities;
        _ = host.Services.GetRequiredService<LocalSpeechEngines>();
        await host.StopAsync();

        var missing = log.Entries.Where(e => e.Message.Contains("not found", StringComparison.Ordinal)).ToList();
        missing.Should().HaveCount(2).And.OnlyContain(e => e.Level == LogLevel.Information);
        missing.Select(e => e.Message).Should().ContainSingle(m => m.Contains("apt-get install flite", StringComparison.Ordinal));
        missing.Select(e => e.Message).Should().ContainSingle(m => m.Contains("apt-get install ffmpeg", StringComparison.Ordinal));
    }

    [Fact]
    public void The_last_registration_wins_and_repeated_calls_register_once()
    {
        var services = new ServiceCollection();
        var builder = new TestBuilder(services);

        builder.AddLocalSpeech().AddLocalSpeech(o => o.MaxInputCharacters = 500);
        using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(ITtsProvider)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(LocalSpeechEngines)).Should().Be(1);
        provider.GetRequiredService<ITtsProvider>().Capabilities.MaxInputCharacters.Should().Be(500);
    }

    private static ServiceProvider Build(Action<IBookBytesBuilder> register, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null)
        {
            services.AddSingleton(configuration);
        }

        register(new TestBuilder(services));
        return services.BuildServiceProvider();
    }

    private static IHost Host(Action<IBookBytesBuilder> register)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        register(new TestBuilder(builder.Services));
        return builder.Build();
    }

    private sealed class RecordingLogger : ILogger<LocalSpeechDiscovery>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _entries.Enqueue((logLevel, formatter(state, exception)));
    }

    private sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
