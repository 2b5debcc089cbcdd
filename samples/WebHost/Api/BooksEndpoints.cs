using BookBytes.Books;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BookBytes.WebHost.Api;

/// <summary><c>/api/v1/books</c>: ISBN lookup, start processing, refresh.</summary>
internal static class BooksEndpoints
{
    public const string PostRateLimitPolicy = "post";

    public static RouteGroupBuilder MapBooks(this RouteGroupBuilder api)
    {
        var books = api.MapGroup("/books").WithTags("Books");

        books.MapPost("/process", ProcessAsync)
            .WithName("ProcessBook")
            .WithSummary("Start an audiobook for an edition (by editionId or ISBN).")
            .WithDescription("Give exactly one of editionId and isbn. Answers 202 with the job; follow Location or /api/v1/jobs/{jobId}/events.")
            .Accepts<ProcessRequest>("application/json")
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(PostRateLimitPolicy);

        books.MapPost("/{audioBookId}/refresh", RefreshAsync)
            .WithName("RefreshAudioBook")
            .WithSummary("Redo the missing or failed chapters of an audiobook, or build a new version with force=true.")
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(PostRateLimitPolicy);

        books.MapGet("/isbn/{isbn}", LookupAsync)
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

        var started = request.EditionId is { } editionId
            ? await processing.StartProcessingAsync(editionId, request.Voice, cancellationToken)
            : await processing.StartProcessingAsync(ParseIsbn(request.Isbn!), request.Voice, cancellationToken);
        return Accepted(started, "Processing started.");
    }

    internal static async Task<Accepted<ProcessAccepted>> RefreshAsync(Guid audioBookId, RefreshRequest? request, ProcessingService processing, CancellationToken cancellationToken)
    {
        var force = request?.Force ?? false;
        var started = await processing.RefreshAsync(audioBookId, force, cancellationToken);
        return Accepted(started, force ? "A new version is being built." : "Missing and failed chapters are being redone.");
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
