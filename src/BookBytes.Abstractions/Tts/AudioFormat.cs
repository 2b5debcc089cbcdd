namespace BookBytes.Tts;

/// <summary>Audio encodings a text-to-speech provider can produce.</summary>
public enum AudioFormat
{
    /// <summary>MPEG-1/2 Layer III.</summary>
    Mp3,

    /// <summary>Opus in an Ogg container.</summary>
    Opus,

    /// <summary>AAC in ADTS framing.</summary>
    Aac,

    /// <summary>Free Lossless Audio Codec.</summary>
    Flac,

    /// <summary>RIFF WAVE with 16-bit PCM.</summary>
    Wav,

    /// <summary>Raw 16-bit little-endian PCM, 24 kHz mono, with no header.</summary>
    Pcm,
}
