using System.Text.Json;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Composition;
using BookBytes.WebHost.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Api;

/// <summary><c>/api/v1/jobs</c>: the job list, a job, its cancellation and its server-sent events.</summary>
internal static class JobsEndpoints
{
    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");

        jobs.MapGetAndHead("/", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first, optionally by status (Pending, Processing, Completed, Failed, Cancelled) and type (a job kind such as AudiobookGeneration).")
            .WithDescription("Pages like GET /audiobooks: page 1 or more, pageSize 1 to 100 (default 20). An unknown status or type is a 400 (VALIDATION_FAILED). "
                + "Finished jobs are deleted after BookBytes:Jobs:Retention (30 days by default), so older ones are not listed.")
            .Produces<JobList>()
            .ProducesValidationProblem();

        jobs.MapGetAndHead("/{jobId}", GetAsync)
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

    internal static async Task<JobList> ListAsync(
        ProcessingService processing,
        IEnumerable<IJobHandler> handlers,
        CancellationToken cancellationToken,
        string? status = null,
        string? type = null,
        int page = 1,
        int pageSize = 20)
    {
        // The service checks the paging; its ArgumentOutOfRangeException becomes a 400 naming the parameter.
        var result = await processing.ListJobsAsync(ParseStatus(status), ParseType(type, handlers), page, pageSize, cancellationToken);
        return new JobList([.. result.Items.Select(JobResponse.From)], result.Total, result.Page, result.PageSize);
    }

    private static JobStatus? ParseStatus(string? status)
    {
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }

        // Names only: Enum.TryParse would also take "3" or "Pending,Failed".
        return Enum.GetValues<JobStatus>().Where(s => string.Equals(s.ToString(), status, StringComparison.OrdinalIgnoreCase)).Cast<JobStatus?>().FirstOrDefault()
            ?? throw Invalid("status", $"status is one of {string.Join(", ", Enum.GetNames<JobStatus>())}.");
    }

    private static JobKind? ParseType(string? type, IEnumerable<IJobHandler> handlers)
    {
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        // The kinds this application knows: the built-in ones and those of its registered handlers.
        var known = handlers.SelectMany(h => h.Kinds)
            .Concat([JobKind.AudiobookGeneration, JobKind.AudiobookRefresh, JobKind.AudiobookPackaging])
            .Distinct()
            .Order(Comparer<JobKind>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value)))
            .ToList();
        return known.FirstOrDefault(k => string.Equals(k.Value, type, StringComparison.OrdinalIgnoreCase)) is { Value.Length: > 0 } kind
            ? kind
            : throw Invalid("type", $"type is one of {string.Join(", ", known)}.");
    }

    private static ApiProblemException Invalid(string field, string message)
        => new(StatusCodes.Status400BadRequest, ApiErrorCodes.ValidationFailed, "The request is invalid.", message, new Dictionary<string, string[]> { [field] = [message] });

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
