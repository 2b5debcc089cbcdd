using BookBytes.Providers.Local.Speech;

namespace BookBytes.Providers.Local.Tests.Speech;

public sealed class LocalSpeechEnginesTests : IDisposable
{
    private static readonly Lazy<LocalSpeechEngines> Real = new(() => LocalSpeechEngines.Discover(SpeechTools.RealEngines()));

    private readonly SpeechTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("fr")]
    [InlineData("es")]
    [InlineData("it")]
    [InlineData("pt")]
    [InlineData("nl")]
    public void Discovery_lists_a_voice_for_each_major_language(string language)
    {
        var engines = Real.Value;

        engines.Voices.Should().Contain(v => v.Language.StartsWith(language, StringComparison.OrdinalIgnoreCase) && v.Engine == "espeak-ng");
        var voice = engines.VoiceFor(language);
        voice.Should().NotBeNull();
        engines.Voices.Single(v => v.Id == voice).Language.Should().StartWith(language);
    }

    [Fact]
    public void Discovery_finds_every_engine_with_ids_of_engine_and_voice()
    {
        var engines = Real.Value;

        engines.Missing.Should().BeEmpty("the test command installs espeak-ng, flite, festival, festvox-us-slt-hts and ffmpeg");
        engines.CanEncodeMp3.Should().BeTrue();
        engines.Voices.Select(v => v.Id).Should().Contain(["espeak-ng.en-us", "espeak-ng.de", "flite.slt", "flite.awb", "flite.rms", "flite.kal", "festival.slt"]);
        engines.Voices.Select(v => v.Engine).Distinct().Should().BeEquivalentTo(["espeak-ng", "flite", "festival"]);
        engines.Voices.Should().OnlyContain(v => System.Text.RegularExpressions.Regex.IsMatch(v.Id, "^[A-Za-z0-9._-]{1,64}$") && v.Id.StartsWith(v.Engine + ".", StringComparison.Ordinal));
        engines.Voices.Select(v => v.Id).Should().OnlyHaveUniqueItems();
        engines.Voices.Should().NotContain(v => v.Id.Contains("mbrola", StringComparison.OrdinalIgnoreCase) || v.Id.EndsWith("_time", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "flite.slt")]
    [InlineData("en-US", "flite.slt")]
    [InlineData("en-GB", "flite.slt")]
    [InlineData("de-DE", "espeak-ng.de")]
    [InlineData("de", "espeak-ng.de")]
    [InlineData("pt-BR", "espeak-ng.pt-br")]
    [InlineData("pt_PT", "espeak-ng.pt")]
    [InlineData("fr", "espeak-ng.fr-fr")]
    [InlineData("FR-be", "espeak-ng.fr-be")]
    [InlineData("es-MX", "espeak-ng.es-419")]
    public void VoiceFor_takes_the_whole_tag_then_the_primary_subtag_and_prefers_flite_for_English(string language, string expected)
    {
        Real.Value.VoiceFor(language).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("tlh")]
    public void VoiceFor_a_blank_or_unknown_language_is_null(string language)
    {
        Real.Value.VoiceFor(language).Should().BeNull();
    }

    [Fact]
    public void The_default_voice_is_the_configured_one_when_it_exists_else_flite_slt()
    {
        var configured = LocalSpeechEngines.Discover(new LocalSpeechOptions { Voice = "espeak-ng.de" });
        var unknown = LocalSpeechEngines.Discover(new LocalSpeechOptions { Voice = "espeak-ng.xx-nothing" });

        configured.DefaultVoice.Should().Be("espeak-ng.de");
        unknown.DefaultVoice.Should().Be("flite.slt");
        Real.Value.DefaultVoice.Should().Be("flite.slt");
    }

    [Fact]
    public void Without_flite_the_preferred_English_voice_is_festival_then_espeak()
    {
        var noFlite = LocalSpeechEngines.Discover(new LocalSpeechOptions { FlitePath = Path.Combine(_tools.Folder, "none") });
        var espeakOnly = LocalSpeechEngines.Discover(_tools.OnlyEspeak("espeak-ng"));

        noFlite.DefaultVoice.Should().Be("festival.slt");
        noFlite.VoiceFor("en-GB").Should().Be("festival.slt");
        espeakOnly.DefaultVoice.Should().Be("espeak-ng.en-us");
        espeakOnly.VoiceFor("en").Should().Be("espeak-ng.en-us");
    }

    [Fact]
    public void Missing_programs_are_named_with_their_Debian_packages()
    {
        var engines = LocalSpeechEngines.Discover(new LocalSpeechOptions
        {
            EspeakNgPath = "/nonexistent/espeak-ng",
            FlitePath = "/nonexistent/flite",
            Text2WavePath = "/nonexistent/text2wave",
            FfmpegPath = "/nonexistent/ffmpeg",
        });

        engines.Voices.Should().BeEmpty();
        engines.DefaultVoice.Should().BeNull();
        engines.CanEncodeMp3.Should().BeFalse();
        engines.Missing.Should().BeEquivalentTo(
            "espeak-ng not found at '/nonexistent/espeak-ng' (Debian package espeak-ng: apt-get install espeak-ng)",
            "flite not found at '/nonexistent/flite' (Debian package flite: apt-get install flite)",
            "text2wave not found at '/nonexistent/text2wave' (Debian package festival: apt-get install festival festvox-us-slt-hts)",
            "ffmpeg not found at '/nonexistent/ffmpeg' (Debian package ffmpeg: apt-get install ffmpeg); speech is WAV");
    }

    [Fact]
    public void A_program_that_does_not_answer_its_listing_is_reported_and_not_used()
    {
        var broken = _tools.Script("broken-espeak", "echo 'no voices here' >&2; exit 1");

        var engines = LocalSpeechEngines.Discover(_tools.OnlyEspeak(broken));

        engines.Voices.Should().BeEmpty();
        engines.Missing.Should().Contain(m => m.StartsWith("espeak-ng at ", StringComparison.Ordinal) && m.Contains("apt-get install espeak-ng", StringComparison.Ordinal));
    }

    [Fact]
    public void Espeak_listing_columns_are_parsed_without_mbrola_voices()
    {
        const string listing = """
            Pty Language       Age/Gender VoiceName          File                 Other Languages
             5  de              --/M      German             gmw/de
             5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
             2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
             7  de              --/M      german-mbrola-1    mb/mb-de1
            """;

        var voices = LocalSpeechEngines.ParseEspeakVoices(listing);

        voices.Select(v => v.Voice).Should().Equal(
            new LocalVoice("espeak-ng.de", "espeak-ng", "de", "German"),
            new LocalVoice("espeak-ng.cmn", "espeak-ng", "cmn", "Chinese (Mandarin, latin as English)"),
            new LocalVoice("espeak-ng.en-gb", "espeak-ng", "en-GB", "English (Great Britain)"));
        voices[1].OtherLanguages.Should().Equal(("zh-cmn", 5), ("zh", 5));
    }
}
