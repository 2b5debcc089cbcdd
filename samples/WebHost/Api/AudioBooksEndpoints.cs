using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Storage;
using BookBytes.Tts;
using BookBytes.WebHost.Errors;
using BookBytes.WebHost.Security;
using Microsoft.Net.Http.Headers;

namespace BookBytes.WebHost.Api;

/// <summary><c>/api/v1/audiobooks</c>: list, details, chapter audio.</summary>
internal static class AudioBooksEndpoints
{
    /// <summary>The media types a chapter's audio is stored in (<see cref="AudioFormatExtensions.GetContentType"/>), MP3 first.</summary>
    internal static async Task<IResult> DeleteAsync(Guid id, ProcessingService processing, bool? cancel, CancellationToken cancellationToken)
    {
        await processing.DeleteAudioBookAsync(id, cancel ?? false, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>How long a request for a chapter being made waits for its first segment before it is answered 404 AUDIO_NOT_READY.</summary>
    internal static readonly TimeSpan LiveAudioWait = TimeSpan.FromSeconds(30);

    internal static readonly string[] ChapterAudioTypes = [.. Enum.GetValues<AudioFormat>().OrderBy(f => f != AudioFormat.Mp3).Select(f => f.GetContentType())];

    public static RouteGroupBuilder MapAudioBooks(this RouteGroupBuilder api)
    {
        var audioBooks = api.MapGroup("/audiobooks").WithTags("Audiobooks");

        audioBooks.MapGetAndHead("/", ListAsync)
            .WithName("ListAudioBooks")
            .WithSummary("List audiobooks, newest first.")
            .Produces<AudioBookList>()
            .ProducesValidationProblem();

        audioBooks.MapGetAndHead("/{id}", GetAsync)
            .WithName("GetAudioBook")
            .WithSummary("Get an audiobook with its edition and chapters (summary, status, audio URL).")
            .Produces<AudioBookResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        audioBooks.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteAudioBook")
            .WithSummary("Delete an audiobook: its chapters, jobs and every stored object of every version (audio, segments, transcripts, packaged files). Idempotent.")
            .WithDescription("Refused with 409 JOB_IN_PROGRESS while one of its jobs is pending or processing, unless cancel=true cancels them first. "
                + "The edition and its uploaded document are kept. 204 whether or not it existed; asking again removes anything a stopping worker left.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(BooksEndpoints.PostRateLimitPolicy);

        audioBooks.MapGetAndHead("/{id}/chapters/{number:int}/audio", AudioAsync)
            .WithName("GetChapterAudio")
            .WithSummary("The chapter's audio (Range requests honoured), or a 302 to a presigned URL when storage is S3; while the chapter is being made, its audio as it is made.")
            .WithDescription("The speech provider's format: audio/mpeg (MP3) unless BookBytes:OpenAI:AudioFormat or a local engine without ffmpeg chose another. "
                + "A byte Range outside the file is 416 with Content-Range; a Range of another unit is ignored. HEAD answers the headers alone. "
                + "While the audiobook is being made and the chapter is not stored yet (its liveAudioUrl), the request waits up to 30 s for the chapter's first segment, "
                + "then answers 200 without Content-Length or ranges and streams the segments in order as they land, ending with the chapter: the bytes are exactly those of the "
                + "finished file (MP3, AAC and PCM; a WAV chapter is served only once stored). If the chapter's text is refused and made again meanwhile, or the chapter fails, "
                + "the connection is closed before the end. No segment in 30 s: 404 AUDIO_NOT_READY.")
            .Produces<Stream>(StatusCodes.Status200OK, ChapterAudioTypes[0], ChapterAudioTypes[1..])
            .Produces<Stream>(StatusCodes.Status206PartialContent, ChapterAudioTypes[0], ChapterAudioTypes[1..])
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        audioBooks.MapListening();
        return api;
    }

    internal static async Task<AudioBookList> ListAsync(
        ProcessingService processing,
        FeedTokens tokens,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20)
    {
        // The service checks the paging; its ArgumentOutOfRangeException becomes a 400 naming the parameter.
        var result = await processing.ListAudioBooksAsync(page, pageSize, cancellationToken);
        return new AudioBookList(
            [.. result.Items.Select(item => new AudioBookListItem(
                item.AudioBook.Id,
                item.Edition is null ? null : EditionResponse.From(item.Edition),
                ApiNames.Of(item.AudioBook.Mode),
                ApiNames.Of(item.AudioBook.Grounding),
                item.AudioBook.SummaryWords,
                item.AudioBook.Status,
                item.AudioBook.Version,
                item.AudioBook.Voice,
                item.AudioBook.TotalDurationSeconds,
                AudioBookResponse.HasCover(item.Edition) ? tokens.Sign(ApiRoutes.Cover(item.AudioBook.Id), item.AudioBook.Id) : null,
                item.AudioBook.CreatedAt,
                item.AudioBook.UpdatedAt))],
            result.Total,
            result.Page,
            result.PageSize);
    }

    internal static async Task<AudioBookResponse> GetAsync(
        Guid id,
        ProcessingService processing,
        IAudioBookStore books,
        IJobStore jobs,
        FeedTokens tokens,
        CancellationToken cancellationToken)
    {
        var details = await processing.GetAudioBookAsync(id, cancellationToken) ?? throw new AudioBookNotFoundException(id);

        // An audiobook has at most one job at work (enqueueing refuses a second), and it is the newest: one look is enough.
        var jobIds = await books.GetJobIdsForAudioBookAsync(id, cancellationToken);
        var job = jobIds.Count == 0 ? null : await jobs.GetAsync(jobIds[^1], cancellationToken);
        return AudioBookResponse.From(details, job is null ? null : JobResponse.From(new JobDetails(job, id)), tokens);
    }

    internal static async Task<IResult> AudioAsync(
        Guid id,
        int number,
        ProcessingService processing,
        IStorageBackend storage,
        CancellationToken cancellationToken)
    {
        var details = await processing.GetAudioBookAsync(id, cancellationToken) ?? throw new AudioBookNotFoundException(id);
        var chapter = details.Chapters.FirstOrDefault(c => c.Number == number)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.ChapterNotFound, "The chapter was not found.", $"Audiobook {id} has no chapter {number}.");
        if (chapter.AudioKey is null || !StorageKey.TryParse(chapter.AudioKey, out var key))
        {
            // Being made: streamed as its segments land, once the first is there.
            var live = await processing.OpenChapterAudioInProgressAsync(id, number, LiveAudioWait, cancellationToken)
                ?? throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.AudioNotReady, "The chapter's audio is not stored yet.", $"Chapter {number} is {chapter.Status}.");
            return new LiveChapterAudioResult(live, number);
        }

        if (storage.ServesDirectUrls)
        {
            // The bucket serves the bytes (and ranges) itself; this node only signs the URL.
            return TypedResults.Redirect((await storage.GetUrlAsync(key, cancellationToken: cancellationToken)).AbsoluteUri);
        }

        var stream = await storage.OpenReadAsync(key, cancellationToken)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, ApiErrorCodes.AudioNotReady, "The chapter's audio is missing from storage.", $"No object under {key}.");

        // Keys carry the audiobook version, so an object under a key never changes: the key is a strong ETag.
        return TypedResults.Stream(
            stream,
            ContentType(key),
            entityTag: new EntityTagHeaderValue($"\"{key.Value}\""),
            enableRangeProcessing: true);
    }

    private static string ContentType(StorageKey key)
    {
        var extension = Path.GetExtension(key.Value).TrimStart('.');
        return AudioFormatExtensions.TryParse(extension, out var format) ? format.GetContentType() : "application/octet-stream";
    }
}
