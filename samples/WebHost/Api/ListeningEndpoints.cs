using System.Text;
using BookBytes.AudioBooks;
using BookBytes.Packaging;
using BookBytes.Pipeline.Processing;
using BookBytes.Storage;
using BookBytes.WebHost.Errors;
using BookBytes.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace BookBytes.WebHost.Api;

/// <summary>What a listener keeps: the one-file M4B/MP3, the podcast feed, chapter transcripts and the cover.</summary>
internal static class ListeningEndpoints
{
    public static RouteGroupBuilder MapListening(this RouteGroupBuilder audioBooks)
    {
        audioBooks.MapPost("/{id}/package", PackageAsync)
            .WithName("PackageAudioBook")
            .WithSummary("Make one chaptered M4B and MP3 of the served version from the chapters stored now (a job; a partly made book is packaged with what it has).")
            .WithDescription("Needs ffmpeg on the worker; ask again to remake the files after chapters were added. formats: m4b and/or mp3, both when absent.")
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(BooksEndpoints.PostRateLimitPolicy);

        audioBooks.MapGetAndHead("/{id}/audio", PackageAudioAsync)
            .WithName("GetAudioBookAudio")
            .WithSummary("The whole audiobook as one chaptered file: format=m4b (default) or mp3. Range requests honoured; a 302 to a presigned URL on S3; 404 AUDIO_NOT_READY until packaged.")
            .WithDescription("audio/mp4 for m4b, audio/mpeg for mp3. A byte Range outside the file is 416 with Content-Range; a Range of another unit is ignored. HEAD answers the headers alone.")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/mp4", "audio/mpeg")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "audio/mp4", "audio/mpeg")
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        audioBooks.MapGetAndHead("/{id}/feed.xml", FeedAsync)
            .WithName("GetAudioBookFeed")
            .WithSummary("The audiobook as a podcast feed (RSS 2.0 with itunes: tags), one episode per stored chapter. With API keys on, use the feedUrl of the audiobook: its token stands in for the header.")
            .Produces<string>(StatusCodes.Status200OK, "application/rss+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);

        audioBooks.MapGetAndHead("/{id}/chapters/{number:int}/transcript.vtt", TranscriptAsync)
            .WithName("GetChapterTranscript")
            .WithSummary("The chapter's transcript as WebVTT: a cue per sentence, timed from the synthesized audio.")
            .Produces<string>(StatusCodes.Status200OK, "text/vtt")
            .ProducesProblem(StatusCodes.Status404NotFound);

        audioBooks.MapGetAndHead("/{id}/cover", CoverAsync)
            .WithName("GetAudioBookCover")
            .WithSummary("The book's cover: the uploaded document's own image, or a 302 to the catalog's.")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg", "image/png")
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return audioBooks;
    }

    internal static async Task<Accepted<ProcessAccepted>> PackageAsync(Guid id, PackagingRequest? request, ProcessingService processing, CancellationToken cancellationToken)
    {
        List<PackageFormat>? formats = null;
        if (request?.Formats is { Count: > 0 } names)
        {
            formats = [];
            foreach (var name in names)
            {
                formats.Add(ParseFormat(name, "formats"));
            }
        }

        var started = await processing.PackageAsync(id, formats, cancellationToken);
        return TypedResults.Accepted(
            ApiRoutes.Job(started.Job.Id),
            new ProcessAccepted(started.Job.Id, id, started.Job.Status, $"The audiobook is being packaged. Follow {ApiRoutes.Job(started.Job.Id)}."));
    }

    internal static async Task<IResult> PackageAudioAsync(Guid id, ProcessingService processing, IStorageBackend storage, CancellationToken cancellationToken, string? format = null)
    {
        var wanted = format is null ? PackageFormat.M4b : ParseFormat(format, "format");
        var details = await processing.GetAudioBookAsync(id, cancellationToken) ?? throw new AudioBookNotFoundException(id);
        var book = details.AudioBook;
        var file = book.Package is { } package && package.Version == book.Version ? package.Files.FirstOrDefault(f => f.Format == wanted) : null;
        if (file is null || !StorageKey.TryParse(file.Key, out var key))
        {
            throw new ApiProblemException(
                StatusCodes.Status404NotFound,
                ApiErrorCodes.AudioNotReady,
                "The audiobook is not packaged yet.",
                $"No {wanted.GetFileExtension().ToUpperInvariant()} of version {book.Version} is made yet; it is made when the book finishes, or ask with POST {ApiRoutes.Prefix}/audiobooks/{id}/package.");
        }

        if (storage.ServesDirectUrls)
        {
            return TypedResults.Redirect((await storage.GetUrlAsync(key, cancellationToken: cancellationToken)).AbsoluteUri);
        }

        var stream = await storage.OpenReadAsync(key, cancellationToken)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.AudioNotReady, "The packaged audio is missing from storage.", $"No object under {key}.");

        // A version's package may be made again (after chapters were added) under the same key: its time is part of the tag.
        var tag = new EntityTagHeaderValue($"\"{key.Value}@{book.Package!.CreatedAt.UtcTicks}\"");
        return TypedResults.Stream(
            stream,
            wanted.GetContentType(),
            fileDownloadName: FileName(details.Edition.Title, wanted),
            lastModified: book.Package.CreatedAt,
            entityTag: tag,
            enableRangeProcessing: true);
    }

