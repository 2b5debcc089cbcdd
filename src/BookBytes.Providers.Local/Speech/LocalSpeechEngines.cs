using System.Globalization;
using System.Text.RegularExpressions;
using BookBytes.Internal.Processes;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// The speech engines found on this machine and their voices: eSpeak NG (every language <c>espeak-ng --voices</c>
/// lists, without MBROLA voices), Flite (<c>flite -lv</c>) and Festival (the voices <c>text2wave</c> knows), plus
/// whether ffmpeg can encode MP3. Created once by <see cref="Discover"/>.
/// </summary>
/// <remarks>Immutable once discovered; thread-safe.</remarks>
public sealed partial class LocalSpeechEngines
{
    /// <summary>The engine name of eSpeak NG voices.</summary>
    internal const string EspeakNg = "espeak-ng";

    /// <summary>The engine name of Flite voices.</summary>
    internal const string Flite = "flite";

    /// <summary>The engine name of Festival voices.</summary>
    internal const string Festival = "festival";

    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(15);
    private static readonly string[] PreferredEnglish = ["flite.slt", "festival.slt", "espeak-ng.en-us"];

    private readonly Dictionary<string, EngineVoice> _byId;

    internal LocalSpeechEngines(
        IReadOnlyList<EngineVoice> voices, string? preferredVoice, IReadOnlyList<string> missing, string? espeakNg, string? flite, string? text2Wave, string? ffmpeg)
    {
        EngineVoices = voices;
        _byId = voices.ToDictionary(v => v.Id, StringComparer.OrdinalIgnoreCase);
        Voices = voices.Select(v => v.Voice).ToArray();
        Missing = missing;
        EspeakNgPath = espeakNg;
        FlitePath = flite;
        Text2WavePath = text2Wave;
        FfmpegPath = ffmpeg;
        EnglishVoice = PreferredEnglish.FirstOrDefault(_byId.ContainsKey) ?? Find("en", preferEnglish: false);
        DefaultVoice = preferredVoice is not null && _byId.TryGetValue(preferredVoice.Trim(), out var chosen)
            ? chosen.Id
            : EnglishVoice ?? (voices.Count > 0 ? voices[0].Id : null);
    }

    /// <summary>Gets the voices found, eSpeak NG's first, then Flite's, then Festival's.</summary>
    public IReadOnlyList<LocalVoice> Voices { get; }

    /// <summary>
    /// Gets the voice used when a request names none: <see cref="LocalSpeechOptions.Voice"/> when it was found, else the
    /// preferred English voice (<c>flite.slt</c>, <c>festival.slt</c>, <c>espeak-ng.en-us</c>), else the first voice;
    /// <see langword="null"/> when no voice was found.
    /// </summary>
    public string? DefaultVoice { get; }

    /// <summary>Gets whether ffmpeg was found with its MP3 encoder: speech can be MP3, and is WAV otherwise.</summary>
    public bool CanEncodeMp3 => FfmpegPath is not null;

    /// <summary>
    /// Gets one line per program that was not found or did not answer, naming the Debian package to install, for
    /// example <c>espeak-ng not found (Debian package espeak-ng: apt-get install espeak-ng)</c>.
    /// </summary>
    public IReadOnlyList<string> Missing { get; }

    internal IReadOnlyList<EngineVoice> EngineVoices { get; }

    internal string? EnglishVoice { get; }

    internal string? EspeakNgPath { get; }

    internal string? FlitePath { get; }

    internal string? Text2WavePath { get; }

    internal string? FfmpegPath { get; }

