using System.Collections.Frozen;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Maps Open Library's MARC language keys (<c>/languages/eng</c>) to ISO 639-1 codes (<c>en</c>).</summary>
internal static class LanguageCodes
{
    /// <summary>The language assumed when the edition names none.</summary>
    public const string Default = "en";

    private static readonly FrozenDictionary<string, string> MarcToIso6391 = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["eng"] = "en", ["fre"] = "fr", ["fra"] = "fr", ["ger"] = "de", ["deu"] = "de", ["spa"] = "es",
        ["ita"] = "it", ["por"] = "pt", ["dut"] = "nl", ["nld"] = "nl", ["rus"] = "ru", ["jpn"] = "ja",
        ["chi"] = "zh", ["zho"] = "zh", ["kor"] = "ko", ["ara"] = "ar", ["swe"] = "sv", ["nor"] = "no",
        ["nob"] = "nb", ["nno"] = "nn", ["dan"] = "da", ["fin"] = "fi", ["pol"] = "pl", ["tur"] = "tr",
        ["heb"] = "he", ["gre"] = "el", ["ell"] = "el", ["lat"] = "la", ["cze"] = "cs", ["ces"] = "cs",
        ["hun"] = "hu", ["hin"] = "hi", ["ind"] = "id", ["vie"] = "vi", ["tha"] = "th", ["ukr"] = "uk",
        ["rum"] = "ro", ["ron"] = "ro", ["bul"] = "bg", ["hrv"] = "hr", ["srp"] = "sr", ["slo"] = "sk",
        ["slk"] = "sk", ["slv"] = "sl", ["cat"] = "ca", ["per"] = "fa", ["fas"] = "fa", ["ben"] = "bn",
        ["urd"] = "ur", ["ice"] = "is", ["isl"] = "is", ["wel"] = "cy", ["cym"] = "cy", ["gle"] = "ga",
        ["est"] = "et", ["lav"] = "lv", ["lit"] = "lt", ["may"] = "ms", ["msa"] = "ms", ["afr"] = "af",
        ["baq"] = "eu", ["eus"] = "eu", ["glg"] = "gl", ["arm"] = "hy", ["hye"] = "hy", ["geo"] = "ka",
        ["kat"] = "ka", ["epo"] = "eo", ["tam"] = "ta", ["tel"] = "te", ["mar"] = "mr", ["swa"] = "sw",
        ["tgl"] = "tl", ["mlt"] = "mt", ["ltz"] = "lb", ["mac"] = "mk", ["mkd"] = "mk", ["alb"] = "sq",
        ["sqi"] = "sq", ["bos"] = "bs", ["bel"] = "be", ["kaz"] = "kk", ["aze"] = "az", ["uzb"] = "uz",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Converts a language key such as <c>/languages/fre</c> (or a bare <c>fre</c>) to ISO 639-1 (<c>fr</c>).
    /// A code not in the table is returned as its lower-case three letters (ISO 639-2, which MARC codes
    /// mostly are) rather than guessed as English.
    /// </summary>
    /// <param name="key">The language key; <see langword="null"/> or empty gives <see cref="Default"/>.</param>
    /// <returns>The language code.</returns>
    public static string FromKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return Default;
        }

        var code = key[(key.LastIndexOf('/') + 1)..].Trim().ToLowerInvariant();
        if (code.Length == 0)
        {
            return Default;
        }

        return MarcToIso6391.TryGetValue(code, out var iso) ? iso : code;
    }
}
