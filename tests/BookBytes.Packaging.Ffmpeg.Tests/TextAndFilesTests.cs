namespace BookBytes.Packaging.Ffmpeg.Tests;

public sealed class TextAndFilesTests
{
    [Theory]
    [InlineData("  Plain  title ", "Plain title")]
    [InlineData("line\nbreak\r\nand\ttab", "line break and tab")]
    [InlineData("\u0000\u0007control\u001b", "control")]
    [InlineData("para\u2029graph\u2028line", "para graph line")]
    [InlineData("trailing backslashes\\\\ \\", "trailing backslashes")]
    [InlineData("inner \\ backslash", "inner \\ backslash")]
    [InlineData("\n\r\t ", "")]
    public void Clean_makes_one_trimmed_line_without_control_characters(string value, string expected)
        => TagText.Clean(value).Should().Be(expected);

    [Fact]
    public void Clean_bounds_the_length_without_splitting_a_surrogate_pair()
    {
        TagText.Clean(new string('x', 10_000)).Should().HaveLength(TagText.MaxLength);
        TagText.Clean(new string('x', 10_000), TagText.MaxTitleLength).Should().HaveLength(200);
        var emoji = string.Concat(Enumerable.Repeat("📖", 300));
        var cut = TagText.Clean(emoji, 201);
        cut.Should().HaveLength(200);
        char.IsHighSurrogate(cut[^1]).Should().BeFalse();
    }

    [Fact]
    public void Escape_puts_a_backslash_before_the_formats_special_characters()
        => FfmpegMetadata.Escape("a=b;c#d\\e\nf").Should().Be("a\\=b\\;c\\#d\\\\e\\\nf");

    [Fact]
    public async Task The_metadata_file_has_the_tags_and_a_section_per_chapter_in_milliseconds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bookbytes-metadata-{Guid.NewGuid():N}.txt");
        try
        {
            var tags = FfmpegMetadata.Tags(new PackageTags { Title = "T=1", Authors = ["A", " ", "B"], Year = 1999, Narrator = "n" }, "eng");

            await FfmpegMetadata.WriteAsync(path, tags, [new("One", 0, 1.2346), new("Two", 1.2346, 2)], CancellationToken.None);

            (await File.ReadAllTextAsync(path)).Should().Be("""
                ;FFMETADATA1
                title=T\=1
                album=T\=1
                artist=A, B
                album_artist=A, B
                date=1999
                genre=Audiobook
                composer=n
                comment=Read by n
                language=eng
                [CHAPTER]
                TIMEBASE=1/1000
                START=0
                END=1235
                title=One
                [CHAPTER]
                TIMEBASE=1/1000
                START=1235
                END=3235
                title=Two

                """.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Concat_paths_are_single_quoted_with_quotes_closed_escaped_and_reopened()
        => ConcatList.Quote("/tmp/it's here/chapter-0001.mp3").Should().Be(@"'/tmp/it'\''s here/chapter-0001.mp3'");

    [Theory]
    [InlineData("en", "eng")]
    [InlineData("de-AT", "ger")]
    [InlineData("pt_BR", "por")]
    [InlineData("FR", "fre")]
    [InlineData("xx", null)]
    [InlineData("", null)]
    public void Languages_map_to_iso_639_2(string language, string? expected) => LanguageCodes.ToIso6392(language).Should().Be(expected);

    [Fact]
    public void Covers_are_told_apart_by_their_first_bytes()
    {
        CoverArt.Extension([0xFF, 0xD8, 0xFF, 0xE0]).Should().Be("jpg");
        CoverArt.Extension([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).Should().Be("png");
        CoverArt.Extension("GIF89a"u8).Should().BeNull();
        CoverArt.Extension([]).Should().BeNull();
    }

    [Fact]
    public void Ffprobes_answer_is_read_and_one_without_audio_is_refused()
    {
        AudioProbe.Parse("""{"streams":[{"codec_name":"mp3","sample_rate":"24000","channels":1}],"format":{"duration":"3.768000"}}""")
            .Should().Be(new AudioProbe("mp3", 24000, 1, 3.768));
        AudioProbe.Parse("""{"streams":[],"format":{"duration":"3.7"}}""").Should().BeNull();
        AudioProbe.Parse("""{"streams":[{"codec_name":"mp3","sample_rate":"24000","channels":1}],"format":{}}""").Should().BeNull();
        AudioProbe.Parse("not json").Should().BeNull();
    }

    [Fact]
    public void Encoders_get_the_chapters_sample_rate_when_they_take_it_else_the_next_above()
    {
        int[] rates = [8000, 16000, 24000, 48000];

        FfmpegAudioPackager.EncoderSampleRate(24000, rates).Should().BeNull();
        FfmpegAudioPackager.EncoderSampleRate(22000, rates).Should().Be(24000);
        FfmpegAudioPackager.EncoderSampleRate(96000, rates).Should().Be(48000);
    }

    [Fact]
    public void The_m4b_arguments_encode_aac_with_chapters_cover_and_faststart()
    {
        var packager = new FfmpegAudioPackager(new FfmpegPackagingOptions { AacBitrate = 48 });

        var arguments = packager.EncodeArguments(PackageFormat.M4b, "/w/chapters.txt", "/w/metadata.txt", "/w/cover.png", new AudioProbe("mp3", 24000, 1, 0), copy: false, "eng", "/t/out.m4b");

        string.Join(' ', arguments).Should().Be(
            "-hide_banner -nostdin -nostats -loglevel error -y -f concat -safe 0 -i /w/chapters.txt -f ffmetadata -i /w/metadata.txt -i /w/cover.png "
            + "-map 0:a:0 -map 2:v:0 -map_metadata 1 -map_chapters 1 -c:a aac -b:a 48k -c:v copy -disposition:v:0 attached_pic "
            + "-metadata:s:a:0 language=eng -movflags +faststart -brand M4B  -f ipod /t/out.m4b");
    }

    [Fact]
    public void The_mp3_arguments_copy_mp3_and_write_id3v2_3_without_id3v1()
    {
        var packager = new FfmpegAudioPackager(new FfmpegPackagingOptions());

        var copied = packager.EncodeArguments(PackageFormat.Mp3, "/w/c.txt", "/w/m.txt", "/w/cover.jpg", new AudioProbe("mp3", 24000, 1, 0), copy: true, "eng", "/t/o.mp3");
        var encoded = packager.EncodeArguments(PackageFormat.Mp3, "/w/c.txt", "/w/m.txt", null, new AudioProbe("pcm_s16le", 23000, 6, 0), copy: false, null, "/t/o.mp3");

        string.Join(' ', copied).Should().Be(
            "-hide_banner -nostdin -nostats -loglevel error -y -f concat -safe 0 -i /w/c.txt -f ffmetadata -i /w/m.txt -i /w/cover.jpg "
            + "-map 0:a:0 -map 2:v:0 -map_metadata 1 -map_chapters 1 -c:a copy -c:v copy -disposition:v:0 attached_pic "
            + "-metadata:s:v:0 title=Album cover -metadata:s:v:0 comment=Cover (front) -id3v2_version 3 -write_id3v1 0 -f mp3 /t/o.mp3");
        string.Join(' ', encoded).Should().Be(
            "-hide_banner -nostdin -nostats -loglevel error -y -f concat -safe 0 -i /w/c.txt -f ffmetadata -i /w/m.txt "
            + "-map 0:a:0 -map_metadata 1 -map_chapters 1 -c:a libmp3lame -b:a 64k -ar 24000 -ac 2 -id3v2_version 3 -write_id3v1 0 -f mp3 /t/o.mp3");
    }
}
