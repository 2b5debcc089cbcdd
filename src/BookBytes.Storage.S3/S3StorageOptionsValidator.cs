using Microsoft.Extensions.Options;

namespace BookBytes.Storage.S3;

/// <summary>Validates <see cref="S3StorageOptions"/>; every failure names the configuration key.</summary>
internal sealed class S3StorageOptionsValidator : IValidateOptions<S3StorageOptions>
{
    private const string Section = S3StorageOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.BucketName))
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.BucketName)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.Region)} is required (for example us-east-1).");
        }

        if (options.ServiceUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.ServiceUrl)} must be an absolute http or https URL; got '{url}'.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.AccessKey)} and {Section}:{nameof(S3StorageOptions.SecretKey)} must be set together (or both left empty to use the default AWS credential chain).");
        }

        if (options.UrlExpiry < TimeSpan.Zero || options.UrlExpiry > S3StorageOptions.MaxUrlExpiry)
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.UrlExpiry)} must be from 00:00:00 (plain URLs) to 7.00:00:00; got {options.UrlExpiry}.");
        }

        if (options.PartSize is < S3StorageOptions.MinPartSize or > S3StorageOptions.MaxPartSize)
        {
            failures.Add($"{Section}:{nameof(S3StorageOptions.PartSize)} must be from {S3StorageOptions.MinPartSize} (5 MiB) to {S3StorageOptions.MaxPartSize} bytes; got {options.PartSize}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
