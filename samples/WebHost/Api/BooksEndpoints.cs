using System.Globalization;
using BookBytes.Books;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BookBytes.WebHost.Api;

/// <summary><c>/api/v1/books</c>: ISBN lookup, start processing, refresh.</summary>
internal static class BooksEndpoints
{
    public const string PostRateLimitPolicy = "post";

    /// <summary>The rate-limit policy of estimates: ten times the permits of <see cref="PostRateLimitPolicy"/> (the page asks on every change).</summary>
    public const string EstimateRateLimitPolicy = "estimate";

    /// <summary>The most chapter numbers a request may name (the library's own limit, checked before it sees them).</summary>
    public const int MaxChapters = 2000;

    /// <summary>The highest chapter number a request may name.</summary>
    public const int MaxChapterNumber = 100_000;

    public static RouteGroupBuilder MapBooks(this RouteGroupBuilder api)
    {
        var books = api.MapGroup("/books").WithTags("Books");

        books.MapPost("/process", ProcessAsync)
            .WithName("ProcessBook")
            .WithSummary("Start an audiobook for an edition (by editionId or ISBN).")
            .WithDescription("Give exactly one of editionId and isbn. mode is summary (the default) or narration (an uploaded document's text read out; "
                + "a catalog edition is 422 TEXT_REQUIRED); chapters names the table of contents' numbers to make (the body chapters when absent); "
                + "summaryWords sets the summary length (50 to 5000). One audiobook per edition and mode: another in the same mode is 409 AUDIOBOOK_EXISTS "
                + "with its audioBookId (and jobId while one works on it). Answers 202 with the job; follow Location or /api/v1/jobs/{jobId}/events.")
            .Accepts<ProcessRequest>("application/json")
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(PostRateLimitPolicy);

        books.MapPost("/estimate", EstimateAsync)
            .WithName("EstimateAudioBook")
            .WithSummary("What an audiobook would take (chapters, tokens, speech characters, time, cost), without making it.")
            .WithDescription("The same body as /process. No language model or speech provider is called (an ISBN is looked up in the catalog), "
                + "and it answers without any configured: the notes then say what was assumed. cost is null when a model has no price.")
            .Accepts<ProcessRequest>("application/json")
            .Produces<EstimateResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .RequireRateLimiting(EstimateRateLimitPolicy);

        books.MapPost("/{audioBookId}/refresh", RefreshAsync)
            .WithName("RefreshAudioBook")
            .WithSummary("Redo the missing or failed chapters of an audiobook, add chapters to it, or build a new version with force=true.")
            .WithDescription("chapters names table-of-contents numbers to add; they are made without redoing the audiobook's other chapters.")
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(PostRateLimitPolicy);

        books.MapGetAndHead("/isbn/{isbn}", LookupAsync)
            .WithName("LookupIsbn")
            .WithSummary("Look an edition up by ISBN: title, authors, cover and table of contents.")
            .Produces<EditionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);

        return api;
    }

    internal static async Task<Accepted<ProcessAccepted>> ProcessAsync(ProcessRequest request, ProcessingService processing, CancellationToken cancellationToken)
    {
        var (editionId, isbn, audioBook) = Bind(request);
        var started = editionId is { } id
            ? await processing.StartProcessingAsync(id, audioBook, cancellationToken)
            : await processing.StartProcessingAsync(isbn!.Value, audioBook, cancellationToken);
        return Accepted(started, "Processing started.");
    }

    internal static async Task<EstimateResponse> EstimateAsync(ProcessRequest request, ProcessingService processing, CancellationToken cancellationToken)
    {
        var (editionId, isbn, audioBook) = Bind(request);
        var estimate = editionId is { } id
            ? await processing.EstimateAsync(id, audioBook, cancellationToken)
            : await processing.EstimateAsync(isbn!.Value, audioBook, cancellationToken);
        return EstimateResponse.From(estimate);
    }

    internal static async Task<Accepted<ProcessAccepted>> RefreshAsync(Guid audioBookId, RefreshRequest? request, ProcessingService processing, CancellationToken cancellationToken)
    {
        var force = request?.Force ?? false;
        var chapters = CheckChapters(request?.Chapters);
        var started = await processing.RefreshAsync(audioBookId, new Pipeline.Processing.RefreshRequest { Force = force, Chapters = chapters }, cancellationToken);
        var message = force ? "A new version is being built."
            : chapters is not null ? "The chapters named are being added; missing and failed ones are redone."
            : "Missing and failed chapters are being redone.";
        return Accepted(started, message);
    }

    /// <summary>Checks what the request's fields can be checked for without the edition; the library checks the rest against it.</summary>
    private static (Guid? EditionId, Isbn? Isbn, AudioBookRequest Request) Bind(ProcessRequest request)
    {
        var hasIsbn = !string.IsNullOrWhiteSpace(request.Isbn);
        if (request.EditionId.HasValue == hasIsbn)
        {
            const string message = "Give exactly one of editionId and isbn.";
            throw new ApiProblemException(
                StatusCodes.Status400BadRequest,
                ApiErrorCodes.ValidationFailed,
                "The request is invalid.",
                message,
                new Dictionary<string, string[]> { ["editionId"] = [message], ["isbn"] = [message] });
        }

        if (!ApiNames.TryParseMode(request.Mode, out var mode))
        {
            throw ApiProblemException.Validation("mode", $"mode is \"{ApiNames.Summary}\" or \"{ApiNames.Narration}\".");
        }

        var audioBook = new AudioBookRequest
        {
            Voice = request.Voice,
            Mode = mode,
            Chapters = CheckChapters(request.Chapters),
            SummaryWords = request.SummaryWords,
        };
        return (request.EditionId, hasIsbn ? ParseIsbn(request.Isbn!) : null, audioBook);
    }

    private static IReadOnlyList<int>? CheckChapters(IReadOnlyList<int>? chapters)
    {
        if (chapters is null)
        {
            return null;
        }

        if (chapters.Count > MaxChapters)
        {
            throw ApiProblemException.Validation("chapters", string.Create(CultureInfo.InvariantCulture, $"chapters names at most {MaxChapters} chapters."));
        }

        if (chapters.Any(n => n is < 1 or > MaxChapterNumber))
        {
            throw ApiProblemException.Validation("chapters", string.Create(CultureInfo.InvariantCulture, $"A chapter number is between 1 and {MaxChapterNumber}."));
        }

        return chapters;
    }

    internal static async Task<EditionResponse> LookupAsync(string isbn, ProcessingService processing, CancellationToken cancellationToken)
        => EditionResponse.From(await processing.LookupAsync(ParseIsbn(isbn), cancellationToken));

    private static Isbn ParseIsbn(string text)
    {
        if (Isbn.TryParse(text.AsSpan(), out var isbn, out var error))
        {
            return isbn;
        }

        // A well-formed request whose ISBN fails its checksum or shape: 422, with the reason under errors.isbn.
        throw new ApiProblemException(
            StatusCodes.Status422UnprocessableEntity,
            ErrorCodes.IsbnInvalid,
            "The ISBN is not valid.",
            error,
            new Dictionary<string, string[]> { ["isbn"] = [error] });
    }

    private static Accepted<ProcessAccepted> Accepted(ProcessingStarted started, string message)
        => TypedResults.Accepted(
            ApiRoutes.Job(started.Job.Id),
            new ProcessAccepted(started.Job.Id, started.AudioBook.Id, started.Job.Status, $"{message} Follow {ApiRoutes.Job(started.Job.Id)}."));
}
