namespace BookBytes.Testing.Fakes;

/// <summary>Builds small but valid MPEG-1 Layer III files: silent frames that ffprobe and players accept.</summary>
public static class Mp3
{
    /// <summary>Samples per MPEG-1 Layer III frame.</summary>
    public const int SamplesPerFrame = 1152;

    /// <summary>The sample rate of the frames built here.</summary>
    public const int SampleRate = 44_100;

    /// <summary>The duration of one frame in seconds.</summary>
    public const double FrameSeconds = SamplesPerFrame / (double)SampleRate;

    /// <summary>Builds <paramref name="frames"/> silent 128 kbit/s mono frames; <paramref name="seed"/> marks the ancillary bytes so files differ.</summary>
    public static byte[] Silence(int frames, byte seed = 0, bool id3 = false, bool xing = false)
    {
        const int frameLength = 417; // 144 * 128000 / 44100, no padding
        using var output = new MemoryStream();
        if (id3)
        {
            // ID3v2.3 header with a 10-byte body of padding.
            output.Write([(byte)'I', (byte)'D', (byte)'3', 3, 0, 0, 0, 0, 0, 10]);
            output.Write(new byte[10]);
        }

        var frame = new byte[frameLength];
        for (var i = 0; i < frames + (xing ? 1 : 0); i++)
        {
            Array.Clear(frame);
            frame[0] = 0xFF;
            frame[1] = 0xFB; // MPEG-1, Layer III, no CRC
            frame[2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
            frame[3] = 0xC4; // mono
            if (xing && i == 0)
            {
                "Xing"u8.CopyTo(frame.AsSpan(4 + 17));
            }
            else
            {
                // Side info stays zero (silence); the rest of the frame is ancillary data that decoders skip.
                frame[^1] = seed;
                frame[^2] = (byte)i;
            }

            output.Write(frame);
        }

        return output.ToArray();
    }
}
