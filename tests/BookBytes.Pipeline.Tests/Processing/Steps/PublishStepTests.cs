using BookBytes.AudioBooks;
using BookBytes.Pipeline.Audio;
using BookBytes.Pipeline.Processing.Steps;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Tests.Processing.Steps;

public class PublishStepTests
{
    [Fact]
    public async Task Audio_is_stored_under_the_versions_layout_and_the_chapter_recorded_completed()
    {
        using var fixture = await StepFixture.CreateAsync();
        var audio = AudioJoiner.Join(AudioFormat.Mp3, [Mp3.Silence(40, 1)]);

        var segment = BookBytes.Storage.StorageKey.Parse($"audiobooks/{fixture.Book.Id:D}/v1/chapter-003/segment-001-00000000.mp3");
        fixture.Storage.Objects[segment.Value] = ([1], "audio/mpeg");

        var chapter = await new PublishStep(fixture.Services).PublishAsync(fixture.Run, fixture.Chapter(3, "Text."), new SpokenChapter(audio, [segment], [new BookBytes.Pipeline.Transcripts.TimedText("Text.", audio.DurationSeconds ?? 0)], BookBytes.Pipeline.Storage.AudioBookStorageLayout.ChapterSegments(fixture.Book.Id, 1, 3)), characters: 5, CancellationToken.None);

        var key = $"audiobooks/{fixture.Book.Id:D}/v1/chapter-003.mp3";
        chapter.Status.Should().Be(ChapterStatus.Completed);
        chapter.AudioKey.Should().Be(key);
        chapter.AudioSizeBytes.Should().Be(audio.Length);
        chapter.DurationSeconds.Should().BeApproximately(audio.DurationSeconds!.Value, 1e-9);
        chapter.Usage.TtsCharacters.Should().Be(5);
        fixture.Storage.Objects[key].ContentType.Should().Be("audio/mpeg");
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Single().Should().Be(chapter);
        fixture.Storage.Objects.Should().NotContainKey(segment.Value, "a stored chapter's segments are not needed any more");
    }

    [Fact]
    public async Task Audio_an_earlier_attempt_stored_is_found_and_recorded_without_speech()
    {
        using var fixture = await StepFixture.CreateAsync();
        var step = new PublishStep(fixture.Services);
        var stored = Mp3.Silence(20, 2);
        fixture.Storage.Objects[$"audiobooks/{fixture.Book.Id:D}/v1/chapter-001.mp3"] = (stored, "audio/mpeg");

        var chapter = await step.FindStoredAsync(fixture.Run, fixture.Chapter(1, "Text."), CancellationToken.None);

        chapter!.Status.Should().Be(ChapterStatus.Completed);
        chapter.AudioSizeBytes.Should().Be(stored.Length);
        chapter.DurationSeconds.Should().BeGreaterThan(0);
        chapter.Usage.TtsCharacters.Should().Be(0, "nothing was spoken for it in this attempt");
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Single().Status.Should().Be(ChapterStatus.Completed);
    }

    [Fact]
    public async Task Audio_not_stored_yet_is_not_found()
    {
        using var fixture = await StepFixture.CreateAsync();

        var chapter = await new PublishStep(fixture.Services).FindStoredAsync(fixture.Run, fixture.Chapter(1, "Text."), CancellationToken.None);

        chapter.Should().BeNull();
        (await fixture.Store.GetChaptersAsync(fixture.Book.Id, 1)).Should().BeEmpty();
    }
}
