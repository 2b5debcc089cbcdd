using Microsoft.Extensions.DependencyInjection;
using BookBytes.Tts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.OpenAI.Tests;

public sealed class OpenAiTtsProviderTests : IDisposable
{
    private const string SpeechPath = "/v1/audio/speech";

    private readonly OpenAiTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void The_model_id_is_the_configured_speech_model()
    {
        using var host = new OpenAiTestHost(o => o.SpeechModel = "tts-1-hd");

        _host.Get<ITtsProvider>().ModelId.Should().Be("gpt-4o-mini-tts");
        host.Get<ITtsProvider>().ModelId.Should().Be("tts-1-hd");
    }

    [Fact]
    public async Task A_download_that_stalls_after_the_headers_times_out_per_attempt_and_is_retried()
    {
        using var server = new StallingServer();
        using var host = new OpenAiTestHost(o =>
        {
            o.Endpoint = server.Url;

            // Seconds, not milliseconds: on a loaded 2-core machine a 500 ms attempt once ended before the retry's connection was seen.
            o.SpeechTimeout = TimeSpan.FromSeconds(2);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetries = 1;
        });
        var provider = host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello there.", "alloy")).WaitAsync(TimeSpan.FromSeconds(60));

        var thrown = (await act.Should().ThrowAsync<ProviderException>("the attempt's time-out covers the body, not only the headers")).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("timed out");
        (await server.WaitForRequestsAsync(2)).Should().Be(2, "the stalled attempt was retried once");
    }

    [Fact]
    public async Task Synthesize_sends_model_voice_format_speed_and_instructions_and_returns_the_bytes_intact()
    {
        var audio = RandomBytes(100_000);
        RespondWithAudio(audio);
        var provider = _host.Get<ITtsProvider>();

        var result = await provider.SynthesizeAsync(
            new SpeechRequest("Chapter one. The two systems.", "coral", AudioFormat.Opus, Speed: 1.25f, Instructions: "Calm, warm narrator."));

        result.ToArray().Should().Equal(audio);
        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(SpeechPath);
        OpenAiTestHost.Header(request, "Authorization").Should().Be("Bearer " + OpenAiTestHost.ApiKey);
        var body = OpenAiTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini-tts");
        body.GetProperty("input").GetString().Should().Be("Chapter one. The two systems.");
        body.GetProperty("voice").GetString().Should().Be("coral");
        body.GetProperty("response_format").GetString().Should().Be("opus");
        body.GetProperty("speed").GetDecimal().Should().Be(1.25m);
        body.GetProperty("instructions").GetString().Should().Be("Calm, warm narrator.");
    }

    [Theory]
    [InlineData("tts-1")]
    [InlineData("tts-1-hd")]
    [InlineData("kokoro")]
    public async Task Instructions_are_not_sent_to_models_that_do_not_take_them(string model)
    {
        using var host = new OpenAiTestHost(o => o.SpeechModel = model);
        host.Server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Audio([1, 2, 3]));
        var provider = host.Get<ITtsProvider>();

        await provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy", Instructions: "Whisper."));

