using System.Net.Http;
using System.Text.Json;
using Anthropic.Exceptions;
using Polly;

namespace BookBytes.Providers.Anthropic;

/// <summary>Turns failures of the Anthropic SDK and of the HTTP stack into BookBytes provider exceptions.</summary>
internal static class AnthropicErrors
{
    private const int MaxApiMessageLength = 500;

    private const string ApiKeyKey = AnthropicOptions.SectionName + ":ApiKey";
    private const string EndpointKey = AnthropicOptions.SectionName + ":Endpoint";
    private const string ModelKey = AnthropicOptions.SectionName + ":Model";

    /// <summary>Tells whether <paramref name="exception"/> is a call failure to translate, not the caller's cancellation.</summary>
    public static bool IsCallFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AnthropicException or HttpRequestException or ExecutionRejectedException or IOException or JsonException => true,
        _ => false,
    };

    /// <summary>Builds the exception to throw for a call failure.</summary>
    /// <param name="exception">The failure, for which <see cref="IsCallFailure"/> returned <see langword="true"/>.</param>
    /// <param name="operation">What was being done, for example <c>Chat completion (book_outline)</c>.</param>
    /// <param name="endpoint">The endpoint called, named in messages (it holds no secret).</param>
    /// <param name="retryAfter">The <c>Retry-After</c> of the last response, if it had one.</param>
    public static ProviderException Map(Exception exception, string operation, Uri endpoint, TimeSpan? retryAfter)
    {
        if (exception is AnthropicApiException api)
        {
            return FromStatus(api, (int)api.StatusCode, operation, endpoint, retryAfter);
        }

        if (exception is JsonException or AnthropicInvalidDataException)
        {
            return new ProviderResponseException($"{operation} at {endpoint}: the response body is not a Messages API answer: {exception.Message}", isTransient: true, exception);
        }

        var rejection = Find<ExecutionRejectedException>(exception);
        var what = rejection switch
        {
            Polly.Timeout.TimeoutRejectedException => "timed out",
            Polly.CircuitBreaker.BrokenCircuitException => "was refused by the circuit breaker (the endpoint failed repeatedly)",
            not null => "was refused by the resilience pipeline",
            null when exception is OperationCanceledException => "timed out",
            _ => "failed: " + Innermost(exception).Message,
        };
        return new ProviderException($"{operation} at {endpoint} {what}", isTransient: true, exception)
        {
            // An open circuit closes again after its break: a caller that waits that long is let through.
            RetryAfter = rejection is Polly.CircuitBreaker.BrokenCircuitException ? Internal.Http.AdapterResilience.BreakDuration : null,
        };
    }

    private static ProviderException FromStatus(AnthropicApiException exception, int status, string operation, Uri endpoint, TimeSpan? retryAfter)
    {
        if (status is 401 or 403)
        {
            // The body may echo part of the key, so neither it nor the SDK exception (which holds it) is passed on.
            return new ProviderConfigurationException(
                $"{operation} at {endpoint} was refused with HTTP {status}: the API key is missing, wrong or lacks access. "
                + $"Check {ApiKeyKey} (and {EndpointKey}).")
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
                RetryAfter = retryAfter,
            };
        }

        var hint = status == 404 ? $" Check {ModelKey} and {EndpointKey}." : string.Empty;
        return new ProviderException($"{operation} at {endpoint} was rejected with HTTP {status}: {apiMessage}{hint}", isTransient: false, exception)
        {
            StatusCode = status,
        };
    }

    private static string ApiMessage(AnthropicApiException exception)
    {
        string? message;
        try
        {
            message = exception.ApiMessage;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or AnthropicException)
        {
            // A body that is not Anthropic's error shape: fall back to the raw text below.
            message = null;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            message = exception.ResponseBody;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return "no error message";
        }

        message = message.Trim();
        return message.Length <= MaxApiMessageLength ? message : string.Concat(message.AsSpan(0, MaxApiMessageLength), "…");
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
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
