using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.DependencyInjection;

/// <summary>Validates every section of <see cref="BookBytesOptions"/>, naming each bad value by its configuration key.</summary>
internal sealed class BookBytesOptionsValidator : IValidateOptions<BookBytesOptions>
{
    public ValidateOptionsResult Validate(string? name, BookBytesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.Jobs, "Jobs", failures);
        Check(options.Llm, "Llm", failures);
        Check(options.Tts, "Tts", failures);
        Check(options.Summary, "Summary", failures);
        Check(options.Worker, "Worker", failures);
        Check(options.Estimate, "Estimate", failures);
        foreach (var (model, price) in options.Pricing.Models)
        {
            if (price is null || price.InputPerMillionTokens < 0 || price.OutputPerMillionTokens < 0 || price.PerMillionCharacters < 0)
            {
                failures.Add($"{BookBytesOptions.SectionName}:Pricing:Models:{model} has a negative or missing price.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Pricing.Currency))
        {
            failures.Add($"{BookBytesOptions.SectionName}:Pricing:Currency is empty.");
        }

        if (options.Jobs.MaxRetryDelay < options.Jobs.RetryBaseDelay)
        {
            failures.Add($"{BookBytesOptions.SectionName}:Jobs:MaxRetryDelay ({options.Jobs.MaxRetryDelay}) must not be below {BookBytesOptions.SectionName}:Jobs:RetryBaseDelay ({options.Jobs.RetryBaseDelay}).");
        }

        if (options.Tts.MinCharactersPerSecond >= options.Tts.MaxCharactersPerSecond)
        {
            failures.Add($"{BookBytesOptions.SectionName}:Tts:MinCharactersPerSecond ({options.Tts.MinCharactersPerSecond}) must be below {BookBytesOptions.SectionName}:Tts:MaxCharactersPerSecond ({options.Tts.MaxCharactersPerSecond}).");
        }

        if (options.Jobs.PollInterval >= options.Jobs.LeaseDuration)
        {
            failures.Add($"{BookBytesOptions.SectionName}:Jobs:PollInterval ({options.Jobs.PollInterval}) must be shorter than {BookBytesOptions.SectionName}:Jobs:LeaseDuration ({options.Jobs.LeaseDuration}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string sectionName, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty("?"))
            {
                failures.Add($"{BookBytesOptions.SectionName}:{sectionName}:{member}: {result.ErrorMessage}");
            }
        }
    }
}
