using System.Diagnostics;
using System.Globalization;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>
/// Makes one chaptered audiobook file with the machine's ffmpeg: an M4B (AAC, MP4 chapters, iTunes tags, cover art) or
/// an MP3 (ID3v2.3 tags, <c>CHAP</c>/<c>CTOC</c> chapter frames, <c>APIC</c> cover). Everything happens on disk, in a
/// private work folder of its own, so memory stays flat whatever the book's length.
/// </summary>
/// <remarks>
/// <para>
/// A call copies each chapter's stream to a numbered work file (names never come from the request), measures it with
/// ffprobe, writes an <c>;FFMETADATA1</c> file with the tags and one chapter mark per chapter (a chapter starts at the
/// sum of the preceding chapters' durations) and a list for ffmpeg's concat demuxer, and runs ffmpeg once over them.
/// MP3 chapters of one sample rate and channel count are copied into an MP3 as they are; anything else is encoded
/// (<c>aac</c> for M4B at <see cref="FfmpegPackagingOptions.AacBitrate"/>, <c>libmp3lame</c> for MP3 at
/// <see cref="FfmpegPackagingOptions.Mp3Bitrate"/>), keeping the chapters' sample rate and channels. Chapters of
/// different kinds (an MP3 and a WAV, or two sample rates) are first made alike as FLAC, losslessly.
/// </para>
/// <para>
/// Tag values and chapter titles are untrusted: control characters and line breaks become spaces, values are trimmed
/// and bounded (titles to 200 characters, others to 500) and escaped, so no value adds a tag or a chapter. A cover is
/// written when its first bytes are a JPEG's or a PNG's and it is at most 10 MiB; any other cover is left out (logged).
/// </para>
/// <para>
/// The work folder is deleted when the call ends, however it ends; the finished file is written beside it (in
/// <see cref="FfmpegPackagingOptions.TempDirectory"/>) and handed over in the <see cref="PackagedAudio"/>, deleted instead
/// when the call fails or is cancelled. On cancellation or time-out ffmpeg is asked to stop and its process tree killed
/// after five seconds.
/// </para>
/// <para>Thread-safe: calls share nothing but the programs found, which are looked for once, at the first call.</para>
/// </remarks>
public sealed class FfmpegAudioPackager : IAudioPackager
{
    private const int CopyBufferBytes = 81_920;
    private const int MaxFfmpegOutputBytes = 64 << 10;

