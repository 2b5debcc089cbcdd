using BookBytes.Pipeline.Storage;

namespace BookBytes.Pipeline.Tests.Storage;

public class AudioBookStorageLayoutTests
{
    [Fact]
    public void Chapter_audio_key_follows_the_documented_layout()
    {
        var id = Guid.Parse("0190f1d2-1c5b-7d0e-9a6f-3b2c1d0e9f8a");

        var key = AudioBookStorageLayout.ChapterAudio(id, 2, 7, "mp3");

        key.Value.Should().Be("audiobooks/0190f1d2-1c5b-7d0e-9a6f-3b2c1d0e9f8a/v2/chapter-007.mp3");
        key.Value.Should().StartWith(AudioBookStorageLayout.VersionPrefix(id, 2));
    }
}
