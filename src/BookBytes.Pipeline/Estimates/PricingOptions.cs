namespace BookBytes.Pipeline.Estimates;

/// <summary>
/// The price table of estimates (<c>BookBytes:Pricing</c>): prices per model name, as providers report their model
/// (<see cref="Llm.ILlmProvider.ModelId"/>, <see cref="Tts.ITtsProvider.ModelId"/>). The defaults are OpenAI's list prices
/// in US dollars for the models the OpenAI package uses and their usual alternatives, as published on 2025-08-01, and zero
/// for the local package's extractive summaries and speech engines; set
/// <c>BookBytes:Pricing:Models:{name}</c> to add or correct one.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Gets or sets the currency of the table (<c>BookBytes:Pricing:Currency</c>, default USD).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Gets the prices per model name, compared ignoring case (<c>BookBytes:Pricing:Models</c>).</summary>
    public Dictionary<string, ModelPrice> Models { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o-mini"] = new() { InputPerMillionTokens = 0.15m, OutputPerMillionTokens = 0.60m },
        ["gpt-4o"] = new() { InputPerMillionTokens = 2.50m, OutputPerMillionTokens = 10.00m },
        ["gpt-4.1-mini"] = new() { InputPerMillionTokens = 0.40m, OutputPerMillionTokens = 1.60m },
        ["gpt-4.1-nano"] = new() { InputPerMillionTokens = 0.10m, OutputPerMillionTokens = 0.40m },
        ["gpt-4.1"] = new() { InputPerMillionTokens = 2.00m, OutputPerMillionTokens = 8.00m },
        // gpt-4o-mini-tts is billed by tokens ($0.60/M text in, $12/M audio out): about $0.015 a minute of speech, which at
        // ~1,000 characters a minute is $15 per million characters.
        ["gpt-4o-mini-tts"] = new() { PerMillionCharacters = 15.00m },
        ["tts-1"] = new() { PerMillionCharacters = 15.00m },
        ["tts-1-hd"] = new() { PerMillionCharacters = 30.00m },
        // BookBytes.Providers.Local: extractive summaries and the machine's own speech engines cost nothing.
        ["extractive-textrank"] = new(),
        ["local-speech"] = new(),
    };
}

/// <summary>The price of one model.</summary>
public sealed class ModelPrice
{
    /// <summary>Gets or sets the price per million input tokens (language models).</summary>
    public decimal InputPerMillionTokens { get; set; }

    /// <summary>Gets or sets the price per million output tokens (language models).</summary>
    public decimal OutputPerMillionTokens { get; set; }

    /// <summary>Gets or sets the price per million characters spoken (speech models).</summary>
    public decimal PerMillionCharacters { get; set; }
}