    private static readonly int[] AacSampleRates = [7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000];
    private static readonly int[] Mp3SampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    private readonly Lazy<FfmpegTools> _tools;
    private readonly int _aacBitrate;
    private readonly int _mp3Bitrate;
    private readonly TimeSpan _timeout;
    private readonly int _maxChapters;
    private readonly long _maxChapterBytes;
    private readonly string? _tempDirectory;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance; the programs are looked for at the first call.</summary>
    /// <param name="options">The programs, bit rates and limits; read once, here.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bit rate, the time-out or a limit is not positive.</exception>
    public FfmpegAudioPackager(FfmpegPackagingOptions options, ILogger<FfmpegAudioPackager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.AacBitrate, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Mp3Bitrate, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxChapters, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxChapterBytes, nameof(options));
        _aacBitrate = options.AacBitrate;
        _mp3Bitrate = options.Mp3Bitrate;
        _timeout = options.Timeout;
        _maxChapters = options.MaxChapters;
        _maxChapterBytes = options.MaxChapterBytes;
        _tempDirectory = string.IsNullOrWhiteSpace(options.TempDirectory) ? null : options.TempDirectory;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var programs = new FfmpegPackagingOptions { FfmpegPath = options.FfmpegPath, FfprobePath = options.FfprobePath };
        _tools = new Lazy<FfmpegTools>(() => Discover(programs), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Tells whether <paramref name="format"/> can be made here: ffprobe and ffmpeg are found, and for M4B ffmpeg has its
    /// <c>aac</c> encoder. MP3 needs no encoder when every chapter is MP3 of one sample rate and channel count (it is
    /// copied); other chapters need <c>libmp3lame</c>, which Debian's ffmpeg has.
    /// </summary>
    /// <param name="format">The format.</param>
    /// <returns><see langword="true"/> when <see cref="PackageAsync"/> can make it.</returns>
    /// <remarks>The programs are looked for once, at the first call of this method or of <see cref="PackageAsync"/>; thread-safe.</remarks>
    public bool Supports(PackageFormat format)
    {
        var tools = _tools.Value;
        return tools.Ffprobe is not null && format switch
        {
            PackageFormat.M4b => tools.Has(FfmpegTools.AacEncoder),
            PackageFormat.Mp3 => tools.Ffmpeg is not null,
            _ => false,
        };
    }

    /// <summary>Makes the file; see the remarks of the class for how.</summary>
    /// <param name="request">The chapters (at most <see cref="FfmpegPackagingOptions.MaxChapters"/>), tags and cover.</param>
    /// <param name="cancellationToken">A token that cancels the work and stops ffmpeg; nothing is left behind.</param>
    /// <returns>The file, in <see cref="FfmpegPackagingOptions.TempDirectory"/>, which the caller disposes to delete it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request has no chapters, a <see langword="null"/> chapter or tags, or a format that is not defined.</exception>
    /// <exception cref="PackagingException">
    /// Not transient: ffmpeg or ffprobe is missing (the message names <c>apt-get install ffmpeg</c>) or lacks the encoder;
    /// the request has too many chapters, or a chapter is empty, larger than <see cref="FfmpegPackagingOptions.MaxChapterBytes"/>
    /// or not audio; ffmpeg exited with an error (the message ends with what it wrote to standard error). Transient: a
    /// chapter's stream failed with an <see cref="IOException"/>, ffmpeg was stopped by a signal from outside, or the call
    /// took longer than <see cref="FfmpegPackagingOptions.Timeout"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PackagedAudio> PackageAsync(PackageRequest request, CancellationToken cancellationToken = default)
    {
        Check(request);
        if (request.Chapters.Count > _maxChapters)
        {
            throw new PackagingException(
                string.Create(CultureInfo.InvariantCulture, $"The book has {request.Chapters.Count} chapters; at most {_maxChapters} are packaged ({FfmpegPackagingOptions.SectionName}:MaxChapters)."),
                isTransient: false);
        }

        var tools = _tools.Value;
        var ffmpeg = tools.Ffmpeg ?? throw FfmpegProgram.Missing("ffmpeg", null, null);
        var ffprobe = tools.Ffprobe ?? throw FfmpegProgram.Missing("ffprobe", null, null);
        if (request.Format == PackageFormat.M4b && !tools.Has(FfmpegTools.AacEncoder))
        {
            throw new PackagingException($"The ffmpeg at {ffmpeg.Path} has no AAC encoder (aac), which M4B needs ({FfmpegProgram.Install}).", isTransient: false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        FfmpegPackagingLog.Packaging(_logger, request.Chapters.Count, request.Format);
        var started = Stopwatch.GetTimestamp();
        var root = Path.GetFullPath(_tempDirectory ?? Path.GetTempPath());
        var id = Guid.NewGuid().ToString("N");
        var work = Path.Combine(root, "bookbytes-packaging-" + id);
        var output = Path.Combine(root, $"bookbytes-package-{id}.{request.Format.GetFileExtension()}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var finished = false;
        try
        {
            CreatePrivateDirectory(work);
            var (marks, copied) = await MakeAsync(request, tools, ffmpeg, ffprobe, work, output, deadline.Token).ConfigureAwait(false);
            var seconds = await AudioProbe.DurationAsync(ffprobe, output, deadline.Token).ConfigureAwait(false);
            var packaged = new PackagedAudio(output, request.Format, marks, seconds);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                FfmpegPackagingLog.Packaged(_logger, marks.Count, request.Format, seconds, packaged.Length, copied, elapsed);
            }

            finished = true;
            return packaged;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Packaging took longer than {_timeout} ({FfmpegPackagingOptions.SectionName}:Timeout); ffmpeg was stopped.");
            FfmpegPackagingLog.Failed(_logger, request.Format, true, message);
            throw new PackagingException(message, isTransient: true, ex);
        }
        catch (PackagingException ex)
        {
            FfmpegPackagingLog.Failed(_logger, request.Format, ex.IsTransient, ex.Message);
            throw;
        }
        catch (IOException ex)
        {
            // The work folder's own files: a full disk may have room later.
            var message = $"A work file in {root} could not be written: {ex.Message}";
            FfmpegPackagingLog.Failed(_logger, request.Format, true, message);
            throw new PackagingException(message, isTransient: true, ex);
        }
        finally
        {
            Delete(work, directory: true);
            if (!finished)
            {
                Delete(output, directory: false);
            }
        }
    }

    /// <summary>The arguments of ffmpeg's one run that makes the file from the work files.</summary>
    /// <param name="format">The file to make.</param>
    /// <param name="concatList">The concat demuxer's list of chapter files.</param>
    /// <param name="metadata">The <c>;FFMETADATA1</c> file.</param>
    /// <param name="cover">The cover image file, or <see langword="null"/>.</param>
    /// <param name="audio">The joined chapters' codec, sample rate and channels.</param>
    /// <param name="copy">Whether the audio is copied as it is (MP3 only).</param>
    /// <param name="language">The ISO 639-2 code of the audio stream, or <see langword="null"/>.</param>
    /// <param name="output">The file to write.</param>
    internal IReadOnlyList<string> EncodeArguments(
        PackageFormat format, string concatList, string metadata, string? cover, AudioProbe audio, bool copy, string? language, string output)
    {
        var arguments = new List<string>
        {
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", concatList,
            "-f", "ffmetadata", "-i", metadata,
        };
        if (cover is not null)
        {
            arguments.AddRange(["-i", cover]);
        }

        arguments.AddRange(["-map", "0:a:0"]);
        if (cover is not null)
        {
            arguments.AddRange(["-map", "2:v:0"]);
        }

        arguments.AddRange(["-map_metadata", "1", "-map_chapters", "1"]);
        if (copy)
        {
            arguments.AddRange(["-c:a", "copy"]);
        }
        else
        {
            var m4b = format == PackageFormat.M4b;
            var bitrate = m4b ? _aacBitrate : _mp3Bitrate;
            arguments.AddRange(["-c:a", m4b ? FfmpegTools.AacEncoder : FfmpegTools.Mp3Encoder, "-b:a", string.Create(CultureInfo.InvariantCulture, $"{bitrate}k")]);
            if (EncoderSampleRate(audio.SampleRate, m4b ? AacSampleRates : Mp3SampleRates) is { } rate)
            {
                arguments.AddRange(["-ar", rate.ToString(CultureInfo.InvariantCulture)]);
            }

            if (audio.Channels > 2)
            {
                arguments.AddRange(["-ac", "2"]);
            }
        }

        if (cover is not null)
        {
            arguments.AddRange(["-c:v", "copy", "-disposition:v:0", "attached_pic"]);
        }

        if (format == PackageFormat.M4b)
        {
            if (language is not null)
            {
                arguments.AddRange(["-metadata:s:a:0", "language=" + language]);
            }

            // The ipod muxer writes the iTunes tags and cover players read; the brand tells them it is an audiobook.
            arguments.AddRange(["-movflags", "+faststart", "-brand", "M4B ", "-f", "ipod", output]);
        }
        else
        {
            if (cover is not null)
            {
                arguments.AddRange(["-metadata:s:v:0", "title=Album cover", "-metadata:s:v:0", "comment=Cover (front)"]);
            }

            arguments.AddRange(["-id3v2_version", "3", "-write_id3v1", "0", "-f", "mp3", output]);
        }

        return arguments;
    }

    /// <summary>The sample rate to ask the encoder for: <see langword="null"/> to keep the chapters' own, else the nearest it takes above it.</summary>
    internal static int? EncoderSampleRate(int sampleRate, int[] supported)
        => supported.Contains(sampleRate) ? null : supported.FirstOrDefault(r => r > sampleRate) is var above and > 0 ? above : supported[^1];

    private static void Check(PackageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Format))
        {
            throw new ArgumentException($"The packager makes M4B or MP3, not format {(int)request.Format}.", nameof(request));
        }

        if (request.Chapters is null || request.Chapters.Count == 0)
        {
            throw new ArgumentException("The request has no chapters; a package needs at least one.", nameof(request));
        }

        if (request.Tags is null)
        {
            throw new ArgumentException("The request has no tags.", nameof(request));
        }

        for (var i = 0; i < request.Chapters.Count; i++)
        {
            if (request.Chapters[i] is not { OpenAsync: not null } chapter || !Enum.IsDefined(chapter.Format))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Chapter {i + 1} is null, has no stream to open or has an unknown audio format."), nameof(request));
            }
        }
    }

