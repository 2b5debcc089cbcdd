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

        var audio = await SpeakAsync(fixture, fixture.Run, 1, text, spend, CancellationToken.None);

        var requests = fixture.Tts.Requests.ToList();
        requests.Should().HaveCountGreaterThan(1).And.OnlyContain(r => r.Text.Length <= 200 && r.Voice == "alloy" && r.Format == AudioFormat.Mp3);
        requests.Should().OnlyContain(r => text.Contains(r.Text, StringComparison.Ordinal));
        var expected = requests.OrderBy(r => text.IndexOf(r.Text, StringComparison.Ordinal)).SelectMany(r => FakeTtsProvider.AudioFor(r.Text)).ToArray();
        Concat(audio.Audio).Should().Equal(expected);
        audio.Segments.Should().HaveCount(requests.Count);
        audio.Segments.Should().OnlyContain(k => fixture.Storage.Objects.ContainsKey(k.Value), "each chunk is kept as it arrives");
        audio.Segments[0].Value.Should().StartWith($"audiobooks/{fixture.Book.Id:D}/v1/chapter-001/segment-001-").And.EndWith(".mp3");
        spend.Characters.Should().Be(requests.Sum(r => r.Text.Length));
        fixture.Progress.Usage.TtsCharacters.Should().Be(spend.Characters);
    }

    [Fact]
    public async Task Text_that_needs_several_calls_in_a_format_that_cannot_be_joined_is_a_configuration_error()
    {
        using var fixture = await StepFixture.CreateAsync();
        fixture.Tts.Capabilities = new TtsCapabilities(200, ["alloy"], [AudioFormat.Opus], AcceptsOtherVoices: false, "alloy", AudioFormat.Opus);
        var run = fixture.Run with { Format = AudioFormat.Opus };

        var act = () => SpeakAsync(fixture, run, 3, FakeLlmProvider.SummaryText(3, "Title", 120), new ChapterSpend(), CancellationToken.None);

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

        var act = () => SpeakAsync(fixture, fixture.Run, 1, FakeLlmProvider.SummaryText(1, "Title", 120), new ChapterSpend(), CancellationToken.None);

        await act.Should().ThrowAsync<ProviderException>().WithMessage("The speech service refused the text.");
        cancelled.Should().Be(fixture.Tts.Calls - 1, "every other chunk in flight was cancelled");
    }

    [Fact]
    public async Task A_chunk_spoken_before_is_taken_from_its_segment_and_only_missing_chunks_are_bought()
    {
        using var fixture = await StepFixture.CreateAsync(o => o.Tts.ChunkCharacters = 200);
        var text = FakeLlmProvider.SummaryText(1, "Title", 120);
        var first = await SpeakAsync(fixture, fixture.Run, 1, text, new ChapterSpend(), CancellationToken.None);
        var bought = fixture.Tts.Calls;
        fixture.Storage.Objects.TryRemove(first.Segments[1].Value, out _);

        var spend = new ChapterSpend();
        var again = await SpeakAsync(fixture, fixture.Run, 1, text, spend, CancellationToken.None);

        fixture.Tts.Calls.Should().Be(bought + 1, "only the chunk whose segment was gone is spoken again");
        Concat(again.Audio).Should().Equal(Concat(first.Audio));
        spend.Characters.Should().Be(fixture.Tts.Requests.Last().Text.Length);
    }

    [Fact]
    public async Task A_transient_failure_of_one_chunk_is_retried_where_it_happened()
    {
        using var fixture = await StepFixture.CreateAsync(o => o.Tts.ChunkCharacters = 200);
        var text = FakeLlmProvider.SummaryText(1, "Title", 120);
        var failures = 0;
        fixture.Tts.Behavior = (request, _, _) => request.Text == fixture.Tts.Requests.First().Text && Interlocked.Increment(ref failures) <= 2
            ? throw new ProviderException("Rate limited.", isTransient: true) { StatusCode = 429, RetryAfter = TimeSpan.Zero }
            : Task.CompletedTask;

        var spoken = await SpeakAsync(fixture, fixture.Run, 1, text, new ChapterSpend(), CancellationToken.None);

        var distinct = fixture.Tts.Requests.Select(r => r.Text).Distinct().Count();
        fixture.Tts.Calls.Should().Be(distinct + 2, "the failed chunk was asked twice more, the others once");
        spoken.Segments.Should().HaveCount(distinct);
    }

    [Fact]
    public async Task A_truncated_answer_is_refused_and_asked_for_again()
    {
        using var fixture = await StepFixture.CreateAsync();
        var text = FakeLlmProvider.SummaryText(1, "Title", 50);
        var calls = 0;
        var run = fixture.Run with { Tts = new TruncatingTts(fixture.Tts, () => Interlocked.Increment(ref calls) == 1) };

        var spoken = await SpeakAsync(fixture, run, 1, text, new ChapterSpend(), CancellationToken.None);

        calls.Should().Be(2);
        spoken.Audio.DurationSeconds.Should().BeApproximately(text.Length / FakeTtsProvider.CharactersPerSecond, 0.1);
    }

    [Fact]
    public async Task Audio_far_too_short_or_too_long_for_its_text_fails_the_check()
    {
        var check = new SpeechCheck(minCharactersPerSecond: 2, maxCharactersPerSecond: 25);
        var text = new string('a', 300);

        var ok = check.Verify(AudioFormat.Mp3, text, null, FakeTtsProvider.AudioFor(text));
        var half = () => check.Verify(AudioFormat.Mp3, text, null, Mp3.Silence(FakeTtsProvider.FramesFor(300) / 2));
        var long_ = () => check.Verify(AudioFormat.Mp3, text, null, Mp3.Silence(FakeTtsProvider.FramesFor(300) * 10));
        var faster = check.Verify(AudioFormat.Mp3, text, 2f, Mp3.Silence(FakeTtsProvider.FramesFor(300) / 2));
        var garbage = () => check.Verify(AudioFormat.Mp3, text, null, new byte[] { 1, 2, 3 });

        ok.Should().BeApproximately(20, 0.1);
        half.Should().Throw<ProviderException>().Which.IsTransient.Should().BeTrue();
        long_.Should().Throw<ProviderException>().WithMessage("*lasts*");
        faster.Should().BeApproximately(10, 0.1, "at speed 2 half the time is plausible");
        garbage.Should().Throw<ProviderException>().WithMessage("*does not decode*");
        check.Verify(AudioFormat.Opus, text, null, new byte[] { 1 }).Should().BeNull("opus is not decoded here");
    }

    private sealed class TruncatingTts(FakeTtsProvider inner, Func<bool> truncate) : ITtsProvider
    {
        public TtsCapabilities Capabilities => inner.Capabilities;

        public async Task<ReadOnlyMemory<byte>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken = default)
        {
            var audio = await inner.SynthesizeAsync(request, cancellationToken);
            return truncate() ? audio[..(audio.Length / 2 / 417 * 417)] : audio;
        }
    }

    private static async Task<SpokenChapter> SpeakAsync(StepFixture fixture, BookRunContext run, int chapter, string text, ChapterSpend spend, CancellationToken cancellationToken)
    {
        var voice = new SpeechStep(fixture.Services, fixture.TtsCalls, fixture.Check).Begin(run, chapter, spend, cancellationToken);
        await using (voice)
        {
            return await voice.SpeakAsync(text);
        }
    }

    private static byte[] Concat(BookBytes.Pipeline.Audio.JoinedAudio audio)
    {
        using var stream = audio.OpenRead();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
