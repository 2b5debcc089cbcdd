namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// Silent MPEG-1 Layer III audio at 32 kbit/s, 32 kHz, mono: 144-byte frames of 1152 samples (36 ms each),
/// small enough that minutes of "speech" stay a few hundred kilobytes.
/// </summary>
internal static class SilentMp3
{
    public const int FrameBytes = 144; // 144 * 32000 / 32000, no padding

    public const double FrameSeconds = 1152 / 32_000.0;

    /// <summary>Builds <paramref name="frames"/> frames; the last ancillary bytes carry a counter so frames differ.</summary>
    public static byte[] Build(int frames)
    {
        var audio = new byte[frames * FrameBytes];
        for (var i = 0; i < frames; i++)
        {
            var frame = audio.AsSpan(i * FrameBytes, FrameBytes);
            frame[0] = 0xFF;
            frame[1] = 0xFB; // MPEG-1, Layer III, no CRC
            frame[2] = 0x18; // 32 kbit/s, 32 kHz, no padding
            frame[3] = 0xC4; // mono, original
            // The 17 bytes of side information stay zero (no main data: silence); the rest is ancillary data.
            frame[^1] = (byte)i;
            frame[^2] = (byte)(i >> 8);
        }

        return audio;
    }

    /// <summary>The frames that make <paramref name="seconds"/> of audio, at least one.</summary>
    public static int FramesFor(double seconds) => Math.Max(1, (int)Math.Round(seconds / FrameSeconds));
}
