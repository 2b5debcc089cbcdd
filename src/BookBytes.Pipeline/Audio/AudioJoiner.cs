using System.Buffers.Binary;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Audio;

/// <summary>
/// Joins separately synthesized chunks of one chapter into one playable file: MP3 frames
/// concatenated (ID3 tags of later chunks and VBR info frames dropped), WAV data merged under one
/// correct header, ADTS AAC frames and raw PCM concatenated. Also tells the duration.
/// </summary>
internal static class AudioJoiner
{
    private const int PcmSampleRate = 24_000;

    private static readonly int[] Mpeg1Layer3Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] Mpeg2Layer3Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[][] Mp3SampleRates = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]];
    private static readonly int[] AdtsSampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350, 0, 0, 0];

    /// <summary>Tells whether chunks of the format can be joined.</summary>
    /// <param name="format">The format.</param>
    /// <returns><see langword="true"/> for MP3, WAV, AAC (ADTS) and PCM.</returns>
    public static bool CanJoin(AudioFormat format) => format is AudioFormat.Mp3 or AudioFormat.Wav or AudioFormat.Aac or AudioFormat.Pcm;

    /// <summary>Joins the chunks in order.</summary>
    /// <param name="format">The chunks' format.</param>
    /// <param name="chunks">The chunks, in order.</param>
    /// <returns>The joined audio.</returns>
    /// <exception cref="NotSupportedException">The format cannot be joined and there is more than one chunk.</exception>
    /// <exception cref="InvalidDataException">A chunk is not valid audio of the format.</exception>
    public static JoinedAudio Join(AudioFormat format, IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return format switch
        {
            AudioFormat.Mp3 => JoinMp3(chunks),
            AudioFormat.Wav => JoinWav(chunks),
            AudioFormat.Aac => JoinAdts(chunks),
            AudioFormat.Pcm => Concatenate(chunks, bytes => bytes / (2.0 * PcmSampleRate)),
            _ when chunks.Count == 1 => Concatenate(chunks, _ => null),
            _ => throw new NotSupportedException($"Audio in {format} format cannot be joined from several chunks; use mp3, wav, aac or pcm, or a chunk size that fits a chapter."),
        };
    }

    /// <summary>
    /// Tells whether the format's joined file is its chunks' <see cref="Piece"/>s one after another, so a chapter can be
    /// served while it is made by sending each piece as it is stored: MP3, AAC (ADTS) and PCM. WAV cannot (its header
    /// holds the whole length), nor can the formats that are never joined.
    /// </summary>
    /// <param name="format">The format.</param>
    /// <returns><see langword="true"/> for MP3, AAC and PCM.</returns>
    public static bool CanStream(AudioFormat format) => format is AudioFormat.Mp3 or AudioFormat.Aac or AudioFormat.Pcm;

    /// <summary>
    /// The part of the joined file that one chunk contributes, for a format that <see cref="CanStream"/>: its frames
    /// (MP3 without a later chunk's ID3 tags or a VBR info frame; ADTS frames; PCM as it is). Joining the pieces is
    /// concatenating them, and a piece is its own piece again.
    /// </summary>
    /// <param name="format">The chunk's format.</param>
    /// <param name="chunk">The chunk as synthesized.</param>
    /// <param name="first">Whether it is the chapter's first chunk (whose leading ID3 tag is kept).</param>
    /// <returns>The piece, as one segment of bytes, with its duration.</returns>
    /// <exception cref="InvalidDataException">The chunk is not valid audio of the format.</exception>
    public static JoinedAudio Piece(AudioFormat format, ReadOnlyMemory<byte> chunk, bool first)
    {
        var parts = format switch
        {
            AudioFormat.Mp3 => Mp3Piece(chunk, first, 0, 1),
            AudioFormat.Aac => AdtsPiece(chunk, first, 0, 1),
            AudioFormat.Pcm => ([chunk], chunk.Length / (2.0 * PcmSampleRate)),
            _ => throw new NotSupportedException($"Audio in {format} format is not served while it is made."),
        };
        if (parts.Segments.Count == 1)
        {
            return new JoinedAudio(parts.Segments, parts.Segments[0].Length, parts.Seconds);
        }

        var bytes = new byte[parts.Segments.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts.Segments)
        {
            part.Span.CopyTo(bytes.AsSpan(at));
            at += part.Length;
        }

        return new JoinedAudio([bytes], bytes.Length, parts.Seconds);
    }

    /// <summary>Measures the duration of one whole file of the format.</summary>
    /// <param name="format">The format.</param>
    /// <param name="audio">The file's bytes.</param>
    /// <returns>The duration in seconds, or <see langword="null"/> when the format does not tell it.</returns>
    public static double? MeasureDuration(AudioFormat format, ReadOnlyMemory<byte> audio)
    {
        try
        {
            return Join(format, [audio]).DurationSeconds;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static JoinedAudio Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> chunks, Func<long, double?> duration)
    {
        var length = chunks.Sum(c => (long)c.Length);
        return new JoinedAudio(chunks, length, duration(length));
    }

    private static JoinedAudio JoinMp3(IReadOnlyList<ReadOnlyMemory<byte>> chunks) => JoinPieces(chunks, Mp3Piece);

    // Each chunk's piece, in order: the joined file is the pieces one after another.
    private static JoinedAudio JoinPieces(
        IReadOnlyList<ReadOnlyMemory<byte>> chunks, Func<ReadOnlyMemory<byte>, bool, int, int, (List<ReadOnlyMemory<byte>> Segments, double Seconds)> piece)
    {
        var segments = new List<ReadOnlyMemory<byte>>(chunks.Count + 1);
        double seconds = 0;
        for (var c = 0; c < chunks.Count; c++)
        {
            var (parts, duration) = piece(chunks[c], c == 0, c, chunks.Count);
            segments.AddRange(parts);
            seconds += duration;
        }

        return new JoinedAudio(segments, segments.Sum(s => (long)s.Length), seconds);
    }

    private static (List<ReadOnlyMemory<byte>> Segments, double Seconds) Mp3Piece(ReadOnlyMemory<byte> data, bool first, int c, int count)
    {
        var segments = new List<ReadOnlyMemory<byte>>(2);
        double seconds = 0;
        var span = data.Span;
        var start = LeadingTag(data, first, segments);
        var end = span.Length;
        if (end - start >= 128 && span[(end - 128)..].StartsWith("TAG"u8))
        {
            end -= 128;
        }

        // Frames are kept run by run: a stray byte, an embedded ID3v2 tag or padding between frames ends
        // one run, the scan looks for the next, and only complete frames are kept. Outside a run a header
        // counts only when another follows it (or the data ends with it), so a false sync in junk is not
        // taken for audio.
        var firstFrame = true;
        var runStart = -1;
        var frames = 0;
        var pos = start;
        while (pos + 4 <= end)
        {
            if (TryReadMp3Frame(span[pos..end], out var frameLength, out var samples, out var sampleRate, out var sideInfoOffset)
                && pos + frameLength <= end
                && (runStart >= 0 || pos + frameLength == end || StartsMp3Frame(span[(pos + frameLength)..end])))
            {
                if (firstFrame && IsVbrInfoFrame(span.Slice(pos, frameLength), sideInfoOffset))
                {
                    // A Xing/Info/VBRI frame describes only its own chunk; players would trust it for the whole file.
                    pos += frameLength;
                    firstFrame = false;
                    continue;
                }

                firstFrame = false;
                if (runStart < 0)
                {
                    runStart = pos;
                }

                frames++;
                seconds += samples / (double)sampleRate;
                pos += frameLength;
                continue;
            }

            if (runStart >= 0)
            {
                segments.Add(data[runStart..pos]);
                runStart = -1;
            }

            var tag = Id3v2Length(span[pos..end]);
            pos += tag > 0 ? tag : 1;
        }

        if (runStart >= 0)
        {
            segments.Add(data[runStart..pos]);
        }

        if (frames == 0)
        {
            throw new InvalidDataException($"Chunk {c + 1} of {count} holds no MPEG audio frame.");
        }

        return (segments, seconds);
    }

    // An ID3v2 tag may lead a chunk (MP3, ADTS): the first chunk's is kept, later ones are dropped. Returns where the audio begins.
    private static int LeadingTag(ReadOnlyMemory<byte> data, bool first, List<ReadOnlyMemory<byte>> segments)
    {
        var start = Id3v2Length(data.Span);
        if (first && start > 0)
        {
            segments.Add(data[..start]);
        }

        return start;
    }

    private static int Id3v2Length(ReadOnlySpan<byte> span)
    {
        if (span.Length < 10 || !span.StartsWith("ID3"u8))
        {
            return 0;
        }

        var size = (span[6] & 0x7F) << 21 | (span[7] & 0x7F) << 14 | (span[8] & 0x7F) << 7 | (span[9] & 0x7F);
        var footer = (span[5] & 0x10) != 0 ? 10 : 0;
        return Math.Min(span.Length, 10 + size + footer);
    }

    private static bool TryReadMp3Frame(ReadOnlySpan<byte> span, out int frameLength, out int samples, out int sampleRate, out int sideInfoOffset)
    {
        frameLength = samples = sampleRate = sideInfoOffset = 0;
        if (span.Length < 4 || span[0] != 0xFF || (span[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var version = (span[1] >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
        var layer = (span[1] >> 1) & 3;   // 1: Layer III
        var bitrateIndex = span[2] >> 4;
        var rateIndex = (span[2] >> 2) & 3;
        if (version == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return false;
        }

        var mpeg1 = version == 3;
        var kbps = (mpeg1 ? Mpeg1Layer3Kbps : Mpeg2Layer3Kbps)[bitrateIndex];
        sampleRate = Mp3SampleRates[version][rateIndex];
        var padding = (span[2] >> 1) & 1;
        samples = mpeg1 ? 1152 : 576;
        frameLength = (mpeg1 ? 144 : 72) * kbps * 1000 / sampleRate + padding;
        var mono = (span[3] >> 6) == 3;
        sideInfoOffset = 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
        return frameLength > 4;
    }

    private static bool StartsMp3Frame(ReadOnlySpan<byte> span) => TryReadMp3Frame(span, out _, out _, out _, out _);

    private static bool IsVbrInfoFrame(ReadOnlySpan<byte> frame, int sideInfoOffset)
    {
        if (frame.Length >= sideInfoOffset + 4)
        {
            var tag = frame.Slice(sideInfoOffset, 4);
            if (tag.SequenceEqual("Xing"u8) || tag.SequenceEqual("Info"u8))
            {
                return true;
            }
        }

        return frame.Length >= 40 && frame.Slice(36, 4).SequenceEqual("VBRI"u8);
    }

    private static JoinedAudio JoinWav(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        ReadOnlyMemory<byte> format = default;
        var data = new List<ReadOnlyMemory<byte>>(chunks.Count);
        for (var c = 0; c < chunks.Count; c++)
        {
            var (fmt, samples) = ReadWav(chunks[c], c, chunks.Count);
            if (c == 0)
            {
                format = fmt;
            }
            else if (!fmt.Span.SequenceEqual(format.Span))
            {
                throw new InvalidDataException($"Chunk {c + 1} of {chunks.Count} has a different WAV format from chunk 1.");
            }

            data.Add(samples);
        }

        var dataLength = data.Sum(d => (long)d.Length);
        var header = new byte[12 + 8 + format.Length + 8];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)Math.Min(uint.MaxValue, header.Length - 8 + dataLength));
        "WAVE"u8.CopyTo(header.AsSpan(8));
        "fmt "u8.CopyTo(header.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)format.Length);
        format.Span.CopyTo(header.AsSpan(20));
        "data"u8.CopyTo(header.AsSpan(20 + format.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24 + format.Length), (uint)Math.Min(uint.MaxValue, dataLength));

        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format.Span[8..]);
        var segments = new List<ReadOnlyMemory<byte>>(data.Count + 1) { header };
        segments.AddRange(data);
        return new JoinedAudio(segments, header.Length + dataLength, byteRate == 0 ? null : dataLength / (double)byteRate);
    }

    private static (ReadOnlyMemory<byte> Format, ReadOnlyMemory<byte> Data) ReadWav(ReadOnlyMemory<byte> wav, int index, int count)
    {
        var span = wav.Span;
        if (span.Length < 12 || !span.StartsWith("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"Chunk {index + 1} of {count} is not a RIFF WAVE file.");
        }

        ReadOnlyMemory<byte>? format = null;
        var pos = 12;
        while (pos + 8 <= span.Length)
        {
            var id = span.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
            var body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + size > span.Length)
                {
                    throw new InvalidDataException($"Chunk {index + 1} of {count} has a broken WAV format block.");
                }

                format = wav.Slice(body, (int)size);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new InvalidDataException($"Chunk {index + 1} of {count} has WAV data before its format block.");
                }

                // Streamed WAV often says 0xFFFFFFFF (length unknown): take what is there, in whole sample
                // frames (a half frame would shift every later sample: left and right swap, bytes misalign).
                var available = span.Length - body;
                var length = size > (uint)available ? available : (int)size;
                var blockAlign = Math.Max((int)BinaryPrimitives.ReadUInt16LittleEndian(format.Value.Span[12..]), 1);
                return (format.Value, wav.Slice(body, length - (length % blockAlign)));
            }

            pos = body + (int)Math.Min(size + (size & 1), (uint)(span.Length - body));
        }

        throw new InvalidDataException($"Chunk {index + 1} of {count} has no WAV data block.");
    }

    private static JoinedAudio JoinAdts(IReadOnlyList<ReadOnlyMemory<byte>> chunks) => JoinPieces(chunks, AdtsPiece);

    private static (List<ReadOnlyMemory<byte>> Segments, double Seconds) AdtsPiece(ReadOnlyMemory<byte> data, bool first, int c, int count)
    {
        var segments = new List<ReadOnlyMemory<byte>>(2);
        double seconds = 0;
        var span = data.Span;
        var start = LeadingTag(data, first, segments);

        var pos = start;
        while (pos + 7 <= span.Length)
        {
            if (span[pos] != 0xFF || (span[pos + 1] & 0xF6) != 0xF0)
            {
                throw new InvalidDataException($"Chunk {c + 1} of {count} is not ADTS AAC at byte {pos}.");
            }

            var rate = AdtsSampleRates[(span[pos + 2] >> 2) & 0xF];
            var frameLength = (span[pos + 3] & 3) << 11 | span[pos + 4] << 3 | span[pos + 5] >> 5;
            var blocks = (span[pos + 6] & 3) + 1;
            if (frameLength < 7 || rate == 0)
            {
                throw new InvalidDataException($"Chunk {c + 1} of {count} has a broken ADTS header at byte {pos}.");
            }

            if (pos + frameLength > span.Length)
            {
                break; // a cut-off last frame is neither counted nor kept
            }

            seconds += 1024.0 * blocks / rate;
            pos += frameLength;
        }

        if (pos == start)
        {
            throw new InvalidDataException($"Chunk {c + 1} of {count} holds no ADTS AAC frame.");
        }

        segments.Add(data[start..pos]);
        return (segments, seconds);
    }
}
