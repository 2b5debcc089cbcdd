using BookBytes.Pipeline.Processing;
using BookBytes.Storage;

namespace BookBytes.WebHost.Api;

/// <summary>
/// Streams a chapter that is being made (<see cref="ChapterAudioInProgress"/>): 200 with its media type and no length, each piece
/// written and flushed as it comes, the response ended with the chapter. When what was sent cannot become the chapter (its text
/// was refused and is being made again, the chapter failed, the storage failed) the connection is aborted, so a client never
/// takes a cut stream for a whole one. <c>HEAD</c> answers the headers alone.
/// </summary>
/// <param name="audio">The chapter's audio while it is made.</param>
/// <param name="chapterNumber">The chapter, for the log.</param>
internal sealed partial class LiveChapterAudioResult(ChapterAudioInProgress audio, int chapterNumber) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = audio.ContentType;
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }

        var aborted = httpContext.RequestAborted;
        try
        {
            await response.StartAsync(aborted);
            await foreach (var piece in audio.ReadAsync(aborted))
            {
                await response.Body.WriteAsync(piece, aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (Exception ex) when (ex is BookBytesException or StorageException && !aborted.IsCancellationRequested)
        {
            LogCutShort(httpContext.RequestServices.GetRequiredService<ILogger<LiveChapterAudioResult>>(), chapterNumber, ex.Message);
            httpContext.Abort();
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The listener went away.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chapter {ChapterNumber} was streamed while being made but cannot be finished: {Reason}; the connection is closed")]
    private static partial void LogCutShort(ILogger logger, int chapterNumber, string reason);
}
