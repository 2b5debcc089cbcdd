namespace BookBytes.WebHost.Api;

/// <summary>Maps a read endpoint for GET and HEAD, so a podcast app or player can ask for a file's headers (length, type) without its bytes.</summary>
internal static class GetAndHeadRouteExtensions
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps <paramref name="handler"/> for GET and HEAD; the file results answer HEAD with the headers alone.</summary>
    /// <param name="group">The group.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The endpoint's builder. The OpenAPI document lists the GET alone (<see cref="OpenApi.ResponsesDocumentTransformer"/>).</returns>
    public static RouteHandlerBuilder MapGetAndHead(this RouteGroupBuilder group, string pattern, Delegate handler)
        => group.MapMethods(pattern, GetAndHead, handler);
}
