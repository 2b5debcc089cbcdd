using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using BookBytes.Pipeline.Audio;
using BookBytes.Testing.Audio;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Tests.Audio;

public class AudioJoinerTests
{
    [Fact]
    public void Mp3_chunks_are_concatenated_frame_by_frame_with_later_id3_tags_and_vbr_frames_dropped()
    {
        var a = Mp3.Silence(10, seed: 1, id3: true, xing: true);
        var b = Mp3.Silence(20, seed: 2, id3: true, xing: true);

        var joined = AudioJoiner.Join(AudioFormat.Mp3, [a, b]);

        var bytes = ReadAll(joined);
        bytes.Length.Should().Be(20 + (30 * 417));
        bytes.AsSpan(0, 3).ToArray().Should().Equal("ID3"u8.ToArray());
        CountOccurrences(bytes, "ID3"u8.ToArray()).Should().Be(1);
        CountOccurrences(bytes, "Xing"u8.ToArray()).Should().Be(0);
        joined.Length.Should().Be(bytes.Length);
        joined.DurationSeconds.Should().BeApproximately(30 * Mp3.FrameSeconds, 1e-9);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3)]
    [InlineData(AudioFormat.Aac)]
    [InlineData(AudioFormat.Pcm)]
    public void Pieces_stored_one_after_another_are_the_joined_file_and_a_piece_is_its_own_piece(AudioFormat format)
    {
        var tag = Mp3.Silence(0, id3: true);
        byte[][] chunks = format switch
        {
            AudioFormat.Mp3 => [Mp3.Silence(10, seed: 1, id3: true, xing: true), Mp3.Silence(20, seed: 2, id3: true, xing: true), Mp3.Silence(5, seed: 3, xing: true)],
            AudioFormat.Aac => [tag.Concat(Adts(10)).ToArray(), tag.Concat(Adts(5)).ToArray(), Adts(3)],
            _ => [new byte[4800], new byte[9600], new byte[480]],
        };

        var pieces = chunks.Select((chunk, i) => AudioJoiner.Piece(format, chunk, first: i == 0)).ToList();
        var again = pieces.Select((piece, i) => AudioJoiner.Piece(format, piece.Segments[0], first: i == 0)).ToList();
        var joined = AudioJoiner.Join(format, [.. chunks.Select(c => (ReadOnlyMemory<byte>)c)]);

        AudioJoiner.CanStream(format).Should().BeTrue();
        pieces.SelectMany(p => p.Segments[0].ToArray()).Should().Equal(ReadAll(joined), "a reader given each piece as it is stored has the file");
        pieces.Sum(p => p.DurationSeconds!.Value).Should().BeApproximately(joined.DurationSeconds!.Value, 1e-9);
        again.Select(p => p.Segments[0].ToArray()).Should().BeEquivalentTo(pieces.Select(p => p.Segments[0].ToArray()), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Wav_and_formats_never_joined_are_not_served_while_they_are_made()
    {
        AudioJoiner.CanStream(AudioFormat.Wav).Should().BeFalse("its header holds the whole length");
        AudioJoiner.CanStream(AudioFormat.Opus).Should().BeFalse();
        AudioJoiner.CanStream(AudioFormat.Flac).Should().BeFalse();
    }

    [Fact]
    public void Mp3_frames_after_stray_bytes_or_an_embedded_tag_are_kept_and_the_junk_dropped()
    {
        var frames = Mp3.Silence(110, seed: 3);
        var tag = Mp3.Silence(0, id3: true); // a bare 20-byte ID3v2 tag
        var chunk = frames[..(10 * 417)].Concat(new byte[3]).Concat(frames[(10 * 417)..(50 * 417)]).Concat(tag).Concat(frames[(50 * 417)..]).ToArray();

        var joined = AudioJoiner.Join(AudioFormat.Mp3, [chunk, Mp3.Silence(5, seed: 4)]);

        var bytes = ReadAll(joined);
        bytes.Length.Should().Be(115 * 417, "every frame is kept; the three stray bytes and the tag are not");
        bytes.AsSpan(0, 110 * 417).ToArray().Should().Equal(frames);
        joined.DurationSeconds.Should().BeApproximately(115 * Mp3.FrameSeconds, 1e-9);
    }

    [Fact]
    public void A_false_frame_header_in_leading_junk_is_not_taken_for_audio()
    {
        // 0xFF 0xFB 0x90 0xC4 is a valid header, but no frame follows it 417 bytes later.
        var junk = new byte[600];
        junk[100] = 0xFF;
        junk[101] = 0xFB;
        junk[102] = 0x90;
        junk[103] = 0xC4;
        var frames = Mp3.Silence(20, seed: 5);

        var joined = AudioJoiner.Join(AudioFormat.Mp3, [junk.Concat(frames).ToArray()]);

        ReadAll(joined).Should().Equal(frames);
        joined.DurationSeconds.Should().BeApproximately(20 * Mp3.FrameSeconds, 1e-9);
    }

    [Fact]
    public void Joined_mp3_is_valid_for_ffprobe_with_the_summed_duration()
    {
        var chunks = new ReadOnlyMemory<byte>[] { Mp3.Silence(40, 1, id3: true), Mp3.Silence(60, 2, id3: true), Mp3.Silence(100, 3, xing: true) };

        var joined = AudioJoiner.Join(AudioFormat.Mp3, chunks);

        var probed = FfprobeDuration(ReadAll(joined), "mp3");
        probed.Should().BeApproximately(200 * Mp3.FrameSeconds, 0.05);
        joined.DurationSeconds.Should().BeApproximately(200 * Mp3.FrameSeconds, 1e-9);
    }

    [Fact]
    public void Wav_chunks_are_merged_under_one_correct_header()
    {
        var a = Wav(24_000, seconds: 0.5, tone: 1);
        var b = Wav(24_000, seconds: 1.5, tone: 2, streamedLength: true);

        var joined = AudioJoiner.Join(AudioFormat.Wav, [a, b]);

        var bytes = ReadAll(joined);
        bytes.AsSpan(0, 4).ToArray().Should().Equal("RIFF"u8.ToArray());
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)).Should().Be((uint)(bytes.Length - 8));
        CountOccurrences(bytes, "RIFF"u8.ToArray()).Should().Be(1);
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)).Should().Be((uint)(bytes.Length - 44));
        bytes.AsSpan(44).ToArray().Should().Equal([.. a.AsSpan(44).ToArray(), .. b.AsSpan(44).ToArray()]);
        joined.DurationSeconds.Should().BeApproximately(2.0, 1e-9);
        FfprobeDuration(bytes, "wav").Should().BeApproximately(2.0, 0.01);
    }

    [Fact]
    public void A_cut_off_wav_keeps_whole_sample_frames_only()
    {
        var a = Stereo(Wav(24_000, seconds: 0.5, tone: 1));
        var b = Stereo(Wav(24_000, seconds: 0.5, tone: 2, streamedLength: true));
        var cut = b.Concat(new byte[] { 1, 2 }).ToArray(); // half of a 4-byte stereo frame

        var joined = AudioJoiner.Join(AudioFormat.Wav, [a, cut]);

        var bytes = ReadAll(joined);
        bytes.AsSpan(44).ToArray().Should().Equal([.. a.AsSpan(44).ToArray(), .. b.AsSpan(44).ToArray()], "the half frame would shift every later sample");
    }

    /// <summary>Relabels a mono 16-bit WAV as stereo (same bytes, frames of 4 bytes).</summary>
    private static byte[] Stereo(byte[] wav)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(28), BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(24)) * 4);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), 4);
        return wav;
    }

    [Fact]
    public void Wav_chunks_with_different_formats_are_refused()
    {
        var act = () => AudioJoiner.Join(AudioFormat.Wav, [Wav(24_000, 0.1, 1), Wav(16_000, 0.1, 1)]);

        act.Should().Throw<InvalidDataException>().WithMessage("*different WAV format*");
    }

    [Fact]
    public void Pcm_is_concatenated_and_timed_at_24_khz_16_bit()
    {
        var joined = AudioJoiner.Join(AudioFormat.Pcm, [new byte[48_000], new byte[24_000]]);

        joined.Length.Should().Be(72_000);
        joined.DurationSeconds.Should().BeApproximately(1.5, 1e-9);
    }

    [Fact]
    public void Formats_that_cannot_be_joined_are_refused_for_several_chunks_but_pass_alone()
    {
        AudioJoiner.Join(AudioFormat.Opus, [new byte[] { 1, 2, 3 }]).Length.Should().Be(3);
        FluentActions.Invoking(() => AudioJoiner.Join(AudioFormat.Flac, [new byte[] { 1 }, new byte[] { 2 }]))
            .Should().Throw<NotSupportedException>().WithMessage("*mp3, wav*");
    }

    [Fact]
    public void Aac_chunks_keep_the_first_id3_tag_drop_later_ones_and_a_cut_off_last_frame()
    {
        var tag = Mp3.Silence(0, id3: true); // a bare 20-byte ID3v2 tag
        var first = tag.Concat(Adts(10)).ToArray();
        var second = tag.Concat(Adts(5)).Concat(Adts(1).AsSpan(0, 12).ToArray()).ToArray(); // 5 frames, then 12 bytes of a 27-byte one

        var joined = AudioJoiner.Join(AudioFormat.Aac, [first, second]);

        var bytes = ReadAll(joined);
        bytes.Should().Equal(tag.Concat(Adts(10)).Concat(Adts(5)));
        joined.DurationSeconds.Should().BeApproximately(15 * 1024 / 44_100.0, 1e-9);
    }

    [Fact]
    public void Garbage_is_not_taken_for_mp3()
    {
        FluentActions.Invoking(() => AudioJoiner.Join(AudioFormat.Mp3, [new byte[1000]])).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void The_stream_over_segments_reads_and_seeks_like_one_buffer()
    {
        var joined = new JoinedAudio([new byte[] { 1, 2, 3 }, Array.Empty<byte>(), new byte[] { 4, 5 }], 5, null);
        using var stream = joined.OpenRead();

        stream.Seek(2, SeekOrigin.Begin);
        var buffer = new byte[10];
        var read = stream.Read(buffer, 0, 10);

        read.Should().Be(3);
        buffer.Take(3).Should().Equal(3, 4, 5);
        stream.Position.Should().Be(5);
    }

    /// <summary>ADTS frames (AAC LC, 44.1 kHz, mono, one block) of 27 bytes: a 7-byte header and 20 zero bytes.</summary>
    private static byte[] Adts(int frames)
    {
        const int length = 27;
        var frame = new byte[length];
        frame[0] = 0xFF;
        frame[1] = 0xF1; // MPEG-4, layer 0, no CRC
        frame[2] = 0x50; // AAC LC, 44.1 kHz, channel configuration 1 (high bit 0)
        frame[3] = 0x40 | ((length >> 11) & 3);
        frame[4] = (byte)((length >> 3) & 0xFF);
        frame[5] = (byte)(((length & 7) << 5) | 0x1F);
        frame[6] = 0xFC; // buffer fullness, one raw data block
        return [.. Enumerable.Repeat(frame, frames).SelectMany(f => f)];
    }

    private static byte[] ReadAll(JoinedAudio joined)
    {
        using var stream = joined.OpenRead();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int CountOccurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0;)
        {
            count++;
            var next = haystack.AsSpan(i + 1).IndexOf(needle);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return count;
    }

    internal static byte[] Wav(int sampleRate, double seconds, int tone, bool streamedLength = false)
    {
        var samples = (int)(sampleRate * seconds);
        var data = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)(Math.Sin(i * tone * 0.05) * 8000));
        }

        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), streamedLength ? uint.MaxValue : (uint)(36 + data.Length));
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)(sampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), streamedLength ? uint.MaxValue : (uint)data.Length);
        return [.. header, .. data];
    }

    internal static double FfprobeDuration(byte[] audio, string extension) => Ffprobe.Probe(audio, extension).Seconds;
}
