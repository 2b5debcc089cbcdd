namespace BookBytes.Providers.Anthropic.Http;

/// <summary>
/// The <c>Retry-After</c> of the last response a call received. The Anthropic SDK's exceptions carry the status and
/// the body but not the headers, so <see cref="RetryAfterHandler"/> records the header here, in a holder the chat
/// client opens for the call and that flows down to the handler with the call's execution context.
/// </summary>
internal sealed class RetryAfterCapture
{
    private static readonly AsyncLocal<RetryAfterCapture?> CurrentCapture = new();

    /// <summary>Gets the holder of the call in progress on this flow, if a chat client opened one.</summary>
    public static RetryAfterCapture? Current => CurrentCapture.Value;

    /// <summary>Gets or sets the wait the last response asked for, <see langword="null"/> when it asked for none.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Opens a holder for the calls made from here on in this flow.</summary>
    public static RetryAfterCapture Begin()
    {
        var capture = new RetryAfterCapture();
        CurrentCapture.Value = capture;
        return capture;
    }
}
