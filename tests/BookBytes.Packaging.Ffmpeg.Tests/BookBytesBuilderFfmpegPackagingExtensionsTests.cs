using BookBytes.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BookBytes.Packaging.Ffmpeg.Tests;

public sealed class BookBytesBuilderFfmpegPackagingExtensionsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_packager_is_the_audio_packager_singleton()
    {
        using var services = Build(b => b.AddFfmpegPackaging());

        var packager = services.GetRequiredService<IAudioPackager>();

        packager.Should().BeOfType<FfmpegAudioPackager>().And.BeSameAs(services.GetRequiredService<IAudioPackager>());
        packager.Should().BeSameAs(services.GetRequiredService<FfmpegAudioPackager>());
        packager.Supports(PackageFormat.M4b).Should().BeTrue();
    }

    [Fact]
    public void Options_are_bound_from_the_configuration_section_then_configured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Packaging:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["BookBytes:Packaging:AacBitrate"] = "96",
            ["BookBytes:Packaging:Timeout"] = "00:30:00",
            ["BookBytes:Packaging:MaxChapterBytes"] = "1000000",
            ["BookBytes:Packaging:TempDirectory"] = _temp.Path,
        }).Build();
        using var services = Build(b => b.AddFfmpegPackaging(o => o.MaxChapters = 12), configuration);

        var options = services.GetRequiredService<IOptions<FfmpegPackagingOptions>>().Value;

        options.FfmpegPath.Should().Be("/nonexistent/ffmpeg");
        options.FfprobePath.Should().Be("ffprobe");
        options.AacBitrate.Should().Be(96);
        options.Mp3Bitrate.Should().Be(64);
        options.Timeout.Should().Be(TimeSpan.FromMinutes(30));
        options.MaxChapters.Should().Be(12);
        options.MaxChapterBytes.Should().Be(1_000_000);
        options.TempDirectory.Should().Be(_temp.Path);
        services.GetRequiredService<IAudioPackager>().Supports(PackageFormat.Mp3).Should().BeFalse("ffmpeg is not at the configured path");
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new FfmpegPackagingOptions();

        options.Should().BeEquivalentTo(new
        {
            FfmpegPath = "ffmpeg",
            FfprobePath = "ffprobe",
            AacBitrate = 64,
            Mp3Bitrate = 64,
            Timeout = TimeSpan.FromHours(2),
            MaxChapters = 10_000,
            MaxChapterBytes = 2L * 1024 * 1024 * 1024,
            TempDirectory = (string?)null,
        });
    }

    [Theory]
    [InlineData("AacBitrate", "8")]
    [InlineData("Mp3Bitrate", "1000")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("MaxChapters", "0")]
    [InlineData("MaxChapterBytes", "0")]
    [InlineData("TempDirectory", "/nonexistent/folder")]
    [InlineData("FfmpegPath", " ")]
    public async Task A_bad_setting_fails_the_start_naming_its_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"BookBytes:Packaging:{key}"] = value }).Build();
        using var host = Host(b => b.AddFfmpegPackaging(), configuration);

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain($"BookBytes:Packaging:{key}");
    }

    [Fact]
    public async Task A_missing_ffmpeg_does_not_fail_the_start()
    {
        using var host = Host(b => b.AddFfmpegPackaging(o => o.FfmpegPath = "/nonexistent/ffmpeg"), null);

        await host.StartAsync();

        host.Services.GetRequiredService<IAudioPackager>().Supports(PackageFormat.M4b).Should().BeFalse();
        await host.StopAsync();
    }

    [Fact]
    public void The_last_registration_wins_and_repeated_calls_register_once()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IAudioPackager>(new OtherPackager());
        var builder = new TestBuilder(services);

        builder.AddFfmpegPackaging().AddFfmpegPackaging(o => o.Mp3Bitrate = 96);
        using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(IAudioPackager)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(FfmpegAudioPackager)).Should().Be(1);
        provider.GetRequiredService<IAudioPackager>().Should().BeOfType<FfmpegAudioPackager>();
        provider.GetRequiredService<IOptions<FfmpegPackagingOptions>>().Value.Mp3Bitrate.Should().Be(96);
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

    private static IHost Host(Action<IBookBytesBuilder> register, IConfiguration? configuration)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        register(new TestBuilder(builder.Services));
        return builder.Build();
    }

    private sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class OtherPackager : IAudioPackager
    {
        public bool Supports(PackageFormat format) => false;

        public Task<PackagedAudio> PackageAsync(PackageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
