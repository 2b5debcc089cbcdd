using BookBytes.Books;

namespace BookBytes.Packaging.Ffmpeg.Tests;

public sealed class FfmpegAudioPackagerTests(AudioSamples samples) : IClassFixture<AudioSamples>, IDisposable
{
    private const double Tolerance = 0.050;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Each_input_chapter_becomes_one_chapter_starting_at_the_sum_of_the_preceding_durations(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        string[] titles = ["Opening", "The Middle", "The End"];
        var request = Request(format, titles.Select((t, i) => AudioSamples.Chapter(t, samples.Mp3[i])));

        await using var packaged = await packager.PackageAsync(request);

        var durations = new List<double>();
        foreach (var path in samples.Mp3)
        {
            durations.Add(await MediaProbe.DurationAsync(path));
        }

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        probed.Chapters.Select(c => c.Title).Should().Equal(titles);
        for (var i = 0; i < titles.Length; i++)
        {
            probed.Chapters[i].Start.Should().BeApproximately(durations.Take(i).Sum(), Tolerance, "chapter {0} starts after the ones before it", i + 1);
            probed.Chapters[i].End.Should().BeApproximately(durations.Take(i + 1).Sum(), Tolerance);
        }

        probed.Chapters[^1].End.Should().BeApproximately(probed.Duration, Tolerance, "the last chapter ends where the audio does");
        probed.Duration.Should().BeApproximately(durations.Sum(), Tolerance);
        packaged.DurationSeconds.Should().BeApproximately(probed.Duration, 0.001);
        packaged.Format.Should().Be(format);
        packaged.Chapters.Select(m => m.Title).Should().Equal(titles);
        for (var i = 0; i < titles.Length; i++)
        {
            packaged.Chapters[i].StartSeconds.Should().BeApproximately(probed.Chapters[i].Start, 0.002, "the marks returned are the marks written");
            packaged.Chapters[i].DurationSeconds.Should().BeApproximately(probed.Chapters[i].End - probed.Chapters[i].Start, 0.002);
        }
    }

