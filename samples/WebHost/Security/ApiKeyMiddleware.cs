using System.Security.Cryptography;
using System.Text;
using BookBytes.WebHost.Composition;
using BookBytes.WebHost.Errors;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Security;

/// <summary>
/// Requires a configured key in <c>X-Api-Key</c> on <c>/api/*</c> when <c>BookBytes:Host:ApiKeys</c>
/// holds any. Keys are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the content nor the length of a key leaks through timing.
/// </summary>
internal sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <see cref="HttpContext.Items"/> key set when the request carried an accepted key (the rate limiter partitions by it).</summary>
    public const string AcceptedKeyItem = "BookBytes.ApiKey";

    private readonly RequestDelegate _next;
    private readonly byte[][] _keyDigests;
    private readonly FeedTokens _tokens;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<HostSettings> settings, FeedTokens tokens)
    {
        _next = next;
        _tokens = tokens;
        _keyDigests = [.. settings.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Digest)];
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_keyDigests.Length == 0 || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }

        var presented = context.Request.Headers[HeaderName].ToString();
        if (presented.Length > 0 && Matches(Digest(presented)))
        {
            context.Items[AcceptedKeyItem] = presented;
            return _next(context);
        }

        if (context.Request.Query.TryGetValue(FeedTokens.QueryName, out var token) && FeedRequestFor(context.Request) is { } audioBookId)
        {
            // A podcast app reading an audiobook's feed or what it links to: the audiobook's token stands in for the header.
            if (token.Count == 1 && _tokens.Verify(audioBookId, token.ToString()))
            {
                return _next(context);
            }

            throw new ApiProblemException(StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized, "The feed token is not valid.", "The token does not belong to this audiobook, or the feed secret was rotated; copy the feed URL again.");
        }

        throw new ApiProblemException(
            StatusCodes.Status401Unauthorized,
            ApiErrorCodes.Unauthorized,
            "An API key is required.",
            $"Send a valid key in the {HeaderName} header.");
    }

    /// <summary>The audiobook of a GET or HEAD a feed token may authorize: its feed, packaged audio, cover, chapter audio and transcripts.</summary>
    private static Guid? FeedRequestFor(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 5 || segments[0] != "api" || segments[1] != "v1" || segments[2] != "audiobooks" || !Guid.TryParse(segments[3], out var id))
        {
            return null;
        }

        var allowed = segments.Length switch
        {
            5 => segments[4] is "feed.xml" or "audio" or "cover",
            7 => segments[4] == "chapters" && int.TryParse(segments[5], out _) && segments[6] is "audio" or "transcript.vtt",
            _ => false,
        };
        return allowed ? id : null;
    }

    private bool Matches(byte[] digest)
    {
        var match = false;
        foreach (var key in _keyDigests)
        {
            // No early exit: every key is compared, so timing does not tell which one matched.
            match |= CryptographicOperations.FixedTimeEquals(key, digest);
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
