using System.Text.Json;
using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Composition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Api;

/// <summary><c>/api/v1/jobs</c>: a job, and its server-sent events.</summary>
internal static class JobsEndpoints
{
    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");

        jobs.MapGet("/{jobId}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Get a job: status, progress 0-100, current step, error.")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapPost("/{jobId}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a pending or processing job: it ends Cancelled at once, a running one stops within seconds on whichever node runs it; its audiobook keeps what was stored.")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(BooksEndpoints.PostRateLimitPolicy);

        jobs.MapGet("/{jobId}/events", StreamAsync)
            .WithName("StreamJobEvents")
            .WithSummary("Server-sent events: the job object (as GET /jobs/{jobId}) on each change; the stream ends at Completed, Failed or Cancelled.")
            .Produces<JobResponse>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal static async Task<JobResponse> GetAsync(Guid jobId, ProcessingService processing, CancellationToken cancellationToken)
    {
        var details = await processing.GetJobAsync(jobId, cancellationToken) ?? throw new JobNotFoundException(jobId);
        return JobResponse.From(details);
    }

    internal static async Task<JobResponse> CancelAsync(Guid jobId, ProcessingService processing, CancellationToken cancellationToken)
        => JobResponse.From(await processing.CancelJobAsync(jobId, cancellationToken));

    internal static async Task StreamAsync(
        Guid jobId,
        HttpContext context,
        ProcessingService processing,
        IOptions<HostSettings> settings,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        // Looked up before the response starts, so an unknown id is still a 404 problem.
        _ = await processing.GetJobAsync(jobId, cancellationToken) ?? throw new JobNotFoundException(jobId);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var sequence = 0;
        await foreach (var details in processing.WatchJobAsync(jobId, settings.Value.EventsPollInterval, cancellationToken))
        {
            sequence++;
            var data = JsonSerializer.Serialize(JobResponse.From(details), json.Value.SerializerOptions);
            await response.WriteAsync($"id: {sequence}\ndata: {data}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