    [Fact]
    public async Task An_m4b_is_aac_in_an_mp4_audiobook_keeping_the_chapters_sample_rate_and_channels()
    {
        var packager = new FfmpegAudioPackager(_temp.Options(o => o.AacBitrate = 48));

        await using var packaged = await packager.PackageAsync(Request(PackageFormat.M4b, [AudioSamples.Chapter("One", samples.Mp3[0])]));

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        probed.Audio.CodecName.Should().Be("aac");
        probed.Tags["major_brand"].Should().Be("M4B ");
        probed.Audio.Tags["language"].Should().Be("eng");
        (await Tools.RunAsync("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels", "-of", "csv=p=0", Path(packaged)]))
            .Output.Trim().Should().Be("24000,1");
        Path(packaged).Should().EndWith(".m4b").And.StartWith(_temp.Path);
    }

    [Fact]
    public async Task Mp3_chapters_of_one_kind_are_copied_into_the_mp3_as_they_are()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());

        await using var packaged = await packager.PackageAsync(Request(PackageFormat.Mp3, samples.Mp3.Select((p, i) => AudioSamples.Chapter($"Chapter {i + 1}", p))));

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        probed.Audio.CodecName.Should().Be("mp3");
        var inputBytes = samples.Mp3.Sum(p => new FileInfo(p).Length);
        packaged.Length.Should().BeLessThan(inputBytes + 64 * 1024, "the frames are copied, with tags and a Xing frame added, not re-encoded");
        var bytes = await File.ReadAllBytesAsync(Path(packaged));
        bytes.AsSpan(0, 4).ToArray().Should().Equal([(byte)'I', (byte)'D', (byte)'3', (byte)3], "an ID3v2.3 tag comes first");
        bytes.AsSpan(bytes.Length - 128, 3).ToArray().Should().NotEqual("TAG"u8.ToArray(), "no ID3v1 tag is written");
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Wav_chapters_are_encoded_and_chaptered(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());

        await using var packaged = await packager.PackageAsync(Request(format, samples.Wav.Select((p, i) => AudioSamples.Chapter($"Part {i + 1}", p))));

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        probed.Audio.CodecName.Should().Be(format == PackageFormat.M4b ? "aac" : "mp3");
        probed.Chapters.Select(c => c.Title).Should().Equal("Part 1", "Part 2");
        probed.Chapters[1].Start.Should().BeApproximately(await MediaProbe.DurationAsync(samples.Wav[0]), Tolerance);
        probed.Duration.Should().BeApproximately(2.5 + 1.5, 0.1);
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Chapters_of_different_kinds_are_joined(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());

        await using var packaged = await packager.PackageAsync(Request(format,
            [AudioSamples.Chapter("Spoken", samples.Mp3[0]), AudioSamples.Chapter("Recorded", samples.Wav[0]), AudioSamples.Chapter("Spoken again", samples.Mp3[1])]));

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        var durations = new[] { await MediaProbe.DurationAsync(samples.Mp3[0]), await MediaProbe.DurationAsync(samples.Wav[0]), await MediaProbe.DurationAsync(samples.Mp3[1]) };
        probed.Chapters.Select(c => c.Title).Should().Equal("Spoken", "Recorded", "Spoken again");
        probed.Chapters[1].Start.Should().BeApproximately(durations[0], Tolerance);
        probed.Chapters[2].Start.Should().BeApproximately(durations[0] + durations[1], Tolerance);
        probed.Chapters[2].End.Should().BeApproximately(durations.Sum(), Tolerance);

        // An MP3 LAME encodes counts its encoder delay and padding (1,105 samples and up to a frame: about 70 ms at 24 kHz) in its duration.
        probed.Duration.Should().BeApproximately(durations.Sum(), format == PackageFormat.Mp3 ? 0.1 : Tolerance);
        _temp.Entries.Should().ContainSingle("only the packaged file is left");
    }

    [Theory]
    [InlineData(PackageFormat.M4b, "png")]
    [InlineData(PackageFormat.M4b, "jpeg")]
    [InlineData(PackageFormat.Mp3, "png")]
    [InlineData(PackageFormat.Mp3, "jpeg")]
    public async Task The_cover_is_an_attached_picture(PackageFormat format, string kind)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var cover = kind == "png" ? samples.PngCover : samples.JpegCover;

        await using var packaged = await packager.PackageAsync(Request(format, [AudioSamples.Chapter("One", samples.Mp3[0])]) with { Cover = cover });

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        var picture = probed.Streams.Single(s => s.CodecType == "video");
        picture.AttachedPicture.Should().BeTrue();
        picture.CodecName.Should().Be(kind == "png" ? "png" : "mjpeg");
        if (format == PackageFormat.Mp3)
        {
            picture.Tags["title"].Should().Be("Album cover");
            picture.Tags["comment"].Should().Be("Cover (front)", "an APIC frame of the front cover type");
        }
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task A_cover_that_is_not_a_jpeg_or_png_is_left_out(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var notAnImage = new CoverImage("<html>not an image</html>"u8.ToArray(), "image/png");

        await using var packaged = await packager.PackageAsync(Request(format, [AudioSamples.Chapter("One", samples.Mp3[0])]) with { Cover = notAnImage });

        (await MediaProbe.ReadAsync(Path(packaged))).Streams.Should().NotContain(s => s.CodecType == "video");
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task The_tags_are_written(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var tags = new PackageTags
        {
            Title = "The Voyage Out",
            Authors = ["Virginia Woolf", "A. N. Other"],
            Year = 1915,
            Narrator = "flite.slt",
            Publisher = "Duckworth",
            Description = "A first novel.",
            Language = "en",
        };

        await using var packaged = await packager.PackageAsync(new PackageRequest(format, [AudioSamples.Chapter("One", samples.Mp3[0])], tags));

        var read = (await MediaProbe.ReadAsync(Path(packaged))).Tags;
        read["title"].Should().Be("The Voyage Out");
        read["album"].Should().Be("The Voyage Out");
        read["artist"].Should().Be("Virginia Woolf, A. N. Other");
        read["album_artist"].Should().Be("Virginia Woolf, A. N. Other");
        read["date"].Should().Be("1915");
        read["genre"].Should().Be("Audiobook");
        read["composer"].Should().Be("flite.slt");
        read["comment"].Should().Be("Read by flite.slt. A first novel.");
        if (format == PackageFormat.Mp3)
        {
            read["publisher"].Should().Be("Duckworth");
            read["language"].Should().Be("eng");
        }
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Unicode_titles_survive(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        string[] titles = ["Über die Größe — Kapitel 1", "第二章 东方", "📖 Глава третья"];
        var request = new PackageRequest(format, titles.Select((t, i) => AudioSamples.Chapter(t, samples.Mp3[i])).ToList(), new PackageTags { Title = "Ænéid — 伝説", Authors = ["Þórr Ødegård"] });

        await using var packaged = await packager.PackageAsync(request);

        var probed = await MediaProbe.ReadAsync(Path(packaged));
        probed.Chapters.Select(c => c.Title).Should().Equal(titles);
        probed.Tags["title"].Should().Be("Ænéid — 伝説");
        probed.Tags["artist"].Should().Be("Þórr Ødegård");
    }

    [Fact]
    public void Supports_both_formats_with_the_machines_ffmpeg()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());

        packager.Supports(PackageFormat.M4b).Should().BeTrue();
        packager.Supports(PackageFormat.Mp3).Should().BeTrue();
        packager.Supports((PackageFormat)7).Should().BeFalse();
    }

    [Fact]
    public async Task Disposing_the_result_deletes_the_file_and_nothing_else_is_left()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var packaged = await packager.PackageAsync(Request(PackageFormat.Mp3, [AudioSamples.Chapter("One", samples.Mp3[0])]));
        var path = Path(packaged);
        _temp.Entries.Should().Equal(path);

        await packaged.DisposeAsync();

        File.Exists(path).Should().BeFalse();
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task Calls_at_the_same_time_do_not_share_work_files()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            packager.PackageAsync(Request(i % 2 == 0 ? PackageFormat.M4b : PackageFormat.Mp3, [AudioSamples.Chapter($"Only {i}", samples.Mp3[i % 3])]))));

        try
        {
            results.Select(Path).Should().OnlyHaveUniqueItems();
            for (var i = 0; i < results.Length; i++)
            {
                (await MediaProbe.ReadAsync(Path(results[i]))).Chapters.Single().Title.Should().Be($"Only {i}");
            }

            _temp.Entries.Should().HaveCount(4);
        }
        finally
        {
            foreach (var result in results)
            {
                await result.DisposeAsync();
            }
        }
    }

    internal static PackageRequest Request(PackageFormat format, IEnumerable<PackageChapter> chapters)
        => new(format, chapters.ToList(), new PackageTags { Title = "A Test Book", Authors = ["Ann Author"], Year = 2024, Narrator = "flite.slt" });

    /// <summary>The packaged file's path: the file the result opens.</summary>
    internal static string Path(PackagedAudio packaged)
    {
        using var stream = (FileStream)packaged.OpenRead();
        return stream.Name;
    }
}
