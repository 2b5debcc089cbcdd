using System.Security.Cryptography;
using System.Text;
using BookBytes.WebHost.Composition;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Security;

/// <summary>
/// The per-audiobook tokens that let podcast apps — which cannot send an <c>X-Api-Key</c> header — read an audiobook's feed,
/// audio, transcripts and cover when the host requires API keys. A token is an HMAC-SHA256 of the audiobook id under
/// <c>BookBytes:Host:FeedSecret</c>: verified without being stored, and every token is revoked by rotating the secret.
/// </summary>
internal sealed class FeedTokens
{
    /// <summary>The query parameter that carries the token.</summary>
    public const string QueryName = "token";

    private readonly byte[]? _key;

    public FeedTokens(IOptions<HostSettings> settings)
    {
        var secret = settings.Value.FeedSecret;
        _key = string.IsNullOrEmpty(secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        Required = KeysRequired(settings.Value.ApiKeys);
    }

    /// <summary>Gets a value indicating whether the API needs keys, so URLs handed to podcast apps need a token.</summary>
    public bool Required { get; }

    /// <summary>Gets a value indicating whether tokens can be made: a feed secret is configured.</summary>
    public bool Available => _key is not null;

    /// <summary>
    /// Tells whether podcast apps are locked out of private feeds: the API needs keys, which they cannot send, and no feed
    /// secret is set, so feed, audio, transcript and cover URLs carry no token. Decided from the raw settings, so the host can
    /// say so at start-up before its options are validated.
    /// </summary>
    /// <param name="apiKeys">The configured API keys (<c>BookBytes:Host:ApiKeys</c>).</param>
    /// <param name="feedSecret">The configured feed secret (<c>BookBytes:Host:FeedSecret</c>).</param>
    /// <returns><see langword="true"/> when a feed secret is needed and missing.</returns>
    public static bool FeedsLockedOut(IEnumerable<string?>? apiKeys, string? feedSecret) => KeysRequired(apiKeys) && string.IsNullOrEmpty(feedSecret);

    /// <summary>Makes the token of an audiobook.</summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <returns>The token (URL-safe), or <see langword="null"/> when no feed secret is configured.</returns>
    public string? For(Guid audioBookId) => _key is null ? null : Base64UrlEncode(Mac(_key, audioBookId));

    /// <summary>Checks a token in constant time.</summary>
    /// <param name="audioBookId">The audiobook the request is for.</param>
    /// <param name="token">The token presented.</param>
    /// <returns><see langword="true"/> when it is the audiobook's token under the current secret.</returns>
    public bool Verify(Guid audioBookId, string token)
    {
        if (_key is null || token.Length is 0 or > 64)
        {
            return false;
        }

        var presented = new byte[48];
        return Convert.TryFromBase64String(FromBase64Url(token), presented, out var written)
            && CryptographicOperations.FixedTimeEquals(presented.AsSpan(0, written), Mac(_key, audioBookId));
    }

    /// <summary>Adds the audiobook's token to a host URL, when the API needs keys and tokens can be made.</summary>
    /// <param name="url">The URL (a path, or absolute).</param>
    /// <param name="audioBookId">The audiobook.</param>
    /// <returns>The URL, with <c>token=</c> added when needed.</returns>
    public string Sign(string url, Guid audioBookId)
        => Required && For(audioBookId) is { } token ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + QueryName + "=" + token : url;

    private static bool KeysRequired(IEnumerable<string?>? apiKeys) => apiKeys?.Any(k => !string.IsNullOrWhiteSpace(k)) == true;

    // 128 bits of the MAC: short enough for a URL, far beyond guessing.
    private static byte[] Mac(byte[] key, Guid audioBookId)
        => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"bookbytes-feed:v1:{audioBookId:D}"))[..16];

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }
}
