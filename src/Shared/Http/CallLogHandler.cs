using System.Net;
using Microsoft.Extensions.Logging;

namespace BookBytes.Internal.Http;

/// <summary>
/// Outside the resilience handler, so it sees each call once, after its retries: logs at Debug the client, method, host
/// and path with the outcome (the status, or the exception's type and message, and then the exception with its stack
/// trace). The provider above logs the one Warning of a failed call; this says where it went. Neither the URL's query
/// nor a header is logged (a key may be in either).
/// </summary>
/// <remarks>Compiled into each HTTP adapter package (adapters do not depend on each other).</remarks>
internal sealed partial class CallLogHandler(ILogger logger, string clientName) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var target = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Authority + uri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogCallFailed(logger, clientName, method, target, ex.GetType().Name, ex.Message);
            LogCallFailedDetail(logger, clientName, method, target, ex);
            throw;
        }

        if (response.IsSuccessStatusCode)
        {
            LogCallSucceeded(logger, clientName, method, target, (int)response.StatusCode);
        }
        else
        {
            LogCallAnsweredError(logger, clientName, method, target, (int)response.StatusCode, response.StatusCode);
        }

        return response;
    }

    [LoggerMessage(1, LogLevel.Debug, "{Client} call {Method} {Target} failed: {ExceptionType}: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string client, string method, string target, string exceptionType, string reason);

    [LoggerMessage(2, LogLevel.Debug, "{Client} call {Method} {Target} failed with this exception")]
    private static partial void LogCallFailedDetail(ILogger logger, string client, string method, string target, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "{Client} call {Method} {Target} answered {StatusCode} {Status}")]
    private static partial void LogCallAnsweredError(ILogger logger, string client, string method, string target, int statusCode, HttpStatusCode status);

    [LoggerMessage(4, LogLevel.Debug, "{Client} call {Method} {Target} answered {StatusCode}")]
    private static partial void LogCallSucceeded(ILogger logger, string client, string method, string target, int statusCode);
}
