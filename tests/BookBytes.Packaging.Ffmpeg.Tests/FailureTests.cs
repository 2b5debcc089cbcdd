using BookBytes.Tts;

namespace BookBytes.Packaging.Ffmpeg.Tests;

public sealed class FailureTests(AudioSamples samples) : IClassFixture<AudioSamples>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task A_chapter_stream_that_throws_fails_as_transient_and_leaves_nothing(PackageFormat format)
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var broken = new PackageChapter("Broken", AudioFormat.Mp3, _ => Task.FromResult<Stream>(new FailingStream(File.ReadAllBytes(samples.Mp3[1]).AsMemory(0, 5000))));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(format, [AudioSamples.Chapter("Fine", samples.Mp3[0]), broken]));

        var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.ErrorCode.Should().Be("PACKAGING_FAILED");
        thrown.Message.Should().Contain("Chapter 2");
        thrown.InnerException.Should().BeOfType<IOException>();
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task A_chapter_that_cannot_be_opened_fails_as_transient_and_leaves_nothing()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var missing = new PackageChapter("Gone", AudioFormat.Mp3, _ => throw new IOException("The storage is unreachable."));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.Mp3, [missing]));

        (await act.Should().ThrowAsync<PackagingException>()).Which.IsTransient.Should().BeTrue();
        _temp.Entries.Should().BeEmpty();
    }

    [Theory]
    [InlineData(PackageFormat.M4b)]
    [InlineData(PackageFormat.Mp3)]
    public async Task Cancelling_while_ffmpeg_encodes_throws_and_leaves_nothing(PackageFormat format)
    {
        // WAV and MP3 chapters are made alike and then encoded, so both formats spend seconds in ffmpeg.
        var packager = new FfmpegAudioPackager(_temp.Options());
        var chapters = Enumerable.Range(1, 6).Select(i => AudioSamples.Chapter($"Chapter {i}", i % 2 == 0 ? samples.LongMp3 : samples.Wav[0])).ToList();
        using var cancellation = new CancellationTokenSource();

        var packaging = packager.PackageAsync(FfmpegAudioPackagerTests.Request(format, chapters), cancellation.Token);
        await WhenEncodingAsync(packaging);
        cancellation.Cancel();
        var act = () => packaging;

        await act.Should().ThrowAsync<OperationCanceledException>();
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task A_package_that_takes_longer_than_the_timeout_fails_as_transient_and_leaves_nothing()
    {
        var packager = new FfmpegAudioPackager(_temp.Options(o => o.Timeout = TimeSpan.FromMilliseconds(1)));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.M4b, [AudioSamples.Chapter("Long", samples.LongMp3)]));

        var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("BookBytes:Packaging:Timeout");
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task A_chapter_larger_than_MaxChapterBytes_fails_as_permanent()
    {
        var packager = new FfmpegAudioPackager(_temp.Options(o => o.MaxChapterBytes = 10_000));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.Mp3, [AudioSamples.Chapter("Too long", samples.LongMp3)]));

        var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("Chapter 1").And.Contain("BookBytes:Packaging:MaxChapterBytes");
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task More_chapters_than_MaxChapters_fail_as_permanent_before_any_is_read()
    {
        var packager = new FfmpegAudioPackager(_temp.Options(o => o.MaxChapters = 2));
        var opened = 0;
        var chapters = Enumerable.Range(1, 3).Select(i => new PackageChapter($"C{i}", AudioFormat.Mp3, _ =>
        {
            Interlocked.Increment(ref opened);
            return Task.FromResult<Stream>(File.OpenRead(samples.Mp3[0]));
        })).ToList();

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.Mp3, chapters));

        (await act.Should().ThrowAsync<PackagingException>()).Which.Message.Should().Contain("BookBytes:Packaging:MaxChapters");
        opened.Should().Be(0);
    }

    [Fact]
    public async Task A_chapter_that_is_not_audio_fails_as_permanent_with_ffprobes_error()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var text = new PackageChapter("Text", AudioFormat.Mp3, _ => Task.FromResult<Stream>(new MemoryStream("this is not audio at all"u8.ToArray())));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.M4b, [text]));

        var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().StartWith("ffprobe could not read chapter 1: ffprobe exited with code 1: ");
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task An_empty_chapter_fails_as_permanent()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var empty = new PackageChapter("Empty", AudioFormat.Mp3, _ => Task.FromResult<Stream>(new MemoryStream()));

        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.Mp3, [empty]));

        (await act.Should().ThrowAsync<PackagingException>()).Which.IsTransient.Should().BeFalse();
        _temp.Entries.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/nonexistent/ffmpeg", "ffprobe", "ffmpeg")]
    [InlineData("ffmpeg", "/nonexistent/ffprobe", "ffprobe")]
    public async Task A_missing_program_is_not_supported_and_fails_naming_the_debian_package(string ffmpeg, string ffprobe, string missing)
    {
        var packager = new FfmpegAudioPackager(_temp.Options(o =>
        {
            o.FfmpegPath = ffmpeg;
            o.FfprobePath = ffprobe;
        }));

        packager.Supports(PackageFormat.M4b).Should().BeFalse();
        packager.Supports(PackageFormat.Mp3).Should().BeFalse();
        var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.Mp3, [AudioSamples.Chapter("One", samples.Mp3[0])]));

        var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain(missing).And.Contain("apt-get install ffmpeg");
        _temp.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task An_ffmpeg_that_fails_gives_the_end_of_its_error_output_as_permanent()
    {
        var script = Path.Combine(_temp.Path, "..", $"failing-ffmpeg-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(script, """
            #!/bin/sh
            case "$*" in *-encoders*) printf ' ------\n A....D aac                  AAC\n'; exit 0;; esac
            i=0; while [ $i -lt 200 ]; do echo "noise line $i" >&2; i=$((i+1)); done
            echo "the real error at the end" >&2
            exit 1
            """.ReplaceLineEndings("\n"));
        MakeExecutable(script);
        try
        {
            var packager = new FfmpegAudioPackager(_temp.Options(o => o.FfmpegPath = script));

            var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.M4b, [AudioSamples.Chapter("One", samples.Mp3[0])]));

            var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
            thrown.IsTransient.Should().BeFalse();
            thrown.Message.Should().Contain("exited with code 1").And.EndWith("the real error at the end").And.NotContain("noise line 1 ");
            thrown.Message.Should().Contain("noise line 199");
            thrown.Message.Length.Should().BeLessThan(2600, "the last 2 KB of standard error are kept, their lines joined by ' | '");
            _temp.Entries.Should().BeEmpty();
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task An_ffmpeg_stopped_by_a_signal_from_outside_fails_as_transient()
    {
        var script = Path.Combine(_temp.Path, "..", $"killed-ffmpeg-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(script, """
            #!/bin/sh
            case "$*" in *-encoders*) printf ' ------\n A....D aac                  AAC\n'; exit 0;; esac
            kill -KILL $$
            """.ReplaceLineEndings("\n"));
        MakeExecutable(script);
        try
        {
            var packager = new FfmpegAudioPackager(_temp.Options(o => o.FfmpegPath = script));

            var act = () => packager.PackageAsync(FfmpegAudioPackagerTests.Request(PackageFormat.M4b, [AudioSamples.Chapter("One", samples.Mp3[0])]));

            var thrown = (await act.Should().ThrowAsync<PackagingException>()).Which;
            thrown.IsTransient.Should().BeTrue();
            thrown.Message.Should().Contain("code 137");
            _temp.Entries.Should().BeEmpty();
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task A_request_without_chapters_or_of_an_unknown_format_is_an_argument_error()
    {
        var packager = new FfmpegAudioPackager(_temp.Options());
        var tags = new PackageTags { Title = "T" };

        var none = () => packager.PackageAsync(new PackageRequest(PackageFormat.M4b, [], tags));
        var unknown = () => packager.PackageAsync(new PackageRequest((PackageFormat)9, [AudioSamples.Chapter("One", samples.Mp3[0])], tags));
        var nullChapter = () => packager.PackageAsync(new PackageRequest(PackageFormat.Mp3, [null!], tags));

        await none.Should().ThrowAsync<ArgumentException>();
        await unknown.Should().ThrowAsync<ArgumentException>();
        await nullChapter.Should().ThrowAsync<ArgumentException>();
        await ((Func<Task>)(() => packager.PackageAsync(null!))).Should().ThrowAsync<ArgumentNullException>();
        _temp.Entries.Should().BeEmpty();
    }

    private static void MakeExecutable(string script)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Waits until ffmpeg has written into the packaged file: the chapters are copied and measured, and it encodes.</summary>
    private async Task WhenEncodingAsync(Task packaging)
    {
        while (!packaging.IsCompleted)
        {
            if (Directory.EnumerateFiles(_temp.Path, "bookbytes-package-*").Any(f => new FileInfo(f).Length > 0))
            {
                return;
            }

            await Task.Delay(20);
        }

        await packaging;
        throw new InvalidOperationException("The packaging ended before it could be cancelled.");
    }

    /// <summary>Gives some bytes, then fails as a broken connection to storage does.</summary>
    private sealed class FailingStream(ReadOnlyMemory<byte> head) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= head.Length)
            {
                throw new IOException("The connection to storage was reset.");
            }

            var n = Math.Min(count, head.Length - _position);
            head.Span.Slice(_position, n).CopyTo(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
