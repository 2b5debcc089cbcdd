using Amazon.S3;
using BookBytes.Storage.S3;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests.S3;

public sealed class S3StorageRegistrationTests
{
    [Fact]
    public void AddS3Storage_binds_the_configuration_section_and_leaves_IAmazonS3_alone()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Storage:S3:BucketName"] = "audio",
            ["BookBytes:Storage:S3:Region"] = "eu-central-1",
            ["BookBytes:Storage:S3:ServiceUrl"] = "http://127.0.0.1:9000",
            ["BookBytes:Storage:S3:ForcePathStyle"] = "true",
            ["BookBytes:Storage:S3:UrlExpiry"] = "00:10:00",
            ["BookBytes:Storage:S3:PartSize"] = "16777216",
        }).Build());

        new TestBuilder(services).AddS3Storage(o => o.UseChunkEncoding = true);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<S3StorageOptions>>().Value;
        options.BucketName.Should().Be("audio");
        options.Region.Should().Be("eu-central-1");
        options.ServiceUrl.Should().Be(new Uri("http://127.0.0.1:9000"));
        options.ForcePathStyle.Should().BeTrue();
        options.UrlExpiry.Should().Be(TimeSpan.FromMinutes(10));
        options.PartSize.Should().Be(16 * 1024 * 1024);
        options.UseChunkEncoding.Should().BeTrue();
        provider.GetRequiredService<IStorageBackend>().Should().BeOfType<S3StorageBackend>()
            .And.BeSameAs(provider.GetRequiredService<S3StorageBackend>());
        provider.GetService<IAmazonS3>().Should().BeNull();
    }

    [Fact]
    public void Chunk_encoding_and_flexible_checksums_default_on_for_aws_and_off_for_a_service_url()
    {
        var aws = new S3StorageOptions();
        var compatible = new S3StorageOptions { ServiceUrl = new Uri("http://127.0.0.1:9000") };

        var awsFlags = (aws.ChunkEncodingEnabled, aws.FlexibleChecksumsEnabled);
        var compatibleFlags = (compatible.ChunkEncodingEnabled, compatible.FlexibleChecksumsEnabled);

        awsFlags.Should().Be((true, true));
        compatibleFlags.Should().Be((false, false));
    }

    [Theory]
    [InlineData(null, null, null, "BookBytes:Storage:S3:BucketName")]
    [InlineData("b", "AKIA", null, "BookBytes:Storage:S3:AccessKey")]
    [InlineData("b", null, "1048576", "BookBytes:Storage:S3:PartSize")]
    public async Task Invalid_settings_fail_at_start_naming_the_key(string? bucket, string? accessKey, string? partSize, string expectedKey)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Storage:S3:BucketName"] = bucket,
            ["BookBytes:Storage:S3:AccessKey"] = accessKey,
            ["BookBytes:Storage:S3:PartSize"] = partSize,
        });
        new TestBuilder(builder.Services).AddS3Storage();
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        await start.Should().ThrowAsync<OptionsValidationException>().WithMessage($"*{expectedKey}*");
    }

    [Fact]
    public void Negative_url_expiry_is_refused_naming_the_key()
    {
        var options = new S3StorageOptions { BucketName = "b", UrlExpiry = TimeSpan.FromSeconds(-1) };

        var create = () => new S3StorageBackend(Options.Create(options));

        create.Should().Throw<OptionsValidationException>().WithMessage("*BookBytes:Storage:S3:UrlExpiry*");
    }
}