    /// <summary>
    /// Finds the engines and their voices: resolves every configured program (a path, or a name on <c>PATH</c>) and
    /// runs the engines' listing commands, each bounded to 15 seconds. Programs that are missing or do not answer
    /// are listed in <see cref="Missing"/>; this method does not throw for them.
    /// </summary>
    /// <param name="options">The programs to look for and the preferred voice.</param>
    /// <returns>The engines found; possibly none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <remarks>Thread-safe; takes up to a second on a typical machine (Festival loads its voices).</remarks>
    public static LocalSpeechEngines Discover(LocalSpeechOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var voices = new List<EngineVoice>();
        var missing = new List<string>();

        var espeak = Executables.Resolve(options.EspeakNgPath);
        if (espeak is null)
        {
            missing.Add(NotFound("espeak-ng", options.EspeakNgPath, "espeak-ng", "espeak-ng"));
        }
        else if (Executables.RunListing(espeak, ["--voices"], ListingTimeout) is { } listing)
        {
            voices.AddRange(ParseEspeakVoices(listing));
        }
        else
        {
            missing.Add($"espeak-ng at {espeak} did not list its voices (Debian package espeak-ng: apt-get install espeak-ng)");
            espeak = null;
        }

        var flite = Executables.Resolve(options.FlitePath);
        if (flite is null)
        {
            missing.Add(NotFound("flite", options.FlitePath, "flite", "flite"));
        }
        else if (Executables.RunListing(flite, ["-lv"], ListingTimeout) is { } listing)
        {
            voices.AddRange(ParseFliteVoices(listing));
        }
        else
        {
            missing.Add($"flite at {flite} did not list its voices (Debian package flite: apt-get install flite)");
            flite = null;
        }

        var text2Wave = Executables.Resolve(options.Text2WavePath);
        if (text2Wave is null)
        {
            missing.Add(NotFound("text2wave", options.Text2WavePath, "festival", "festival festvox-us-slt-hts"));
        }
        else
        {
            // text2wave evaluates -eval before it reads any text; quitting there makes it a voice lister.
            var listing = Executables.RunListing(text2Wave, ["-eval", "(begin (print (voice.list)) (quit))"], ListingTimeout);
            var found = listing is null ? [] : ParseFestivalVoices(listing);
            voices.AddRange(found);
            if (!found.Any(v => v.Id == "festival.slt"))
            {
                missing.Add("festival voice cmu_us_slt_arctic_hts not found (Debian package festvox-us-slt-hts: apt-get install festvox-us-slt-hts)");
            }

            if (found.Count == 0)
            {
                text2Wave = null;
            }
        }

        var ffmpeg = Executables.Resolve(options.FfmpegPath);
        if (ffmpeg is null)
        {
            missing.Add(NotFound("ffmpeg", options.FfmpegPath, "ffmpeg", "ffmpeg") + "; speech is WAV");
        }
        else if (Executables.RunListing(ffmpeg, ["-hide_banner", "-encoders"], ListingTimeout) is not { } encoders
            || !encoders.Contains("libmp3lame", StringComparison.Ordinal))
        {
            missing.Add($"ffmpeg at {ffmpeg} cannot encode MP3 with libmp3lame (Debian package ffmpeg: apt-get install ffmpeg); speech is WAV");
            ffmpeg = null;
        }

        return new LocalSpeechEngines(voices, options.Voice, missing, espeak, flite, text2Wave, ffmpeg);
    }

    /// <summary>
    /// Gets the best voice for text in <paramref name="language"/>: for English the preferred English voice
    /// (<c>flite.slt</c>, <c>festival.slt</c>, <c>espeak-ng.en-us</c>); otherwise a voice of the whole tag, then of its
    /// primary subtag (<c>pt-BR</c> gives <c>espeak-ng.pt-br</c>, <c>de-DE</c> gives <c>espeak-ng.de</c>).
    /// </summary>
    /// <param name="language">A BCP 47 language tag, for example <c>de</c> or <c>pt-BR</c>; <c>_</c> is read as <c>-</c>.</param>
    /// <returns>A <see cref="LocalVoice.Id"/>, or <see langword="null"/> when no voice speaks the language or the tag is blank.</returns>
    /// <remarks>Thread-safe.</remarks>
    public string? VoiceFor(string language) => Find(language, preferEnglish: true);

    internal EngineVoice? Get(string id) => _byId.GetValueOrDefault(id.Trim());

    /// <summary>Every language a voice is known for, and its primary subtag, with the voice <see cref="VoiceFor"/> gives.</summary>
    internal IReadOnlyDictionary<string, string> LanguageVoices()
    {
        var languages = EngineVoices
            .SelectMany(v => v.OtherLanguages.Select(o => o.Language).Append(v.Voice.Language))
            .SelectMany(l => new[] { l, l.Split('-')[0] })
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var language in languages)
        {
            if (VoiceFor(language) is { } voice)
            {
                map[language] = voice;
            }
        }

