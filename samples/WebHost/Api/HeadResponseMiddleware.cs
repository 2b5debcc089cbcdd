namespace BookBytes.WebHost.Api;

/// <summary>
/// Answers <c>HEAD</c> on the JSON read endpoints (mapped with <see cref="GetAndHeadRouteExtensions.MapGetAndHead"/>) with the
/// headers a <c>GET</c> would get and no body: the JSON is written to a buffer, its length becomes <c>Content-Length</c>, and
/// nothing is sent. File results already answer <c>HEAD</c> without a body; their length is left as they set it. The JSON
/// answers are small (a page is at most 100 items), so the buffer is bounded.
/// </summary>
internal sealed class HeadResponseMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method) || !context.Request.Path.StartsWithSegments(ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var body = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        if (!context.Response.HasStarted && context.Response.ContentLength is null && buffer.Length > 0)
        {
            context.Response.ContentLength = buffer.Length;
        }
    }
}
