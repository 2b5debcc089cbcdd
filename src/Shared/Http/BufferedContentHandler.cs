namespace BookBytes.Internal.Http;

/// <summary>
/// Reads each response body into memory inside the attempt that received it. Placed inside the
/// resilience handler, the attempt's time-out and retries then cover the whole download, not only the
/// wait for the headers (a speech response sends its headers early and streams the audio after them, and an
/// SDK may read the body after the handlers have returned).
/// </summary>
/// <remarks>
/// <para>
/// A <c>text/event-stream</c> body (a chat answer asked for as a stream) is left unread: its point is that the
/// caller reads the events as they come, and an SDK reading it as a stream fails on a buffered one (the OpenAI
/// SDK's throws "Content stream position is not at beginning of stream" when it disposes the response). Once its
/// headers have arrived, such a body is bounded by the caller's cancellation only, not by the attempt's time-out.
/// </para>
/// <para>Compiled into each HTTP adapter package.</para>
/// </remarks>
internal sealed class BufferedContentHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
