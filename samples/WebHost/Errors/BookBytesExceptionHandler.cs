using System.Text.Json;
using System.Text.RegularExpressions;
using BookBytes.AudioBooks;
using BookBytes.Jobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BookBytes.WebHost.Errors;

/// <summary>
/// The one place where exceptions become RFC 9457 problem details: the library's
/// <see cref="BookBytesException"/> codes, the host's own <see cref="ApiProblemException"/>, and request
/// errors of ASP.NET Core itself (bad JSON, wrong types, oversized bodies). Anything else is a 500 that
/// does not echo the exception's message.
/// </summary>
internal sealed partial class BookBytesExceptionHandler(IProblemDetailsService problemDetails, ILogger<BookBytesExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var problem = Map(exception);
        if (problem.Status >= StatusCodes.Status500InternalServerError && exception is not (BookBytesException or ApiProblemException))
        {
            LogServerError(logger, problem.Status ?? 500, exception);
        }
        else if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            // A known failure of a dependency or of configuration: its message says it all.
            LogDependencyError(logger, problem.Status ?? 500, exception.Message);
        }
        else
        {
            LogClientError(logger, problem.Status ?? 400, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }))
        {
            return true;
        }

        // The writer declines when the client's Accept names no JSON (an event stream, audio, a browser's
        // text/html): answer with the problem anyway rather than let the framework turn it into a bare 500.
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? httpContext.TraceIdentifier;
        await httpContext.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    internal static ProblemDetails Map(Exception exception) => exception switch
    {
        ApiProblemException api => Problem(api.Status, api.Code, api.Title, api.Detail, api.Errors),
        AudioBookExistsException exists => WithActiveJob(
            WithExtension(
                Problem(StatusCodes.Status409Conflict, exists.ErrorCode, "The edition already has an audiobook in this mode.", exists.Message),
                "audioBookId",
                exists.ExistingAudioBookId),
            exists.ActiveJobId),
        JobInProgressException busy => WithExtension(
            WithExtension(Problem(StatusCodes.Status409Conflict, busy.ErrorCode, "A job for the audiobook is pending or processing.", busy.Message), "audioBookId", busy.AudioBookId),
            "jobId",
            busy.JobId),
        BookBytesException known => FromCode(known),
        // The library's argument checks of request values (voice, paging, what to make) are the request's validation errors.
        ArgumentException { ParamName: "voice" or "page" or "pageSize" or "mode" or "chapters" or "summaryWords" } invalid => Problem(
            StatusCodes.Status400BadRequest,
            ApiErrorCodes.ValidationFailed,
            "The request is invalid.",
            WithoutParameterSuffix(invalid),
            new Dictionary<string, string[]> { [invalid.ParamName!] = [WithoutParameterSuffix(invalid)] }),
        BadHttpRequestException bad => FromBadRequest(bad),
        System.Data.Common.DbException => Problem(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.StoreUnavailable, "The job store is unavailable; try again later.", null),
        _ => Problem(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "An unexpected error occurred.", null),
    };

    private const string ProvidersHint = HostLog.ProviderSettings;

    private static ProblemDetails FromCode(BookBytesException exception)
    {
        var (status, title) = exception.ErrorCode switch
        {
            ErrorCodes.IsbnInvalid => (StatusCodes.Status422UnprocessableEntity, "The ISBN is not valid."),
            ErrorCodes.VoiceUnknown => (StatusCodes.Status400BadRequest, "The text-to-speech provider has no such voice."),
            ErrorCodes.DocumentInvalid => (StatusCodes.Status422UnprocessableEntity, "The document cannot be read."),
            ErrorCodes.DocumentEncrypted => (StatusCodes.Status422UnprocessableEntity, "The document is encrypted (DRM) and cannot be read."),
            ErrorCodes.DocumentTooLarge => (StatusCodes.Status413PayloadTooLarge, "The document is over a limit."),
            ErrorCodes.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, "Documents of this type cannot be read."),
            // The library's message says what to do instead (upload the book's file).
            ErrorCodes.TextRequired => (StatusCodes.Status422UnprocessableEntity, "This needs the book's text, and the edition has none."),
            ErrorCodes.EditionNotFound => (StatusCodes.Status404NotFound, "The edition was not found."),
            ErrorCodes.BookNotFound => (StatusCodes.Status404NotFound, "The catalog does not know the book."),
            ErrorCodes.JobNotFound => (StatusCodes.Status404NotFound, "The job was not found."),
            ErrorCodes.AudioBookNotFound => (StatusCodes.Status404NotFound, "The audiobook was not found."),
            ErrorCodes.AudioBookExists or ErrorCodes.JobInProgress => (StatusCodes.Status409Conflict, "The request conflicts with existing work."),
            ErrorCodes.AudioNotReady => (StatusCodes.Status409Conflict, "The audiobook has no stored chapter yet."),
            ErrorCodes.JobEnded => (StatusCodes.Status409Conflict, "The job has already ended."),
            // The catalog is an upstream service: its failures are a bad gateway, whether it was unreachable or answered nonsense.
            ErrorCodes.CatalogUnavailable => (StatusCodes.Status502BadGateway, "The book catalog is unavailable."),
            ErrorCodes.CatalogInvalidResponse => (StatusCodes.Status502BadGateway, "The book catalog gave an invalid answer."),
            ErrorCodes.ProviderNotConfigured => (StatusCodes.Status503ServiceUnavailable, "A provider this request needs is not configured."),
            _ when exception.IsTransient => (StatusCodes.Status503ServiceUnavailable, "A dependency is unavailable; try again later."),
            _ => (StatusCodes.Status500InternalServerError, "The request failed."),
        };

        // Messages of the catalog and of missing providers are written for the caller (they name the upstream
        // or the settings); others (storage paths, bucket names, endpoints) stay in the server log.
        var speaks = status < StatusCodes.Status500InternalServerError
            || exception.ErrorCode is ErrorCodes.CatalogUnavailable or ErrorCodes.CatalogInvalidResponse or ErrorCodes.ProviderNotConfigured;
        var detail = !speaks ? "The server log has the details (see traceId)."
            // The library names the missing contract; this host knows which settings provide it.
            : exception.ErrorCode == ErrorCodes.ProviderNotConfigured ? exception.Message + " " + ProvidersHint
            : exception.Message;
        return Problem(status, exception.ErrorCode, title, detail);
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(status, ApiErrorCodes.RequestTooLarge, "The request body is too large.", exception.Message);
        }

        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            return Problem(status, ApiErrorCodes.UnsupportedMediaType, "The request body must be JSON (application/json).", exception.Message);
        }

        string field;
        string message;
        if (exception.InnerException is JsonException json)
        {
            field = JsonField(json.Path);
            // A conversion failure names a CLR type; say which field instead. Syntax errors keep the reader's
            // message: it says where (path, line, byte) without echoing values.
            message = !json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? json.Message
                : field == "body" ? "The request body must be a JSON object."
                : $"The value of '{field}' has the wrong type (line {json.LineNumber}, byte {json.BytePositionInLine}).";
        }
        else
        {
            var match = ParameterName().Match(exception.Message);
            field = match.Success ? match.Groups["name"].Value : "request";
            message = exception.Message;
        }

        return Problem(
            StatusCodes.Status400BadRequest,
            ApiErrorCodes.ValidationFailed,
            "The request is invalid.",
            message,
            new Dictionary<string, string[]> { [field] = [message] });
    }

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // An element of an array field ("chapters[3]") is reported under the field.
        var index = trimmed.IndexOf('[', StringComparison.Ordinal);
        trimmed = index >= 0 ? trimmed[..index] : trimmed;
        return trimmed.Length == 0 ? "body" : char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }

    private static string WithoutParameterSuffix(ArgumentException exception)
    {
        // ArgumentOutOfRangeException adds "Actual value was …" on a line of its own.
        var message = exception.Message.Split('\n')[0];
        return message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
    }

    private static ProblemDetails Problem(int status, string code, string title, string? detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails WithExtension(ProblemDetails problem, string name, object value)
    {
        problem.Extensions[name] = value;
        return problem;
    }

    // A duplicate request for a book still being made names its job, so the client can watch it.
    private static ProblemDetails WithActiveJob(ProblemDetails problem, Guid? jobId)
        => jobId is { } id ? WithExtension(problem, "jobId", id) : problem;

    [GeneratedRegex("parameter \"[^\"]*? (?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [LoggerMessage(1, LogLevel.Error, "Request failed with {Status}")]
    private static partial void LogServerError(ILogger logger, int status, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Request failed with {Status}: {Reason}")]
    private static partial void LogDependencyError(ILogger logger, int status, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Request rejected with {Status}: {Reason}")]
    private static partial void LogClientError(ILogger logger, int status, string reason);
}
