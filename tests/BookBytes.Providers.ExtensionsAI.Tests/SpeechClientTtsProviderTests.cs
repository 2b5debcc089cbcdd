using System.Net;
using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.ExtensionsAI.Tests;

public sealed class SpeechClientTtsProviderTests
{
    private readonly ScriptedSpeechClient _client = new();

    private static SpeechClientTtsOptions Declared(Action<SpeechClientTtsOptions>? change = null)
    {
        var options = new SpeechClientTtsOptions { MaxInputCharacters = 300, ModelId = "voice-model", DefaultFormat = AudioFormat.Wav };
        options.Voices.Add("narrator");
        options.Voices.Add("reader");
        options.Formats.Add(AudioFormat.Wav);
        options.Formats.Add(AudioFormat.Mp3);
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public void Capabilities_are_what_the_registration_declares()
    {
        var provider = new SpeechClientTtsProvider(_client, Declared(o => o.AcceptsOtherVoices = false));

        provider.Capabilities.Should().BeEquivalentTo(new TtsCapabilities(300, ["narrator", "reader"], [AudioFormat.Wav, AudioFormat.Mp3], false, "narrator", AudioFormat.Wav));
    }

    [Fact]
    public void The_voice_for_a_language_is_the_declared_one_for_its_whole_tag_then_its_primary_language()
    {
        var provider = new SpeechClientTtsProvider(_client, Declared(o =>
        {
            o.LanguageVoices["pt"] = "reader";
            o.LanguageVoices["pt-BR"] = "narrator";
            o.LanguageVoices["de"] = " reader ";
        }));

        provider.VoiceFor("pt-BR").Should().Be("narrator");
        provider.VoiceFor("PT-pt").Should().Be("reader");
        provider.VoiceFor("pt_BR").Should().Be("narrator");
        provider.VoiceFor("de-CH-1996").Should().Be("reader");
        provider.VoiceFor("fr").Should().BeNull("a language without a declared voice takes the default voice");
        provider.VoiceFor(" ").Should().BeNull();
        ((ITtsProvider)new SpeechClientTtsProvider(_client, Declared())).VoiceFor("pt").Should().BeNull("none are declared by default");
    }

    [Fact]
    public void The_model_id_is_the_configured_one_else_the_clients_default_else_none()
    {
        new SpeechClientTtsProvider(_client, Declared()).ModelId.Should().Be("voice-model");
        new SpeechClientTtsProvider(_client, Declared(o => o.ModelId = null)).ModelId.Should().BeNull();
        _client.Metadata = new TextToSpeechClientMetadata("scripted", defaultModelId: "default-voice-model");
        new SpeechClientTtsProvider(_client, Declared(o => o.ModelId = null)).ModelId.Should().Be("default-voice-model");
        ((ITtsProvider)new SpeechClientTtsProvider(_client, Declared())).ModelId.Should().Be("voice-model");
    }

    [Fact]
    public async Task A_request_is_sent_as_TextToSpeechOptions_and_the_audio_comes_back_intact()
    {
        var provider = new SpeechClientTtsProvider(_client, Declared());

        var audio = await provider.SynthesizeAsync(new SpeechRequest("Hello there.", "reader", AudioFormat.Mp3, 1.25f, "Warm and calm."));

        audio.ToArray().Should().Equal(FakeTtsProvider.AudioFor("Hello there."));
        var (text, options) = _client.Calls.Should().ContainSingle().Subject;
        text.Should().Be("Hello there.");
        options!.VoiceId.Should().Be("reader");
        options.AudioFormat.Should().Be("mp3");
        options.Speed.Should().Be(1.25f);
        options.ModelId.Should().Be("voice-model");
        options.AdditionalProperties![SpeechClientTtsProvider.InstructionsKey].Should().Be("Warm and calm.");
    }

    [Fact]
    public async Task A_blank_voice_uses_the_default_and_nothing_unasked_is_sent()
    {
        var provider = new SpeechClientTtsProvider(_client, Declared(o => o.DefaultVoice = "reader"));

        await provider.SynthesizeAsync(new SpeechRequest("Hi.", " ", AudioFormat.Wav));

        var options = _client.Calls.Single().Options!;
        options.VoiceId.Should().Be("reader");
        options.AudioFormat.Should().Be("wav");
        options.Speed.Should().BeNull();
        options.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public async Task Requests_the_client_cannot_take_are_refused_before_any_call()
    {
        var provider = new SpeechClientTtsProvider(_client, Declared());

        await FluentActions.Awaiting(() => provider.SynthesizeAsync(new SpeechRequest(new string('a', 301), "reader", AudioFormat.Wav)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*301*300*");
        await FluentActions.Awaiting(() => provider.SynthesizeAsync(new SpeechRequest("Hi.", "reader", AudioFormat.Opus)))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => provider.SynthesizeAsync(new SpeechRequest("Hi.", "reader", AudioFormat.Wav, 9f)))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => provider.SynthesizeAsync(new SpeechRequest(" ", "reader", AudioFormat.Wav)))
            .Should().ThrowAsync<ArgumentException>();
        _client.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task An_answer_without_audio_is_a_transient_unusable_answer()
    {
        _client.Respond = (_, _, _) => Task.FromResult(new TextToSpeechResponse([new TextContent("no audio today")]));

        var act = () => new SpeechClientTtsProvider(_client, Declared()).SynthesizeAsync(new SpeechRequest("Hi.", "reader", AudioFormat.Wav));

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task A_failure_of_the_client_becomes_a_ProviderException_judged_by_its_status()
    {
        _client.Respond = (_, _, _) => Task.FromException<TextToSpeechResponse>(new HttpRequestException("unknown voice", null, HttpStatusCode.BadRequest));

        var act = () => new SpeechClientTtsProvider(_client, Declared()).SynthesizeAsync(new SpeechRequest("Hi.", "robot", AudioFormat.Wav));

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(400);
        thrown.Message.Should().Contain("Speech synthesis").And.Contain("voice-model");
    }

    [Fact]
    public async Task A_client_that_returns_no_audio_when_cancelled_still_ends_in_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        _client.Respond = async (_, _, _) =>
        {
            await cts.CancelAsync();
            return new TextToSpeechResponse([]);
        };

        var act = () => new SpeechClientTtsProvider(_client, Declared()).SynthesizeAsync(new SpeechRequest("Hi.", "reader", AudioFormat.Wav), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData(0, 1f, 2f)]
    [InlineData(100, 2f, 1f)]
    [InlineData(100, 0f, 1f)]
    public void Contradictory_declarations_are_refused(int maxInput, float minSpeed, float maxSpeed)
    {
        var act = () => new SpeechClientTtsProvider(_client, Declared(o =>
        {
            o.MaxInputCharacters = maxInput;
            o.MinSpeed = minSpeed;
            o.MaxSpeed = maxSpeed;
        }));

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_client_that_takes_no_other_voices_needs_one_named()
    {
        var act = () => new SpeechClientTtsProvider(_client, new SpeechClientTtsOptions { AcceptsOtherVoices = false });

        act.Should().Throw<ArgumentException>().WithMessage("*voice*");
    }
}
