using BookBytes.Tts;

namespace BookBytes.Abstractions.Tests.Tts;

public class AudioFormatTests
{
    [Theory]
    [InlineData("mp3", AudioFormat.Mp3, "mp3", "audio/mpeg")]
    [InlineData("WAV", AudioFormat.Wav, "wav", "audio/wav")]
    [InlineData(" opus ", AudioFormat.Opus, "opus", "audio/ogg")]
    [InlineData("flac", AudioFormat.Flac, "flac", "audio/flac")]
    [InlineData("aac", AudioFormat.Aac, "aac", "audio/aac")]
    [InlineData("pcm", AudioFormat.Pcm, "pcm", "audio/L16")]
    public void Parses_names_and_maps_extension_and_content_type(string name, AudioFormat format, string extension, string contentType)
    {
        AudioFormatExtensions.TryParse(name, out var parsed).Should().BeTrue();

        parsed.Should().Be(format);
        parsed.GetFileExtension().Should().Be(extension);
        parsed.GetContentType().Should().Be(contentType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ogg")]
    [InlineData("1")]
    [InlineData("99")]
    public void Refuses_unknown_names(string? name)
    {
        AudioFormatExtensions.TryParse(name, out _).Should().BeFalse();
    }
}
