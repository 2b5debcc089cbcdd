using System.Globalization;
using BookBytes.Documents;
using BookBytes.WebHost.Api;
using BookBytes.WebHost.Composition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Security;

/// <summary>
/// Caps request bodies on <c>/api/*</c> at <c>BookBytes:Host:MaxRequestBodyBytes</c> (the upload route at
/// <c>BookBytes:Documents:MaxUploadBytes</c>, a 413 <c>DOCUMENT_TOO_LARGE</c>): a declared
/// <c>Content-Length</c> above it is refused at once, and the server's own limit (Kestrel) stops
/// chunked bodies that grow past it. Both end as a 413 problem.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HostSettings> settings, IOptions<DocumentOptions> documents)
{
    private readonly long _limit = settings.Value.MaxRequestBodyBytes;

    // The upload route alone takes documents: up to BookBytes:Documents:MaxUploadBytes, plus the multipart framing.
    private readonly long _uploadLimit = documents.Value.MaxUploadBytes + EditionsEndpoints.MultipartOverheadBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (IsUpload(context.Request.Path))
        {
            if (context.Request.ContentLength > _uploadLimit)
            {
                throw new DocumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The upload is {context.Request.ContentLength} bytes; at most {documents.Value.MaxUploadBytes} are accepted ({DocumentOptions.SectionName}:MaxUploadBytes)."),
                    ErrorCodes.DocumentTooLarge);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } upload)
            {
                upload.MaxRequestBodySize = _uploadLimit;
            }
        }
        else if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
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

    // The upload route, with or without a trailing slash (routing takes both).
    private static bool IsUpload(PathString path)
        => path.Value is { } value && value.TrimEnd('/').Equals(EditionsEndpoints.UploadPath, StringComparison.OrdinalIgnoreCase);
}
