using BookBytes.AudioBooks;

namespace BookBytes.WebHost.Api;

/// <summary>The API's lower-case names of the library's enums (<c>mode</c>, <c>grounding</c>), and the parse of a request's mode.</summary>
internal static class ApiNames
{
    public const string Summary = "summary";

    public const string Narration = "narration";

    public static string Of(AudioBookMode mode) => mode == AudioBookMode.Narration ? Narration : Summary;

    public static string Of(AudioBookGrounding grounding) => grounding == AudioBookGrounding.Text ? "text" : "model";

    /// <summary>Reads a request's mode: absent is a summary; only the two names, in any case, are taken (not numbers).</summary>
    public static bool TryParseMode(string? text, out AudioBookMode mode)
    {
        mode = AudioBookMode.Summary;
        if (text is null || string.Equals(text.Trim(), Summary, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text.Trim(), Narration, StringComparison.OrdinalIgnoreCase))
        {
            mode = AudioBookMode.Narration;
            return true;
        }

        return false;
    }
}