        return map;
    }

    internal static List<EngineVoice> ParseEspeakVoices(string listing)
    {
        var voices = new List<EngineVoice>();
        foreach (var line in listing.Split('\n'))
        {
            var columns = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (columns.Length < 5 || !int.TryParse(columns[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority))
            {
                continue;
            }

            var (language, name, file) = (columns[1], columns[3], columns[4]);

            // MBROLA voices need the mbrola program and its databases, which are separate packages.
            if (file.StartsWith("mb/", StringComparison.Ordinal) || name.Contains("mbrola", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var id = $"{EspeakNg}.{language.ToLowerInvariant()}";
            if (!IsValidId(id) || voices.Any(v => v.Id == id))
            {
                continue;
            }

            var others = columns.Length > 5
                ? OtherLanguagePattern().Matches(columns[5]).Select(m => (Bcp47(m.Groups[1].Value), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray()
                : [];
            voices.Add(new EngineVoice(new LocalVoice(id, EspeakNg, Bcp47(language), name.Replace('_', ' ')), language.ToLowerInvariant(), priority, others));
        }

        return voices;
    }

    internal static List<EngineVoice> ParseFliteVoices(string listing)
    {
        var voices = new List<EngineVoice>();
        var line = listing.Split('\n').FirstOrDefault(l => l.StartsWith("Voices available:", StringComparison.OrdinalIgnoreCase));
        if (line is null)
        {
            return voices;
        }

        foreach (var name in line["Voices available:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // awb_time and the like are limited-domain voices: they speak only the time of day.
            var id = $"{Flite}.{name}";
            if (name.EndsWith("_time", StringComparison.Ordinal) || !IsValidId(id))
            {
                continue;
            }

            var (language, description) = name switch
            {
                "slt" => ("en-US", "SLT (US English, female)"),
                "rms" => ("en-US", "RMS (US English, male)"),
                "awb" => ("en-GB", "AWB (Scottish English, male)"),
                "kal" => ("en-US", "KAL (US English, male, 8 kHz)"),
                "kal16" => ("en-US", "KAL16 (US English, male)"),
                _ => ("en", name.ToUpperInvariant()),
            };
            voices.Add(new EngineVoice(new LocalVoice(id, Flite, language, description), name, 5, []));
        }

        return voices;
    }

    internal static List<EngineVoice> ParseFestivalVoices(string listing)
    {
        var voices = new List<EngineVoice>();
        var start = listing.IndexOf('(', StringComparison.Ordinal);
        var end = listing.IndexOf(')', StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return voices;
        }

        foreach (var name in listing[(start + 1)..end].Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            // Only voices whose language the name tells: Festival's voice list does not say.
            var match = FestivalUsVoicePattern().Match(name);
            if (!match.Success)
            {
                continue;
            }

            var id = $"{Festival}.{match.Groups[1].Value}";
            if (IsValidId(id) && !voices.Any(v => v.Id == id))
            {
                voices.Add(new EngineVoice(
                    new LocalVoice(id, Festival, "en-US", $"{match.Groups[1].Value.ToUpperInvariant()} (US English, {name})"), name, 5, []));
            }
        }

        return voices;
    }

    internal static bool IsValidId(string id) => VoiceIdPattern().IsMatch(id);

    private static string NotFound(string program, string? configured, string package, string install)
    {
        var where = string.IsNullOrWhiteSpace(configured) || configured.Trim() == program ? string.Empty : $" at '{configured.Trim()}'";
        return $"{program} not found{where} (Debian package {package}: apt-get install {install})";
    }

    // eSpeak NG writes tags in lower case; BCP 47 writes regions in upper case and scripts in title case.
    private static string Bcp47(string tag)
    {
        var parts = tag.Split('-');
        var privateUse = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].ToLowerInvariant();
            privateUse |= part == "x";
            parts[i] = i == 0 || privateUse ? part
                : part.Length == 2 && part.All(char.IsAsciiLetter) ? part.ToUpperInvariant()
                : part.Length == 4 && part.All(char.IsAsciiLetter) ? char.ToUpperInvariant(part[0]) + part[1..]
                : part;
        }

        return string.Join('-', parts);
    }

    private string? Find(string language, bool preferEnglish)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var tag = language.Trim().Replace('_', '-');
        var primary = tag.Split('-')[0];
        if (preferEnglish && primary.Equals("en", StringComparison.OrdinalIgnoreCase) && EnglishVoice is not null)
        {
            return EnglishVoice;
        }

        foreach (var candidate in new[] { tag, primary }.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var exact = EngineVoices.Where(v => v.Voice.Language.Equals(candidate, StringComparison.OrdinalIgnoreCase)).MinBy(v => v.Priority);
            if (exact is not null)
            {
                return exact.Id;
            }

            var other = EngineVoices
                .SelectMany(v => v.OtherLanguages.Where(o => o.Language.Equals(candidate, StringComparison.OrdinalIgnoreCase)).Select(o => (v, o.Priority)))
                .OrderBy(x => x.Priority).ThenBy(x => x.v.Priority).Select(x => x.v).FirstOrDefault();
            if (other is not null)
            {
                return other.Id;
            }
        }

        return EngineVoices
            .Where(v => v.Voice.Language.Split('-')[0].Equals(primary, StringComparison.OrdinalIgnoreCase))
            .OrderBy(v => v.Priority).ThenBy(v => v.Voice.Language.Length)
            .FirstOrDefault()?.Id;
    }

    [GeneratedRegex(@"\(([A-Za-z0-9-]+) (\d+)\)")]
    private static partial Regex OtherLanguagePattern();

    [GeneratedRegex(@"^cmu_us_([a-z0-9]+)_(?:arctic_)?(?:hts|clunits|cg)$")]
    private static partial Regex FestivalUsVoicePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex VoiceIdPattern();
}
