using System.Buffers.Binary;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// Rewrites an engine's WAV under a correct header. Engines writing to a pipe cannot patch their header afterwards:
/// eSpeak NG declares sizes of about 2 GiB (<c>0x7FFFFFFF</c>), Festival a data size of 0; players and the pipeline's
/// WAV joiner need the real ones.
/// </summary>
internal static class WavFile
{
    /// <summary>The PCM data of <paramref name="wav"/> under a canonical header (RIFF, <c>fmt </c>, <c>data</c>) with its true sizes.</summary>
    /// <exception cref="ProviderResponseException">The bytes are not a RIFF WAVE file with a format and a data block.</exception>
    public static byte[] Normalize(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav.StartsWith("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
        {
            throw Broken("it is not a RIFF WAVE file");
        }

        ReadOnlySpan<byte> format = default;
        var pos = 12;
        while (pos + 8 <= wav.Length)
        {
            var id = wav.Slice(pos, 4);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(wav[(pos + 4)..]);
            var body = pos + 8;
            var available = wav.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (declared < 16 || declared > available)
                {
                    throw Broken("its format block is broken");
                }

                format = wav.Slice(body, (int)declared);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format.IsEmpty)
                {
                    throw Broken("its data comes before its format");
                }

                // A header written to a pipe cannot be patched afterwards: eSpeak NG declares about 2 GiB, Festival 0.
                // Then the data is what follows, in whole sample frames.
                var blockAlign = Math.Max(1, (int)BinaryPrimitives.ReadUInt16LittleEndian(format[12..]));
                var length = declared == 0 || declared > available ? available : (int)declared;
                length -= length % blockAlign;
                return Build(format, wav.Slice(body, length));
            }

            pos = body + (int)Math.Min(declared + (declared & 1), (uint)available);
        }

        throw Broken("it has no data block");
    }

    private static byte[] Build(ReadOnlySpan<byte> format, ReadOnlySpan<byte> data)
    {
        var header = 12 + 8 + format.Length + 8;
        var wav = new byte[header + data.Length];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(wav.Length - 8));
        "WAVE"u8.CopyTo(wav.AsSpan(8));
        "fmt "u8.CopyTo(wav.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), (uint)format.Length);
        format.CopyTo(wav.AsSpan(20));
        "data"u8.CopyTo(wav.AsSpan(20 + format.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24 + format.Length), (uint)data.Length);
        data.CopyTo(wav.AsSpan(header));
        return wav;
    }

    private static ProviderResponseException Broken(string why)
        => new($"The speech engine's WAV output cannot be read: {why}.", isTransient: false);
}
