namespace BookBytes.Packaging;

/// <summary>The kinds of one-file, chaptered audiobook a <see cref="IAudioPackager"/> makes.</summary>
public enum PackageFormat
{
    /// <summary>AAC audio in an MP4 container (<c>.m4b</c>) with chapter marks, tags and cover art: what audiobook players expect.</summary>
    M4b = 0,

    /// <summary>MP3 with ID3v2 <c>CHAP</c>/<c>CTOC</c> chapter frames, tags and cover art: what plays everywhere.</summary>
    Mp3 = 1,
}
