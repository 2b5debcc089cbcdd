using BookBytes.Storage.Local;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests.Local;

public sealed class LocalStorageRegistrationTests
{
    [Fact]
    public void AddLocalStorage_binds_the_configuration_section_then_applies_configure()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Storage:Local:RootPath"] = "/srv/audio",
            ["BookBytes:Storage:Local:PublicBaseUrl"] = "https://cdn.example.com/a/",
        }).Build());

        new TestBuilder(services).AddLocalStorage(o => o.PublicBaseUrl = new Uri("https://other.example.com/"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LocalStorageOptions>>().Value;
        options.RootPath.Should().Be("/srv/audio");
        options.PublicBaseUrl.Should().Be(new Uri("https://other.example.com/"));
        provider.GetRequiredService<IStorageBackend>().Should().BeOfType<LocalStorageBackend>()
            .And.BeSameAs(provider.GetRequiredService<LocalStorageBackend>());
    }

    [Fact]
    public void A_second_AddLocalStorage_call_does_not_rebind_over_the_first_calls_settings()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Storage:Local:RootPath"] = "/srv/audio",
        }).Build());

        new TestBuilder(services).AddLocalStorage(o => o.RootPath = "/from/code").AddLocalStorage();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<LocalStorageOptions>>().Value.RootPath.Should().Be("/from/code");
    }

    [Fact]
    public void AddLocalStorage_defaults_the_root_to_data_audio()
    {
        var services = new ServiceCollection();

        new TestBuilder(services).AddLocalStorage().AddLocalStorage();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<LocalStorageOptions>>().Value.RootPath.Should().Be("./data/audio");
        provider.GetServices<IStorageBackend>().Should().ContainSingle();
    }

    [Fact]
    public async Task Invalid_public_base_url_fails_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        new TestBuilder(builder.Services).AddLocalStorage(o => o.PublicBaseUrl = new Uri("ftp://example.com/"));
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        await start.Should().ThrowAsync<OptionsValidationException>().WithMessage("*BookBytes:Storage:Local:PublicBaseUrl*");
    }
}
