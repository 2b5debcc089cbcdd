using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.Testing.Fakes;

/// <summary>Scripted answers for the WireMock servers that stand in for the HTTP APIs the adapters call.</summary>
public static class WireMockServerExtensions
{
    private const string OnceScenario = "answered-once";

    /// <summary>
    /// Answers every POST to <paramref name="path"/> with <paramref name="status"/> and <paramref name="body"/>,
    /// after <paramref name="delay"/> and with a <c>Retry-After</c> of whole seconds when given. With
    /// <paramref name="once"/> only the first such request gets this answer; later ones get the answer
    /// scripted without it.
    /// </summary>
    public static void Reply(
        this WireMockServer server,
        string path,
        int status,
        string body,
        TimeSpan? delay = null,
        TimeSpan? retryAfter = null,
        bool once = false,
        string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(server);
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (retryAfter is { } wait)
        {
            response = response.WithHeader("Retry-After", ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (delay is { } slow)
        {
            response = response.WithDelay(slow);
        }

        var request = server.Given(Request.Create().WithPath(path).UsingPost());
        if (once)
        {
            // The first request starts the scenario; the answer then no longer matches and a later mapping answers.
            request = request.AtPriority(0).InScenario(OnceScenario).WillSetStateTo("answered");
        }
        else
        {
            request = request.AtPriority(10);
        }

        request.RespondWith(response);
    }
}
