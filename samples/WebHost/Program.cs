using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using BookBytes.WebHost;
using BookBytes.WebHost.Api;
using BookBytes.WebHost.Composition;
using BookBytes.WebHost.Errors;
using BookBytes.WebHost.Health;
using BookBytes.WebHost.OpenApi;
using BookBytes.WebHost.Security;
using BookBytes.WebHost.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

var choices = builder.Services.AddBookBytesFromConfiguration(builder.Configuration);

builder.Services.AddOptions<HostSettings>()
    .Bind(builder.Configuration.GetSection(HostSettings.SectionName))
    .ValidateDataAnnotations()
    .ValidateOnStart();

builder.Services.AddHostTelemetry(builder.Configuration, choices.Store);

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    // Numbers are JSON numbers: the web default also reads "50" as 50, and the OpenAPI document then types every number
    // integer | string, so generated clients could not treat progress as a number.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
});

// The request log line (Information) has the whole URL: a key put in the query string by mistake must not land in the log.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
// Binding failures (bad JSON, wrong types, malformed ids) throw, so the exception handler answers them as problem details.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
// Before the framework's writer, which declines clients that accept no JSON: every /api error is a problem.
builder.Services.AddSingleton<IProblemDetailsWriter, ApiProblemDetailsWriter>();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
{
    context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
    if (!context.ProblemDetails.Extensions.ContainsKey("code") && context.ProblemDetails.Status is { } status)
    {
        context.ProblemDetails.Extensions["code"] = status switch
        {
            StatusCodes.Status404NotFound => ApiErrorCodes.NotFound,
            StatusCodes.Status401Unauthorized => ApiErrorCodes.Unauthorized,
            StatusCodes.Status429TooManyRequests => ApiErrorCodes.RateLimited,
            StatusCodes.Status413PayloadTooLarge => ApiErrorCodes.RequestTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ApiErrorCodes.UnsupportedMediaType,
            StatusCodes.Status405MethodNotAllowed => ApiErrorCodes.MethodNotAllowed,
            StatusCodes.Status416RangeNotSatisfiable => ApiErrorCodes.RangeNotSatisfiable,
            _ => "HTTP_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
});
builder.Services.AddExceptionHandler<BookBytesExceptionHandler>();

builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    // The page asks for an estimate whenever the choice changes: estimates get ten times the permits of the POSTs that start work.
    o.AddPolicy(BooksEndpoints.PostRateLimitPolicy, context => Partition(context, permitsPerLimit: 1));
    o.AddPolicy(BooksEndpoints.EstimateRateLimitPolicy, context => Partition(context, permitsPerLimit: 10));

    static RateLimitPartition<string> Partition(HttpContext context, int permitsPerLimit)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<HostSettings>>().Value;
        var limit = settings.RateLimit;
        if (limit.PermitLimit == 0)
        {
            return RateLimitPartition.GetNoLimiter("off");
        }

        // Per API key the key middleware accepted (it runs first), else per client address: a made-up key
        // must not buy a fresh window.
        var client = context.Items[ApiKeyMiddleware.AcceptedKeyItem] is string key
            ? "key:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))
            : "ip:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit * permitsPerLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });
    }

    o.OnRejected = async (context, cancellationToken) =>
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = "The rate limit of this endpoint (BookBytes:Host:RateLimit) was reached; retry later.",
        };
        problem.Extensions["code"] = ApiErrorCodes.RateLimited;
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
    };
});

builder.Services.AddSingleton<FeedTokens>();
builder.Services.AddSingleton<StorageHealthCheck>();
builder.Services.AddHealthChecks()
    .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
    .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
    .AddCheck<ProvidersHealthCheck>("providers", tags: ["ready"]);

builder.Services.AddOpenApi(o =>
{
    o.AddSchemaTransformer<ExamplesSchemaTransformer>();
    o.AddSchemaTransformer<FieldsSchemaTransformer>();
    o.AddSchemaTransformer<ProblemSchemaTransformer>();
    o.AddDocumentTransformer<ResponsesDocumentTransformer>();
    o.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "BookBytes API";
        document.Info.Description = "Turn a book into chapter-by-chapter audio summaries. Errors are RFC 9457 problem details with a stable `code`.";
        document.Info.License = new Microsoft.OpenApi.OpenApiLicense { Name = "MIT", Identifier = "MIT" };
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Books"] = "Editions from an ISBN or an upload, voices, estimates, and starting or refreshing an audiobook.",
            ["Jobs"] = "The work an audiobook takes: its progress, retries and errors, polled or as server-sent events.",
            ["Audiobooks"] = "Finished and unfinished audiobooks and what a listener keeps: chapter audio, the packaged file, feed, transcripts, cover.",
        };
        foreach (var tag in document.Tags ?? Enumerable.Empty<Microsoft.OpenApi.OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name && tags.TryGetValue(name, out var text) ? text : null;
        }

        return Task.CompletedTask;
    });
});

var app = builder.Build();

var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BookBytes.WebHost");
HostLog.Composition(log, choices.Store, choices.Storage, choices.Llm ?? "none", choices.Tts ?? "none", choices.WorkerEnabled ? "enabled" : choices.ProvidersConfigured ? "disabled (API-only node)" : "disabled (no providers)");
if (choices.LlmDefaulted && choices.Llm is not null)
{
    HostLog.ExtractiveSummaries(log);
}

if (choices.Speech is { } speech)
{
    if (speech.Voices.Count > 0)
    {
        var engines = string.Join(", ", speech.Voices.GroupBy(v => v.Engine, StringComparer.Ordinal).Select(g => $"{g.Key} ({g.Count()} voices)"));
        HostLog.LocalSpeech(log, engines, speech.DefaultVoice ?? "none", speech.CanEncodeMp3 ? "MP3 by ffmpeg" : "WAV (ffmpeg not found: apt-get install ffmpeg for MP3)",
            speech.Missing.Count > 0 ? string.Join("; ", speech.Missing) : "none");
    }
    else
    {
        HostLog.NoLocalSpeech(log, string.Join("; ", speech.Missing));
    }
}

// From the raw keys, not the options: a bad setting is still reported once, by the start-up validation.
if (FeedTokens.FeedsLockedOut(
    app.Configuration.GetSection(HostSettings.SectionName + ":" + nameof(HostSettings.ApiKeys)).Get<string?[]>(),
    app.Configuration[HostSettings.SectionName + ":" + nameof(HostSettings.FeedSecret)]))
{
    HostLog.FeedsNeedSecret(log);
}

if (!choices.ProvidersConfigured)
{
    HostLog.NoProviders(log, (choices.Llm, choices.Tts) switch
    {
        (null, null) => "language-model or text-to-speech",
        (null, _) => "language-model",
        _ => "text-to-speech",
    });
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<ApiErrorResponsesMiddleware>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseMiddleware<ApiKeyMiddleware>();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseRateLimiter();
app.UseMiddleware<BookBytes.WebHost.Api.HeadResponseMiddleware>();

app.MapGroup(ApiRoutes.Prefix)
    .MapBooks()
    .MapEditions()
    .MapJobs()
    .MapAudioBooks()
    .MapVoices();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = HealthResponseWriter.WriteAsync,
    ResultStatusCodes =
    {
        [HealthStatus.Healthy] = StatusCodes.Status200OK,
        [HealthStatus.Degraded] = StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
    },
});

app.MapHostTelemetry();
app.MapOpenApi();
app.MapScalarApiReference();

await app.RunAsync();

/// <summary>The host's entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can start it.</summary>
public partial class Program;
