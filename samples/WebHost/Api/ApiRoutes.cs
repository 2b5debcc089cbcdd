using System.Globalization;

namespace BookBytes.WebHost.Api;

/// <summary>The host's own URLs, for <c>Location</c> headers and <c>audioUrl</c>.</summary>
internal static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static string Job(Guid jobId) => $"{Prefix}/jobs/{jobId:D}";

    public static string Edition(Guid editionId) => $"{Prefix}/editions/{editionId:D}";

    public static string ChapterAudio(Guid audioBookId, int number)
        => string.Create(CultureInfo.InvariantCulture, $"{Prefix}/audiobooks/{audioBookId:D}/chapters/{number}/audio");

    public static string Transcript(Guid audioBookId, int number)
        => string.Create(CultureInfo.InvariantCulture, $"{Prefix}/audiobooks/{audioBookId:D}/chapters/{number}/transcript.vtt");

    public static string PackageAudio(Guid audioBookId, BookBytes.Packaging.PackageFormat format)
        => $"{Prefix}/audiobooks/{audioBookId:D}/audio?format={BookBytes.Packaging.PackageFormatExtensions.GetFileExtension(format)}";

    public static string Feed(Guid audioBookId) => $"{Prefix}/audiobooks/{audioBookId:D}/feed.xml";

    public static string Cover(Guid audioBookId) => $"{Prefix}/audiobooks/{audioBookId:D}/cover";
}
