using System.Text.Json;
using BookBytes.Providers.Ollama.Http;
using OllamaSharp.Models.Exceptions;
using Polly;

namespace BookBytes.Providers.Ollama;

/// <summary>Turns failures of OllamaSharp and of the HTTP stack into BookBytes provider exceptions naming the endpoint and the key to fix.</summary>
internal static class OllamaErrors
{
    private const string ModelKey = OllamaOptions.SectionName + ":Model";
    private const string EndpointKey = OllamaOptions.SectionName + ":Endpoint";

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>Tells whether <paramref name="exception"/> is a call failure to translate, not the caller's cancellation.</summary>
    public static bool IsCallFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        // InvalidOperationException: OllamaSharp's answer for a body without a "done": true line (an error object
        // in a 200, a cut-off stream).
        HttpRequestException or OllamaException or ExecutionRejectedException or IOException or JsonException or InvalidOperationException => true,
        _ => false,
    };

    /// <summary>Builds the exception to throw for a call failure.</summary>
    /// <param name="exception">The failure, for which <see cref="IsCallFailure"/> returned <see langword="true"/>.</param>
    /// <param name="operation">What was being done, for example <c>Chat (book_outline)</c>.</param>
    /// <param name="endpoint">The Ollama server called.</param>
    /// <param name="model">The model asked, named in messages.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
    public static ProviderException Map(Exception exception, string operation, Uri endpoint, string model, TimeProvider timeProvider)
    {
        var at = $"{operation} with model '{model}' at {endpoint}";
        switch (exception)
        {
            case HttpRequestException { StatusCode: { } status } http:
                return FromStatus(http, (int)status, at, timeProvider);

            case HttpRequestException:
                return new ProviderException(
                    $"{at} failed: Ollama is not reachable at {endpoint} ({Innermost(exception).Message}). "
                    + $"Start it (`ollama serve`) or check {EndpointKey}.",
                    isTransient: true,
                    exception);

            case Polly.CircuitBreaker.BrokenCircuitException:
                // An open circuit closes again after its break: a caller that waits that long is let through.
                return new ProviderException($"{at} was refused: the circuit is open after repeated failures", isTransient: true, exception)
                {
                    RetryAfter = Internal.Http.AdapterResilience.BreakDuration,
                };

            case Polly.Timeout.TimeoutRejectedException or OperationCanceledException:
                return new ProviderException($"{at} timed out; a slow local model may need a longer {OllamaOptions.SectionName}:Timeout", isTransient: true, exception);

            case ExecutionRejectedException:
                return new ProviderException($"{at} was refused by the resilience pipeline", isTransient: true, exception);

            case ResponseError:
                // An error line in a successful answer: the model runner failed while answering, which may not happen again.
                return new ProviderException($"{at} failed while answering: {exception.Message}", isTransient: true, exception);

            case OllamaException:
                // OllamaSharp's own 400 (a request the server will not take, as sent): asking again will not help.
                return new ProviderException($"{at} was rejected: {exception.Message}", isTransient: false, exception) { StatusCode = 400 };

            case InvalidOperationException:
                return new ProviderResponseException($"{at}: the answer is incomplete: {exception.Message}", isTransient: true, exception);

            case JsonException:
                return new ProviderResponseException($"{at}: the response body is not an Ollama chat answer: {exception.Message}", isTransient: true, exception);

            default:
                return new ProviderException($"{at} failed: {Innermost(exception).Message}", isTransient: true, exception);
        }
    }

    private static ProviderException FromStatus(HttpRequestException exception, int status, string at, TimeProvider timeProvider)
    {
        var apiMessage = exception is OllamaHttpException ollama ? ollama.ApiMessage : exception.Message;
        if (status is 408 or 409 or 429 or >= 500)
        {
            return new ProviderException($"{at} failed with HTTP {status}: {apiMessage}", isTransient: true, exception)
            {
                StatusCode = status,
                RetryAfter = RetryAfter(exception as OllamaHttpException, timeProvider),
            };
        }

        var hint = status == 404
            ? $" Check {ModelKey} (is it pulled? `ollama pull <model>`) and {EndpointKey}."
            : string.Empty;
        return new ProviderException($"{at} was rejected with HTTP {status}: {apiMessage}.{hint}", isTransient: false, exception)
        {
            StatusCode = status,
        };
    }

    private static TimeSpan? RetryAfter(OllamaHttpException? exception, TimeProvider timeProvider)
    {
        if (exception?.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta > MaxRetryAfter ? MaxRetryAfter : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
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
