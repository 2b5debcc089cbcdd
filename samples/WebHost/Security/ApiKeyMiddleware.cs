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

    public ApiKeyMiddleware(RequestDelegate next, IOptions<HostSettings> settings)
    {
        _next = next;
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

        throw new ApiProblemException(
            StatusCodes.Status401Unauthorized,
            ApiErrorCodes.Unauthorized,
            "An API key is required.",
            $"Send a valid key in the {HeaderName} header.");
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
