using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace BookBytes.WebHost.Errors;

/// <summary>
/// Two rules of <c>/api/*</c> that the framework leaves to the application. A <c>Range</c> of a unit other than bytes
/// (<c>items=0-5</c>) is removed before the endpoint sees it, so the whole representation is served, as RFC 9110 §14.2 asks
/// (the file results would read it as a byte range). And an error answered without a body — the file results' 416, which sets
/// the file's content type and so escapes the status-code pages — becomes a problem, keeping its <c>Content-Range</c>.
/// </summary>
internal sealed class ApiErrorResponsesMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ApiProblemDetailsWriter.IsApi(context.Request))
        {
            await next(context);
            return;
        }

        if (HasUnknownRangeUnit(context.Request))
        {
            context.Request.Headers.Remove(HeaderNames.Range);
            context.Request.Headers.Remove(HeaderNames.IfRange);
        }

        await next(context);

        var response = context.Response;
        if (response.HasStarted || response.StatusCode < StatusCodes.Status400BadRequest || !HasFileHeaders(response))
        {
            return;
        }

        // The headers describe the file that was not sent, not the problem that is.
        response.ContentType = null;
        response.ContentLength = null;
        response.Headers.Remove(HeaderNames.ContentDisposition);
        response.Headers.Remove(HeaderNames.ETag);
        response.Headers.Remove(HeaderNames.LastModified);
        var problem = new ProblemDetails
        {
            Status = response.StatusCode,
            Title = response.StatusCode == StatusCodes.Status416RangeNotSatisfiable ? "The range is not satisfiable." : null,
            Detail = response.StatusCode == StatusCodes.Status416RangeNotSatisfiable
                ? "No byte of the Range is inside the file; Content-Range names its length."
                : null,
        };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    // A body-less error that the status-code pages would have answered has no content type; one that set it came from a result.
    private static bool HasFileHeaders(HttpResponse response) => !string.IsNullOrEmpty(response.ContentType) && response.ContentLength is null or 0;

    private static bool HasUnknownRangeUnit(HttpRequest request)
    {
        var range = request.Headers.Range;
        return range.Count > 0 && !range.ToString().TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase);
    }
}