    private async Task<(IReadOnlyList<PackageChapterMark> Marks, bool Copied)> MakeAsync(
        PackageRequest request, FfmpegTools tools, FfmpegProgram ffmpeg, FfmpegProgram ffprobe, string work, string output, CancellationToken cancellationToken)
    {
        var count = request.Chapters.Count;
        var files = new string[count];
        var probes = new AudioProbe[count];

        // One copy buffer for the whole book: what a call allocates does not grow with its chapters.
        var buffer = new byte[CopyBufferBytes];
        for (var i = 0; i < count; i++)
        {
            var chapter = request.Chapters[i];
            var number = i + 1;
            files[i] = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"chapter-{number:D4}.{chapter.Format.GetFileExtension()}"));
            await CopyChapterAsync(chapter, number, files[i], buffer, cancellationToken).ConfigureAwait(false);
            if (chapter.Format == AudioFormat.Pcm)
            {
                // Raw PCM has no header to probe or join by: it becomes FLAC (lossless) at once.
                files[i] = await ToFlacAsync(tools, ffmpeg, files[i], ["-f", "s16le", "-ar", "24000", "-ac", "1"], null, cancellationToken).ConfigureAwait(false);
            }

            probes[i] = await AudioProbe.ProbeAsync(ffprobe, files[i], string.Create(CultureInfo.InvariantCulture, $"chapter {number}"), cancellationToken).ConfigureAwait(false);
        }

        var audio = probes[0];
        if (!probes.All(p => p.Matches(audio)))
        {
            // The concat demuxer keeps the first file's decoder: chapters of other kinds would be misread. FLAC keeps every sample.
            audio = new AudioProbe(FfmpegTools.FlacEncoder, probes.Max(p => p.SampleRate), probes.Max(p => p.Channels), 0);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var kinds = probes.Select(p => (p.Codec, p.SampleRate, p.Channels)).Distinct().Count();
                FfmpegPackagingLog.MakingAlike(_logger, kinds, audio.SampleRate, audio.Channels);
            }

            for (var i = 0; i < count; i++)
            {
                // One sample format too: FLAC made from MP3 would be 32-bit and from 16-bit WAV 16-bit, and the decoder cannot switch.
                string[] alike = ["-ar", audio.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", audio.Channels.ToString(CultureInfo.InvariantCulture), "-sample_fmt", "s16"];
                files[i] = await ToFlacAsync(tools, ffmpeg, files[i], [], alike, cancellationToken).ConfigureAwait(false);
                probes[i] = await AudioProbe.ProbeAsync(ffprobe, files[i], string.Create(CultureInfo.InvariantCulture, $"chapter {i + 1}"), cancellationToken).ConfigureAwait(false);
            }
        }

        var copy = request.Format == PackageFormat.Mp3 && audio.Codec == "mp3";
        if (request.Format == PackageFormat.Mp3 && !copy && !tools.Has(FfmpegTools.Mp3Encoder))
        {
            throw new PackagingException(
                $"The chapters are not all MP3 of one sample rate and channel count, so they must be encoded, and the ffmpeg at {ffmpeg.Path} has no MP3 encoder (libmp3lame; Debian's ffmpeg has it).",
                isTransient: false);
        }

        var marks = new PackageChapterMark[count];
        var start = 0.0;
        for (var i = 0; i < count; i++)
        {
            var title = TagText.Clean(request.Chapters[i].Title, TagText.MaxTitleLength);
            marks[i] = new PackageChapterMark(title.Length > 0 ? title : string.Create(CultureInfo.InvariantCulture, $"Chapter {i + 1}"), start, probes[i].Seconds);
            start += probes[i].Seconds;
        }

        var cover = await WriteCoverAsync(request.Cover, work, cancellationToken).ConfigureAwait(false);
        var language = LanguageCodes.ToIso6392(request.Tags.Language);
        var metadata = Path.Combine(work, "metadata.txt");
        await FfmpegMetadata.WriteAsync(metadata, FfmpegMetadata.Tags(request.Tags, language), marks, cancellationToken).ConfigureAwait(false);
        var list = Path.Combine(work, "chapters.txt");
        await ConcatList.WriteAsync(list, files, cancellationToken).ConfigureAwait(false);
        CreatePrivateFile(output);
        await ffmpeg.RunAsync(EncodeArguments(request.Format, list, metadata, cover, audio, copy, language, output), MaxFfmpegOutputBytes, cancellationToken).ConfigureAwait(false);
        return (marks, copy);
    }

    private async Task CopyChapterAsync(PackageChapter chapter, int number, string file, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var source = await chapter.OpenAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new PackagingException(string.Create(CultureInfo.InvariantCulture, $"Chapter {number}'s audio could not be opened: no stream."), isTransient: false);
            await using (source.ConfigureAwait(false))
            {
                // Unbuffered (bufferSize 0): the copy writes whole buffers already.
                var target = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
                await using (target.ConfigureAwait(false))
                {
                    long total = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > _maxChapterBytes)
                        {
                            throw new PackagingException(
                                string.Create(CultureInfo.InvariantCulture, $"Chapter {number} is larger than {_maxChapterBytes} bytes ({FfmpegPackagingOptions.SectionName}:MaxChapterBytes)."),
                                isTransient: false);
                        }

                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }

                    if (total == 0)
                    {
                        throw new PackagingException(string.Create(CultureInfo.InvariantCulture, $"Chapter {number} has no audio: its stream is empty."), isTransient: false);
                    }
                }
            }
        }
        catch (IOException ex)
        {
            throw new PackagingException(string.Create(CultureInfo.InvariantCulture, $"Chapter {number}'s audio could not be read or stored: {ex.Message}"), isTransient: true, ex);
        }
        catch (BookBytesException ex) when (ex is not PackagingException)
        {
            // A storage failure keeps its own verdict on retrying.
            throw new PackagingException(string.Create(CultureInfo.InvariantCulture, $"Chapter {number}'s audio could not be read: {ex.Message}"), ex.IsTransient, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PackagingException(string.Create(CultureInfo.InvariantCulture, $"Reading chapter {number}'s audio was cancelled by its source."), isTransient: true, ex);
        }
    }

    private static async Task<string> ToFlacAsync(
        FfmpegTools tools, FfmpegProgram ffmpeg, string file, string[] inputOptions, string[]? outputOptions, CancellationToken cancellationToken)
    {
        if (!tools.Has(FfmpegTools.FlacEncoder))
        {
            throw new PackagingException($"The ffmpeg at {ffmpeg.Path} has no FLAC encoder (flac), which chapters of different kinds need.", isTransient: false);
        }

        var flac = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + ".alike.flac");
        List<string> arguments = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y", .. inputOptions, "-i", file, "-map", "0:a:0", .. outputOptions ?? [], "-c:a", "flac", "-compression_level", "1", "-f", "flac", flac];
        await ffmpeg.RunAsync(arguments, MaxFfmpegOutputBytes, cancellationToken).ConfigureAwait(false);
        File.Delete(file);
        return flac;
    }

    private async Task<string?> WriteCoverAsync(BookBytes.Books.CoverImage? cover, string work, CancellationToken cancellationToken)
    {
        if (cover is null)
        {
            return null;
        }

        if (cover.Data.Length > CoverArt.MaxBytes)
        {
            FfmpegPackagingLog.CoverTooLarge(_logger, cover.Data.Length, CoverArt.MaxBytes);
            return null;
        }

        if (CoverArt.Extension(cover.Data.Span) is not { } extension)
        {
            FfmpegPackagingLog.CoverIgnored(_logger, "it is neither a JPEG nor a PNG image");
            return null;
        }

        var path = Path.Combine(work, "cover." + extension);
        await File.WriteAllBytesAsync(path, cover.Data, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private FfmpegTools Discover(FfmpegPackagingOptions programs)
    {
        var tools = FfmpegTools.Discover(programs);
        if (tools.Ffmpeg is null)
        {
            FfmpegPackagingLog.ToolMissing(_logger, "ffmpeg", programs.FfmpegPath);
        }
        else if (!tools.Has(FfmpegTools.AacEncoder))
        {
            FfmpegPackagingLog.AacMissing(_logger, tools.Ffmpeg.Path);
        }

        if (tools.Ffprobe is null)
        {
            FfmpegPackagingLog.ToolMissing(_logger, "ffprobe", programs.FfprobePath);
        }

        return tools;
    }

    private static void CreatePrivateDirectory(string path)
    {
        // A book's audio is private: the work folder is this user's only.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void CreatePrivateFile(string path)
    {
        // ffmpeg writes into the file it finds (-y truncates it), so it keeps these permissions.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        new FileStream(path, options).Dispose();
    }

    private void Delete(string path, bool directory)
    {
        try
        {
            if (directory)
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FfmpegPackagingLog.CleanUpFailed(_logger, path, ex.Message);
        }
    }
}
