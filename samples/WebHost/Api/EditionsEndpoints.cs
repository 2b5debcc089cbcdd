using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BookBytes.WebHost.Api;

/// <summary><c>POST /api/v1/books/upload</c> (a book from its own text) and <c>GET /api/v1/editions/{editionId}</c>.</summary>
internal static class EditionsEndpoints
{
    public const string UploadPath = ApiRoutes.Prefix + "/books/upload";

    /// <summary>Room for the multipart framing around the file itself.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapEditions(this RouteGroupBuilder api)
    {
        api.MapPost("/books/upload", UploadAsync)
            .WithTags("Books")
            .WithName("UploadBook")
            .WithSummary("Add a book from its own text: an EPUB, PDF, HTML, Markdown or plain-text file.")
            .WithDescription("Send multipart/form-data with a `file` field, or the raw document as the body with its media type "
                + "(application/epub+zip, application/pdf, text/html, text/markdown, text/plain). Answers 201 with the edition and its chapters "
                + "(number, title, level, kind, words); the same file again answers 200 with the same edition.")
            // No Accepts<…>(): it would make routing refuse the raw-body form (415) before the endpoint sees it.
            .Produces<EditionResponse>(StatusCodes.Status201Created)
            .Produces<EditionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .DisableAntiforgery()
            .RequireRateLimiting(BooksEndpoints.PostRateLimitPolicy);

        api.MapGetAndHead("/editions/{editionId}", GetAsync)
            .WithTags("Books")
            .WithName("GetEdition")
            .WithSummary("An edition of either kind: from a catalog lookup or from an upload.")
            .Produces<EditionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal static async Task<Results<Created<EditionResponse>, Ok<EditionResponse>>> UploadAsync(
        HttpRequest request, BookDocumentParser parser, ProcessingService processing, Microsoft.Extensions.Options.IOptions<DocumentOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxUploadBytes;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new DocumentException("A form upload must be multipart/form-data with a 'file' field, or send the document itself as the body.", ErrorCodes.UnsupportedMediaType);
        }

        var (content, mediaType) = request.HasFormContentType
            ? await ReadFormFileAsync(request, limit, cancellationToken)
            : (await ReadBoundedAsync(request.Body, limit, cancellationToken), request.ContentType);

        var document = await parser.ReadAsync(content, mediaType, cancellationToken);
        var added = await processing.AddDocumentAsync(content, document.MediaType, document.Book, cancellationToken);
        var body = EditionResponse.From(added.Edition);
        return added.Created ? TypedResults.Created(ApiRoutes.Edition(added.Edition.Id), body) : TypedResults.Ok(body);
    }

    internal static async Task<EditionResponse> GetAsync(Guid editionId, ProcessingService processing, CancellationToken cancellationToken)
        => EditionResponse.From(await processing.GetEditionAsync(editionId, cancellationToken) ?? throw new EditionNotFoundException(editionId));

    private static async Task<(ReadOnlyMemory<byte> Content, string? MediaType)> ReadFormFileAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            // The form reader's own limits follow the upload limit (its default caps a part at 128 MiB).
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + MultipartOverheadBytes }, cancellationToken);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(limit + 1, limit);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new DocumentException($"The upload is over {limit} bytes ({DocumentOptions.SectionName}:MaxUploadBytes).", ErrorCodes.DocumentTooLarge, ex);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid("file", "The multipart body could not be read: " + ex.Message);
        }

        var file = form.Files.GetFile("file") ?? throw Invalid("file", "Send the document in a form field named 'file'.");
        if (file.Length > limit)
        {
            throw TooLarge(file.Length, limit);
        }

        await using var stream = file.OpenReadStream();
        var content = await ReadBoundedAsync(stream, limit, cancellationToken);
        return (content, TypeOf(file));
    }

    // The part's own type, unless it is the generic one browsers send for unknown files: then the file name's
    // extension hints (the name is never used for anything else), and sniffing decides in the end.
    private static string? TypeOf(IFormFile file)
    {
        if (!string.IsNullOrWhiteSpace(file.ContentType) && !file.ContentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return file.ContentType;
        }

        return Path.GetExtension(file.FileName).ToLowerInvariant() switch
        {
            ".epub" => "application/epub+zip",
            ".pdf" => "application/pdf",
            ".html" or ".htm" or ".xhtml" => "text/html",
            ".md" or ".markdown" => "text/markdown",
            ".txt" => "text/plain",
            _ => null,
        };
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await ReadChunkAsync(body, chunk, limit, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(buffer.Length + read, limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    // The server's own cap (set by the body-limit middleware) ends a chunked body that grows too long: a document error here.
    private static async Task<int> ReadChunkAsync(Stream body, byte[] chunk, long limit, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(chunk, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new DocumentException($"The upload is over {limit} bytes ({DocumentOptions.SectionName}:MaxUploadBytes).", ErrorCodes.DocumentTooLarge, ex);
        }
    }

    private static DocumentException TooLarge(long bytes, long limit)
        => new($"The document has more than {limit} bytes ({bytes} so far); at most {limit} are accepted ({DocumentOptions.SectionName}:MaxUploadBytes).", ErrorCodes.DocumentTooLarge);

    private static ApiProblemException Invalid(string field, string message)
        => new(StatusCodes.Status400BadRequest, ApiErrorCodes.ValidationFailed, "The request is invalid.", message, new Dictionary<string, string[]> { [field] = [message] });
}
