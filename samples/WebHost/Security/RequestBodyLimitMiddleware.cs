using System.Globalization;
using BookBytes.WebHost.Composition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Security;

/// <summary>
/// Caps request bodies on <c>/api/*</c> at <c>BookBytes:Host:MaxRequestBodyBytes</c>: a declared
/// <c>Content-Length</c> above it is refused at once, and the server's own limit (Kestrel) stops
/// chunked bodies that grow past it. Both end as a 413 problem.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HostSettings> settings)
{
    private readonly long _limit = settings.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            if (context.Request.ContentLength > _limit)
            {
                throw new BadHttpRequestException(
                    string.Create(CultureInfo.InvariantCulture, $"The request body is {context.Request.ContentLength} bytes; the limit is {_limit} bytes."),
                    StatusCodes.Status413PayloadTooLarge);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = _limit;
            }
        }

        return next(context);
    }
}
