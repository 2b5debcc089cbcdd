using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Polly;

namespace BookBytes.Providers.OpenAI;

/// <summary>Turns failures of the OpenAI SDK and of the HTTP stack into BookBytes provider exceptions.</summary>
internal static class OpenAiErrors
{
    private const int MaxApiMessageLength = 500;

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>Tells whether <paramref name="exception"/> is a call failure to translate, not the caller's cancellation.</summary>
    public static bool IsCallFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        ClientResultException or HttpRequestException or ExecutionRejectedException or IOException => true,
        _ => false,
    };

    /// <summary>Builds the exception to throw for a call failure.</summary>
    /// <param name="exception">The failure, for which <see cref="IsCallFailure"/> returned <see langword="true"/>.</param>
    /// <param name="operation">What was being done, for example <c>Chat completion</c>.</param>
    /// <param name="endpoint">The endpoint called, named in messages (it holds no secret).</param>
    /// <param name="modelKey">The configuration key of the model used, named when the server does not know the model.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
    public static ProviderException Map(Exception exception, string operation, Uri endpoint, string modelKey, TimeProvider timeProvider)
    {
        if (exception is ClientResultException { Status: > 0 } result)
        {
            return FromStatus(result, operation, endpoint, modelKey, timeProvider);
        }

        var what = exception switch
        {
            Polly.Timeout.TimeoutRejectedException => "timed out",
            ExecutionRejectedException => "was refused by the resilience pipeline (circuit open or too many calls)",
            OperationCanceledException => "timed out",
            _ => "failed: " + Innermost(exception).Message,
        };
        return new ProviderException($"{operation} at {endpoint} {what}", isTransient: true, exception)
        {
            // An open circuit closes again after its break: a caller that waits that long is let through.
            RetryAfter = exception is Polly.CircuitBreaker.BrokenCircuitException ? Internal.Http.AdapterResilience.BreakDuration : null,
        };
    }

    private static ProviderException FromStatus(ClientResultException exception, string operation, Uri endpoint, string modelKey, TimeProvider timeProvider)
    {
        var status = exception.Status;
        if (status is 401 or 403)
        {
            // The response body may echo part of the key ("Incorrect API key provided: sk-...abcd"), so
            // neither it nor the SDK exception (whose message holds the body) is passed on.
            return new ProviderConfigurationException(
                $"{operation} at {endpoint} was refused with HTTP {status}: the API key is missing, wrong or lacks access. "
                + $"Check {OpenAiOptions.SectionName}:ApiKey (and {OpenAiOptions.SectionName}:Endpoint).")
            {
                StatusCode = status,
            };
        }

        var apiMessage = ApiMessage(exception);
        if (status is 408 or 409 or 429 or >= 500)
        {
            return new ProviderException($"{operation} at {endpoint} failed with HTTP {status}: {apiMessage}", isTransient: true, exception)
            {
                StatusCode = status,
                RetryAfter = RetryAfter(exception, status, timeProvider),
            };
        }

        var hint = status == 404 ? $" Check {modelKey} and {OpenAiOptions.SectionName}:Endpoint." : string.Empty;
        return new ProviderException($"{operation} at {endpoint} was rejected with HTTP {status}: {apiMessage}{hint}", isTransient: false, exception)
        {
            StatusCode = status,
        };
    }

    private static string ApiMessage(ClientResultException exception)
    {
        var content = exception.GetRawResponse()?.Content;
        if (content is not null && content.ToMemory().Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(content.ToMemory());
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object
                        && error.TryGetProperty("message", out var message)
                        && message.ValueKind == JsonValueKind.String)
                    {
                        return Shorten(message.GetString()!);
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return Shorten(error.GetString()!);
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall through to the raw text.
            }

            return Shorten(content.ToString());
        }

        return exception.GetRawResponse()?.ReasonPhrase is { Length: > 0 } reason ? reason : "no error message";
    }

    private static TimeSpan? RetryAfter(ClientResultException exception, int status, TimeProvider timeProvider)
    {
        var headers = exception.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return Bounded(milliseconds / 1000);
        }

        if (headers.TryGetValue("Retry-After", out var value) && !string.IsNullOrWhiteSpace(value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return Bounded(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - timeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (status != 429)
        {
            return null;
        }

        // OpenAI's own headers say when a budget refills, as "1s", "6m0s" or "20ms". They come on every answer, and a
        // budget only partly spent refills too: only the budget that is exhausted (its remaining count 0) says how long to wait.
        TimeSpan? reset = null;
        foreach (var budget in (string[])["requests", "tokens"])
        {
            if (headers.TryGetValue("x-ratelimit-remaining-" + budget, out var remaining) && remaining?.Trim() == "0"
                && headers.TryGetValue("x-ratelimit-reset-" + budget, out var text) && ParseGoDuration(text) is { } duration
                && (reset is null || duration > reset))
            {
                reset = duration;
            }
        }

        return reset;
    }

    /// <summary>Reads a duration written like <c>1h2m3.5s</c>, <c>6m0s</c> or <c>20ms</c>; <see langword="null"/> when it is not one.</summary>
    internal static TimeSpan? ParseGoDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return null;
        }

        var total = 0.0;
        var span = text.AsSpan().Trim();
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var units = digits;
            while (units < span.Length && char.IsAsciiLetter(span[units]))
            {
                units++;
            }

            if (digits == 0 || units == digits || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var seconds = span[digits..units] switch
            {
                "h" => 3600.0,
                "m" => 60.0,
                "s" => 1.0,
                "ms" => 0.001,
                _ => double.NaN,
            };
            if (double.IsNaN(seconds))
            {
                return null;
            }

            total += number * seconds;
            span = span[units..];
        }

        return Bounded(total);
    }

    /// <summary>A wait a server asked for, cut to a day: a hostile or broken header must not overflow or stall a caller for years.</summary>
    private static TimeSpan Bounded(double seconds) => seconds >= MaxRetryAfter.TotalSeconds ? MaxRetryAfter : TimeSpan.FromSeconds(seconds);

        private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= MaxApiMessageLength ? text : string.Concat(text.AsSpan(0, MaxApiMessageLength), "…");
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