        var body = OpenAiTestHost.Body(host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be(model);
        body.TryGetProperty("instructions", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Speed_and_instructions_are_left_out_when_not_given()
    {
        RespondWithAudio([1]);
        var provider = _host.Get<ITtsProvider>();

        await provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy"));

        var body = OpenAiTestHost.Body(_host.Requests.Single());
        body.TryGetProperty("speed", out _).Should().BeFalse();
        body.TryGetProperty("instructions", out _).Should().BeFalse();
        body.GetProperty("response_format").GetString().Should().Be("mp3");
    }

    [Theory]
    [InlineData(AudioFormat.Mp3, "mp3")]
    [InlineData(AudioFormat.Opus, "opus")]
    [InlineData(AudioFormat.Aac, "aac")]
    [InlineData(AudioFormat.Flac, "flac")]
    [InlineData(AudioFormat.Wav, "wav")]
    [InlineData(AudioFormat.Pcm, "pcm")]
    public async Task Every_format_is_sent_by_its_API_name(AudioFormat format, string expected)
    {
        RespondWithAudio([1]);
        var provider = _host.Get<ITtsProvider>();

        await provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy", format));

        OpenAiTestHost.Body(_host.Requests.Single()).GetProperty("response_format").GetString().Should().Be(expected);
    }

    [Fact]
    public async Task Voices_the_SDK_does_not_know_are_passed_through_and_a_blank_voice_uses_the_configured_one()
    {
        using var host = new OpenAiTestHost(o => o.Voice = "nova");
        host.Server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Audio([1]));
        var provider = host.Get<ITtsProvider>();

        await provider.SynthesizeAsync(new SpeechRequest("Hello.", "marin"));
        await provider.SynthesizeAsync(new SpeechRequest("Hello.", " "));

        host.Requests.Select(r => OpenAiTestHost.Body(r).GetProperty("voice").GetString()).Should().Equal("marin", "nova");
    }

    [Fact]
    public async Task Text_over_4096_characters_is_refused_without_any_HTTP_call()
    {
        RespondWithAudio([1]);
        var provider = _host.Get<ITtsProvider>();
        var request = new SpeechRequest(new string('a', 4097), "alloy");

        var act = () => provider.SynthesizeAsync(request);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("4097").And.Contain("4096");
        _host.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Text_of_exactly_4096_characters_is_accepted()
    {
        RespondWithAudio([1]);
        var provider = _host.Get<ITtsProvider>();

        await provider.SynthesizeAsync(new SpeechRequest(new string('a', 4096), "alloy"));

        _host.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData(0.24f)]
    [InlineData(4.01f)]
    [InlineData(float.NaN)]
    public async Task Speed_outside_the_range_is_refused(float speed)
    {
        var provider = _host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy", Speed: speed));

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
        _host.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_401_on_speech_throws_ProviderConfigurationException_without_the_key()
    {
        _host.Server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(401)
            .WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error($"Incorrect API key provided: {OpenAiTestHost.ApiKey}", "invalid_api_key")));
        var provider = _host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy"));

        var thrown = (await act.Should().ThrowAsync<ProviderConfigurationException>()).Which;
        thrown.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
        thrown.ToString().Should().NotContain(OpenAiTestHost.ApiKey);
    }

    [Fact]
    public async Task A_503_on_speech_is_retried_and_then_transient()
    {
        _host.Server.Given(Request.Create().WithPath(SpeechPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream unavailable"));
        var provider = _host.Get<ITtsProvider>();

        var act = () => provider.SynthesizeAsync(new SpeechRequest("Hello.", "alloy"));

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(503);
        _host.Requests.Should().HaveCount(new OpenAiOptions().MaxRetries + 1, "one attempt and the default single HTTP retry");
    }

    [Fact]
    public async Task A_separate_speech_endpoint_gets_the_speech_calls_while_chat_stays_on_the_endpoint()
    {
        using var speechServer = WireMock.Server.WireMockServer.Start();
        speechServer.Given(Request.Create().WithPath("/kokoro/v1/audio/speech").UsingPost()).RespondWith(Audio([7, 7]));
        using var host = new OpenAiTestHost(o =>
        {
            o.ApiKey = null;
            o.SpeechEndpoint = new Uri(speechServer.Url + "/kokoro/v1");
            o.SpeechModel = "kokoro";
        });
        var provider = host.Get<ITtsProvider>();

        var audio = await provider.SynthesizeAsync(new SpeechRequest("Hello.", "af_bella"));

        audio.ToArray().Should().Equal(7, 7);
        host.Requests.Should().BeEmpty();
        var request = speechServer.LogEntries.Should().ContainSingle().Subject;
        OpenAiTestHost.Body(request).GetProperty("model").GetString().Should().Be("kokoro");
        OpenAiTestHost.Header(request, "Authorization").Should().BeNull();
    }

    [Fact]
    public void On_a_compatible_server_capabilities_list_only_the_configured_voice_and_pass_others_through()
    {
        using var host = new OpenAiTestHost(o =>
        {
            o.Voice = "af_bella";
            o.AudioFormat = AudioFormat.Wav;
        });

        var capabilities = host.Get<ITtsProvider>().Capabilities;

        capabilities.MaxInputCharacters.Should().Be(4096);
        capabilities.Formats.Should().BeEquivalentTo(Enum.GetValues<AudioFormat>());
        capabilities.Voices.Should().Equal(["af_bella"], "a compatible server's voices are its own; others are proven by a first short call");
        capabilities.AcceptsOtherVoices.Should().BeTrue();
        capabilities.DefaultVoice.Should().Be("af_bella");
        capabilities.DefaultFormat.Should().Be(AudioFormat.Wav);
    }

    [Fact]
    public void On_the_OpenAI_API_capabilities_list_its_voices_and_accept_no_others()
    {
        var services = new ServiceCollection();
        new OpenAiTestHost.TestBuilder(services).AddOpenAITts(o =>
        {
            o.ApiKey = "sk-test";
            o.Voice = "marin";
        });
        using var provider = services.BuildServiceProvider();

        var capabilities = provider.GetRequiredService<ITtsProvider>().Capabilities;

        capabilities.Voices.Should().BeEquivalentTo(["alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage", "shimmer", "verse"]);
        capabilities.AcceptsOtherVoices.Should().BeFalse();
        capabilities.DefaultVoice.Should().Be("marin");
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static IResponseBuilder Audio(byte[] audio)
        => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream").WithBody(audio);

    private void RespondWithAudio(byte[] audio)
        => _host.Server.Given(Request.Create().WithPath(SpeechPath).UsingPost()).RespondWith(Audio(audio));
}
