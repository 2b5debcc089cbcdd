namespace BookBytes.Providers.Ollama.Http;

/// <summary>
/// Reads each response body into memory inside the attempt that received it. Placed inside the
/// resilience handler, the attempt's time-out and retries then cover the whole body, not only the wait
/// for the headers.
/// </summary>
internal sealed class BufferedContentHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
