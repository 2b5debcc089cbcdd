namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// Settings of the local speech engines (eSpeak NG, Flite, Festival) and of the MP3 encoder (ffmpeg), bound from
/// the configuration section <see cref="SectionName"/>. Engines are found by these names on <c>PATH</c>, or at these
/// paths when they contain a slash.
/// </summary>
/// <remarks>A mutable settings bag; not thread-safe while being configured, and read when the engines are discovered.</remarks>
public sealed class LocalSpeechOptions
{
    /// <summary>The configuration section the options are bound from: <c>BookBytes:Local:Speech</c>.</summary>
    public const string SectionName = "BookBytes:Local:Speech";

    /// <summary>Gets or sets the eSpeak NG executable (Debian package <c>espeak-ng</c>). Default <c>espeak-ng</c>.</summary>
    public string EspeakNgPath { get; set; } = "espeak-ng";

    /// <summary>Gets or sets the Flite executable (Debian package <c>flite</c>). Default <c>flite</c>.</summary>
    public string FlitePath { get; set; } = "flite";

    /// <summary>Gets or sets Festival's <c>text2wave</c> script (Debian packages <c>festival</c> and <c>festvox-us-slt-hts</c>). Default <c>text2wave</c>.</summary>
    public string Text2WavePath { get; set; } = "text2wave";

    /// <summary>Gets or sets the ffmpeg executable that encodes MP3 (Debian package <c>ffmpeg</c>); without it speech is WAV. Default <c>ffmpeg</c>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Gets or sets the default voice, a <see cref="LocalVoice.Id"/> such as <c>flite.slt</c> or <c>espeak-ng.de</c>;
    /// <see langword="null"/>, the default, for the best English voice found (<c>flite.slt</c>, else <c>festival.slt</c>,
    /// else <c>espeak-ng.en-us</c>). A voice that is not found fails the host's start.
    /// </summary>
    public string? Voice { get; set; }

    /// <summary>Gets or sets how long one call may take, engine and encoder together. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the longest text one call accepts. Default 2,000 characters.</summary>
    public int MaxInputCharacters { get; set; } = 2000;

    /// <summary>Gets or sets the MP3 bit rate in kbit/s (mono, 24 kHz). Default 64; 8 to 160.</summary>
    public int Mp3Bitrate { get; set; } = 64;
}
