namespace BookBytes.Providers.Anthropic.Http;

/// <summary>
/// Records each response's <c>Retry-After</c> (seconds or an HTTP date) in <see cref="RetryAfterCapture.Current"/>.
/// Placed outside the resilience handler, the last one recorded is that of the response the SDK turned into its exception.
/// </summary>
/// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
internal sealed class RetryAfterHandler(TimeProvider timeProvider) : DelegatingHandler
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (RetryAfterCapture.Current is { } capture)
        {
            capture.RetryAfter = Read(response);
        }

        return response;
    }

    private TimeSpan? Read(HttpResponseMessage response)
    {
        var wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (wait is not { } value)
        {
            return null;
        }

        // A hostile or broken header must not stall a caller for years, nor ask for a wait in the past.
        return value < TimeSpan.Zero ? TimeSpan.Zero : value > MaxRetryAfter ? MaxRetryAfter : value;
    }
}
