using BookBytes.Storage.Local;
using BookBytes.Storage.S3;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests;

/// <summary>The registration rule both storage packages share: the last call wins.</summary>
public sealed class StorageRegistrationTests
{
    [Fact]
    public void AddS3Storage_after_AddLocalStorage_leaves_only_the_S3_backend()
    {
        var services = new ServiceCollection();

        new TestBuilder(services).AddLocalStorage().AddS3Storage(o => o.BucketName = "audio");
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IStorageBackend>().Should().ContainSingle().Which.Should().BeOfType<S3StorageBackend>();
    }

    [Fact]
    public void AddLocalStorage_after_AddS3Storage_leaves_only_the_local_backend()
    {
        var services = new ServiceCollection();

        new TestBuilder(services).AddS3Storage(o => o.BucketName = "audio").AddLocalStorage();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IStorageBackend>().Should().ContainSingle().Which.Should().BeOfType<LocalStorageBackend>();
    }

    [Fact]
    public void Adding_a_backend_again_makes_it_the_registered_one_again()
    {
        var services = new ServiceCollection();

        new TestBuilder(services).AddLocalStorage(o => o.RootPath = "/from/code").AddS3Storage(o => o.BucketName = "audio").AddLocalStorage();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IStorageBackend>().Should().ContainSingle().Which.Should().BeOfType<LocalStorageBackend>();
        provider.GetRequiredService<IOptions<LocalStorageOptions>>().Value.RootPath.Should().Be("/from/code");
    }

    [Fact]
    public async Task A_replaced_backend_with_bad_settings_does_not_fail_the_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:Storage:S3:PartSize"] = "1" });
        new TestBuilder(builder.Services).AddS3Storage().AddLocalStorage(o => o.RootPath = Path.GetTempPath());
        using var host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<IStorageBackend>().Should().BeOfType<LocalStorageBackend>();
        await host.StopAsync();
    }

    [Fact]
    public async Task The_backend_in_use_is_still_validated_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        new TestBuilder(builder.Services).AddLocalStorage(o => o.PublicBaseUrl = new Uri("ftp://example.com/")).AddS3Storage();
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("BookBytes:Storage:S3:BucketName").And.NotContain("BookBytes:Storage:Local");
    }
}