    internal static async Task<IResult> FeedAsync(Guid id, HttpRequest request, ProcessingService processing, FeedTokens tokens, CancellationToken cancellationToken)
    {
        var details = await processing.GetAudioBookAsync(id, cancellationToken) ?? throw new AudioBookNotFoundException(id);
        var baseUrl = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
        return TypedResults.Bytes(PodcastFeed.Write(details, baseUrl, tokens), PodcastFeed.ContentType);
    }

    internal static async Task<IResult> TranscriptAsync(Guid id, int number, ProcessingService processing, CancellationToken cancellationToken)
    {
        string? vtt;
        try
        {
            vtt = await processing.GetTranscriptAsync(id, number, cancellationToken);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.ChapterNotFound, "The chapter was not found.", $"Audiobook {id} has no chapter {number}.");
        }

        return vtt is null
            ? throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.AudioNotReady, "The chapter's audio is not stored yet.", $"Chapter {number} has no transcript until its audio is stored.")
            // Bytes rather than text: the file result answers HEAD with the length and no body.
            : TypedResults.Bytes(Encoding.UTF8.GetBytes(vtt), "text/vtt; charset=utf-8");
    }

    internal static async Task<IResult> CoverAsync(Guid id, ProcessingService processing, IStorageBackend storage, CancellationToken cancellationToken)
    {
        var details = await processing.GetAudioBookAsync(id, cancellationToken) ?? throw new AudioBookNotFoundException(id);
        var edition = details.Edition;
        if (edition.Document?.CoverKey is { } key && await storage.OpenReadAsync(key, cancellationToken) is { } stream)
        {
            var type = key.Value.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg";
            return TypedResults.Stream(stream, type, entityTag: new EntityTagHeaderValue($"\"{key.Value}\""));
        }

        return edition.CoverUrl is { } url && url.Scheme is "https" or "http"
            ? TypedResults.Redirect(url.AbsoluteUri)
            : throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.CoverNotFound, "The book has no cover.", $"Neither the document nor the catalog gave edition {edition.Id} a cover.");
    }

    private static PackageFormat ParseFormat(string name, string field)
        => PackageFormatExtensions.TryParse(name, out var parsed)
            ? parsed
            : throw ApiProblemException.Validation(field, $"{field} is \"m4b\" or \"mp3\".");

    /// <summary>A download name made of the title's letters and digits only: never a path, never a header injection.</summary>
    private static string FileName(string title, PackageFormat format)
    {
        var name = new StringBuilder();
        foreach (var c in title)
        {
            if (name.Length >= 80)
            {
                break;
            }

            name.Append(char.IsLetterOrDigit(c) ? c : c is ' ' or '-' or '_' ? c : ' ');
        }

        var clean = string.Join(' ', name.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return $"{(clean.Length == 0 ? "audiobook" : clean)}.{format.GetFileExtension()}";
    }
}
