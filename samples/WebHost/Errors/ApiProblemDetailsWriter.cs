using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Errors;

/// <summary>
/// Writes problem details on <c>/api/*</c> whatever the request's <c>Accept</c> says. The framework's writer declines a
/// client that accepts only audio, an event stream or text/html, and the status-code pages then answer <c>text/plain</c>;
/// registered after it, this writer answers those requests with the same <c>application/problem+json</c> body instead,
/// customized by <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> (so it carries <c>code</c> and <c>traceId</c>).
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
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(problem, typeInfo, ContentType, httpContext.RequestAborted));
    }

    /// <summary>Tells whether a request is one of the API's, whose errors are always problem details.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see langword="true"/> under <c>/api</c>.</returns>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
