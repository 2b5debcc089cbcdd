using System.Collections.Frozen;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>The ISO 639-2 (bibliographic) code that MP4 and ID3 want for a book's ISO 639-1 language.</summary>
internal static class LanguageCodes
{
    private static readonly FrozenDictionary<string, string> Iso6392 = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["af"] = "afr", ["ar"] = "ara", ["bg"] = "bul", ["bn"] = "ben", ["ca"] = "cat", ["cs"] = "cze", ["cy"] = "wel",
        ["da"] = "dan", ["de"] = "ger", ["el"] = "gre", ["en"] = "eng", ["eo"] = "epo", ["es"] = "spa", ["et"] = "est",
        ["eu"] = "baq", ["fa"] = "per", ["fi"] = "fin", ["fr"] = "fre", ["ga"] = "gle", ["gl"] = "glg", ["he"] = "heb",
        ["hi"] = "hin", ["hr"] = "hrv", ["hu"] = "hun", ["hy"] = "arm", ["id"] = "ind", ["is"] = "ice", ["it"] = "ita",
        ["ja"] = "jpn", ["ka"] = "geo", ["ko"] = "kor", ["la"] = "lat", ["lt"] = "lit", ["lv"] = "lav", ["mk"] = "mac",
        ["ms"] = "may", ["mt"] = "mlt", ["nb"] = "nob", ["nl"] = "dut", ["nn"] = "nno", ["no"] = "nor", ["pl"] = "pol",
        ["pt"] = "por", ["ro"] = "rum", ["ru"] = "rus", ["sk"] = "slo", ["sl"] = "slv", ["sq"] = "alb", ["sr"] = "srp",
        ["sv"] = "swe", ["sw"] = "swa", ["ta"] = "tam", ["th"] = "tha", ["tr"] = "tur", ["uk"] = "ukr", ["ur"] = "urd",
        ["vi"] = "vie", ["zh"] = "chi",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Maps <c>de</c>, <c>de-AT</c> or <c>de_AT</c> to <c>ger</c>.</summary>
    /// <returns><see langword="null"/> for a language not in the table (the tag is then left out).</returns>
    public static string? ToIso6392(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var primary = language.Trim().Split('-', '_')[0];
        return Iso6392.GetValueOrDefault(primary);
    }
}
