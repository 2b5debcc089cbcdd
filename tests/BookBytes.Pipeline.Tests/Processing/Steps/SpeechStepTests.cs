using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class SpeechStepTests
{
    [Fact]
    public async Task Text_is_spoken_in_chunks_of_at_most_the_chunk_size_and_joined_in_order()
    {
        using var fixture = await StepFixture.CreateAsync(o => o.Tts.ChunkCharacters = 200);
        var text = FakeLlmProvider.SummaryText(1, "Title", 120);
        var spend = new ChapterSpend();
        // Later chunks answer first: the joined audio must still follow the text's order.
        fixture.Tts.Behavior = (request, call, ct) => Task.Delay(call == 1 ? 50 : 0, ct);

        var audio = await new SpeechStep(fixture.Services, fixture.Retry).SpeakAsync(fixture.Run, 1, text, spend, CancellationToken.None);

        var requests = fixture.Tts.Requests.ToList();
        requests.Should().HaveCountGreaterThan(1).And.OnlyContain(r => r.Text.Length <= 200 && r.Voice == "alloy" && r.Format == AudioFormat.Mp3);
        requests.Should().OnlyContain(r => text.Contains(r.Text, StringComparison.Ordinal));
        var expected = requests.OrderBy(r => text.IndexOf(r.Text, StringComparison.Ordinal)).SelectMany(r => FakeTtsProvider.AudioFor(r.Text)).ToArray();
        Concat(audio).Should().Equal(expected);
        spend.Characters.Should().Be(requests.Sum(r => r.Text.Length));
        fixture.Progress.Usage.TtsCharacters.Should().Be(spend.Characters);
    }

    [Fact]
    public async Task Text_that_needs_several_calls_in_a_format_that_cannot_be_joined_is_a_configuration_error()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Tts.Capabilities = new TtsCapabilities(200, ["alloy"], [AudioFormat.Opus], AcceptsOtherVoices: false, "alloy", AudioFormat.Opus);
        var run = fixture.Run with { Format = AudioFormat.Opus };

        var act = () => new SpeechStep(fixture.Services, fixture.Retry).SpeakAsync(run, 3, FakeLlmProvider.SummaryText(3, "Title", 120), new ChapterSpend(), CancellationToken.None);

        (await act.Should().ThrowAsync<ProviderConfigurationException>()).Which.Message.Should().Contain("chapter 3").And.Contain("cannot be joined");
        fixture.Tts.Calls.Should().Be(0);
    }

    [Fact]
    public async Task One_chunk_failing_for_good_fails_the_text_and_stops_the_others()
    {
        using var fixture = await StepFixture.CreateAsync(o => o.Tts.ChunkCharacters = 200);
        var cancelled = 0;
        fixture.Tts.Behavior = async (_, call, ct) =>
        {
            if (call == 1)
            {
                throw new ProviderException("The speech service refused the text.", isTransient: false);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
        };

        var act = () => new SpeechStep(fixture.Services, fixture.Retry).SpeakAsync(fixture.Run, 1, FakeLlmProvider.SummaryText(1, "Title", 120), new ChapterSpend(), CancellationToken.None);

        await act.Should().ThrowAsync<ProviderException>().WithMessage("The speech service refused the text.");
        cancelled.Should().Be(fixture.Tts.Calls - 1, "every other chunk in flight was cancelled");
    }

    private static byte[] Concat(BookBytes.Pipeline.Audio.JoinedAudio audio)
    {
        using var stream = audio.OpenRead();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
