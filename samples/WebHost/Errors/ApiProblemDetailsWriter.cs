using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Errors;

/// <summary>
/// Writes problem details on <c>/api/*</c> whatever the request's <c>Accept</c> says. The framework's writer declines a
/// client that accepts only audio, an event stream or text/html, and the status-code pages then answer <c>text/plain</c>;
/// registered before it, this writer answers every API request with an <c>application/problem+json</c> body, customized by
/// <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> (so it carries <c>code</c> and <c>traceId</c>). A HEAD gets the
/// status and headers alone.
/// </summary>
internal sealed class ApiProblemDetailsWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => IsApi(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var httpContext = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= httpContext.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            httpContext.Response.ContentType = ContentType;
            return ValueTask.CompletedTask;
        }

        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(problem, typeInfo, ContentType, httpContext.RequestAborted));
    }

    /// <summary>Tells whether a request is one of the API's, whose errors are always problem details.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see langword="true"/> under <c>/api</c>.</returns>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
