using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Local;

/// <summary>Validates <see cref="LocalStorageOptions"/>; every failure names the configuration key.</summary>
internal sealed class LocalStorageOptionsValidator : IValidateOptions<LocalStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            failures.Add($"{LocalStorageOptions.SectionName}:{nameof(LocalStorageOptions.RootPath)} is required.");
        }
        else if (options.RootPath.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{LocalStorageOptions.SectionName}:{nameof(LocalStorageOptions.RootPath)} must not contain a NUL character.");
        }

        if (options.PublicBaseUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{LocalStorageOptions.SectionName}:{nameof(LocalStorageOptions.PublicBaseUrl)} must be an absolute http or https URL; got '{url}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
