using Microsoft.ML.Tokenizers;

namespace BookBytes.Providers.OpenAI.Chat;

/// <summary>The tiktoken encoding of an OpenAI chat model, from Microsoft.ML.Tokenizers and its data packages.</summary>
internal static class OpenAiTokenizers
{
    /// <summary>
    /// Creates the tokenizer of <paramref name="model"/>: o200k_base for gpt-4o, gpt-4.1, gpt-5 and the o-series,
    /// cl100k_base for gpt-4 and gpt-3.5. A provider prefix (<c>openai/gpt-4o</c>, as gateways name models) is ignored.
    /// </summary>
    /// <param name="model">The chat model as configured.</param>
    /// <returns>The tokenizer, or <see langword="null"/> for a model whose tokenizer is not known (a compatible server's own).</returns>
    public static Tokenizer? ForModel(string model)
    {
        var name = model.Trim();
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.Length == 0)
        {
            return null;
        }

        try
        {
            return TiktokenTokenizer.CreateForModel(name);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or InvalidOperationException or IOException)
        {
            // A count that fails for good would fail every chapter cut: an unknown or unloadable encoding is estimated instead.
            // The o1 and o3 families are missing from the tokenizer's table (2.0.1) but use o200k_base.
            return IsReasoningModel(name) ? TiktokenTokenizer.CreateForEncoding("o200k_base") : null;
        }
    }

    private static bool IsReasoningModel(string name)
    {
        foreach (var family in (ReadOnlySpan<string>)["o1", "o3", "o4"])
        {
            if (name.Equals(family, StringComparison.OrdinalIgnoreCase) || name.StartsWith(family + "-", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
