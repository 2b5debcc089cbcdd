namespace BookBytes.Packaging.Ffmpeg.Tests;

public sealed class HostileTagTests(AudioSamples samples) : IClassFixture<AudioSamples>, IDisposable
{
    private const string Injection = "Evil\ntitle=Injected\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1\ntitle=Fake chapter\n;comment\n#comment";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Hostile_tag_values_are_cleaned_bounded_and_add_no_tag_or_chapter(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var tags = new PackageTags
        {
            Title = Injection,
            Authors = ["A=B;C#D\\E", "ends in a backslash\\", "\u0001\u0007bell\u001b[31m"],
            Year = 2001,
            Narrator = "voice\\\nartist=Injected narrator",
            Description = new string('d', 10_000),
            Genre = "Genre\r\ngenre=Injected",
            Publisher = "Pub\\",
            Language = "en\nlanguage=xx",
        };
        string[] titles = ["One\\", "Two\n[CHAPTER]\nSTART=0\nEND=5\ntitle=Fake", new string('t', 10_000)];
        var request = new PackageRequest(format, titles.Select((t, i) => AudioSamples.Chapter(t, samples.Mp3[i])).ToList(), tags);

        await using var packaged = await packager.PackageAsync(request);

        var probed = await MediaProbe.ReadAsync(FfmpegAudioPackagerTests.Path(packaged));
        probed.Chapters.Should().HaveCount(3, "no value adds a chapter");
        probed.Chapters.Select(c => c.Title).Should().Equal("One", "Two [CHAPTER] START=0 END=5 title=Fake", new string('t', 200));
        packaged.Chapters.Select(c => c.Title).Should().Equal(probed.Chapters.Select(c => c.Title));
        var read = probed.Tags;
        read["title"].Should().Be("Evil title=Injected [CHAPTER] TIMEBASE=1/1000 START=0 END=1 title=Fake chapter ;comment #comment");
        read["artist"].Should().Be("A=B;C#D\\E, ends in a backslash, bell [31m");
        read["composer"].Should().Be("voice\\ artist=Injected narrator");
        read["genre"].Should().Be("Genre genre=Injected");
        read["date"].Should().Be("2001");
        read["comment"].Length.Should().BeLessThanOrEqualTo(500);
        read["comment"].Should().StartWith("Read by voice\\ artist=Injected narrator. ddd");
        read.Values.Should().OnlyContain(v => !v.Contains('\n') && !v.Contains('\r') && !v.Any(char.IsControl));
        read.Values.Should().NotContain(v => v == "Injected" || v == "Injected narrator" || v == "xx");
        read.Keys.Should().BeSubsetOf(
            ["title", "album", "artist", "album_artist", "date", "genre", "composer", "comment", "description", "publisher", "language", "encoder",
             "major_brand", "minor_version", "compatible_brands"]);
        if (format == PackageFormat.Mp3)
        {
            read["publisher"].Should().Be("Pub");
            read.Should().NotContainKey("language", "'en\\nlanguage=xx' is no known language");
        }
    }
}
