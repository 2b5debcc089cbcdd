using System.Net;
using System.Reflection;
using System.Text.Json;

namespace BookBytes.Providers.ExtensionsAI;

/// <summary>
/// Turns what an arbitrary Microsoft.Extensions.AI client throws into a <see cref="ProviderException"/>.
/// Provider packages translate their own SDK's errors first (with the settings to fix); this is the
/// fallback for clients an application brings, judged by the HTTP status the exception carries.
/// </summary>
internal static class ClientErrors
{
    /// <summary>Tells whether <paramref name="exception"/> is a failure of the call, not the caller's cancellation.</summary>
    public static bool IsCallFailure(Exception exception, CancellationToken cancellationToken)
        => exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    /// <summary>Builds the exception to throw for a failed call.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="operation">What was being done, for example <c>Speech synthesis</c>.</param>
    /// <param name="model">The model or client asked, named in the message.</param>
    public static ProviderException Map(Exception exception, string operation, string model)
    {
        var status = StatusOf(exception);
        var message = $"{operation} with '{model}' failed" + (status is int s ? $" with HTTP {s}" : string.Empty) + ": " + exception.Message;
        return status switch
        {
            401 or 403 => new ProviderConfigurationException(
                $"{operation} with '{model}' was refused with HTTP {status}: the client's credentials are missing, wrong or lack access.")
            {
                StatusCode = status,
            },
            408 or 409 or 429 or >= 500 => new ProviderException(message, isTransient: true, exception) { StatusCode = status },
            >= 400 => new ProviderException(message, isTransient: false, exception) { StatusCode = status },
            _ => new ProviderException(message, IsTransient(exception), exception) { StatusCode = status },
        };
    }

    // Without a status: the network, a time-out or a garbled body may go away; a misuse of the client will not.
    private static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException or IOException or TimeoutException or OperationCanceledException or JsonException => true,
        ArgumentException or InvalidOperationException or NotSupportedException or NotImplementedException => false,
        _ => true,
    };

    /// <summary>
    /// The HTTP status an exception carries: <see cref="HttpRequestException.StatusCode"/>, or a public
    /// <c>Status</c> or <c>StatusCode</c> property (<c>System.ClientModel.ClientResultException</c>, the
    /// Anthropic SDK's exceptions), looked for on the exception and its inner ones.
    /// </summary>
    private static int? StatusOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { StatusCode: { } httpStatus })
            {
                return (int)httpStatus;
            }

            foreach (var name in (ReadOnlySpan<string>)["StatusCode", "Status"])
            {
                var value = current.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(current);
                switch (value)
                {
                    case HttpStatusCode code:
                        return (int)code;
                    case int number when number is >= 100 and <= 599:
                        return number;
                }
            }
        }

        return null;
    }
}
