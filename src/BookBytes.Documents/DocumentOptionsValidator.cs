using Microsoft.Extensions.Options;

namespace BookBytes.Documents;

/// <summary>Checks <see cref="DocumentOptions"/> at start-up; every message names the key to fix.</summary>
internal sealed class DocumentOptionsValidator : IValidateOptions<DocumentOptions>
{
    private const string Prefix = DocumentOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxUploadBytes is < 1 or > 2L * 1024 * 1024 * 1024)
        {
            failures.Add($"{Prefix}MaxUploadBytes must be between 1 and 2147483648 (2 GiB); it is {options.MaxUploadBytes}.");
        }

        if (options.MaxUncompressedBytes is < 1 or > 16L * 1024 * 1024 * 1024)
        {
            failures.Add($"{Prefix}MaxUncompressedBytes must be between 1 and 17179869184 (16 GiB); it is {options.MaxUncompressedBytes}.");
        }

        if (options.MaxEntries is < 1 or > 1_000_000)
        {
            failures.Add($"{Prefix}MaxEntries must be between 1 and 1000000; it is {options.MaxEntries}.");
        }

        if (double.IsNaN(options.MaxCompressionRatio) || options.MaxCompressionRatio < 1 || options.MaxCompressionRatio > 100_000)
        {
            failures.Add($"{Prefix}MaxCompressionRatio must be between 1 and 100000; it is {options.MaxCompressionRatio}.");
        }

        if (options.MaxChapters is < 1 or > 100_000)
        {
            failures.Add($"{Prefix}MaxChapters must be between 1 and 100000; it is {options.MaxChapters}.");
        }

        if (options.ParseTimeout <= TimeSpan.Zero || options.ParseTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Prefix}ParseTimeout must be greater than 00:00:00 and at most 00:10:00; it is {options.ParseTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
