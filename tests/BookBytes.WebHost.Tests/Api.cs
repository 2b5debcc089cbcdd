using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BookBytes.WebHost.Tests;

/// <summary>Helpers for calling the API and reading its answers.</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body)
        => client.PostAsJsonAsync(path, body, Json);

    /// <summary>Asserts an RFC 9457 problem with the status and code, and returns it.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await response.JsonAsync();
        response.StatusCode.Should().Be(status, problem.ToString());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("code").GetString().Should().Be(code);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrWhiteSpace();
        return problem;
    }

    public static string[] Errors(this JsonElement problem, string field)
        => [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    public static string[] PropertyNames(this JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>Polls <c>GET /api/v1/jobs/{id}</c> until the job is terminal.</summary>
    public static async Task<JsonElement> WaitForJobAsync(this HttpClient client, Guid jobId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/jobs/{jobId}", cts.Token)).JsonAsync();
            if (job.GetProperty("status").GetString() is "Completed" or "Failed")
            {
                return job;
            }

            await Task.Delay(50, cts.Token);
        }
    }
}
