using BookBytes.WebHost.Composition;
using BookBytes.WebHost.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace BookBytes.WebHost.OpenApi;

/// <summary>
/// Writes down what every <c>/api</c> operation can answer beyond its own endpoint's list: 400 for a malformed parameter or
/// body, 401 and the <c>X-Api-Key</c> scheme when <c>BookBytes:Host:ApiKeys</c> is set (and the feed <c>token</c> where it
/// stands in), 500 and 503 (the job store unreachable); and the headers of <c>Location</c>, <c>Retry-After</c> and
/// <c>Content-Range</c>. HEAD, which the file endpoints answer as GET without the body, is not listed twice.
/// </summary>
internal sealed class ResponsesDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";

    public const string FeedTokenScheme = "FeedToken";

    private const string ProblemType = "application/problem+json";

    /// <summary>The operations an audiobook's feed token authorizes, as <see cref="ApiKeyMiddleware"/> lets it.</summary>
    private static readonly HashSet<string> FeedTokenOperations = new(StringComparer.Ordinal)
    {
        "GetAudioBookFeed", "GetAudioBookAudio", "GetAudioBookCover", "GetChapterAudio", "GetChapterTranscript",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var settings = context.ApplicationServices.GetRequiredService<IOptions<HostSettings>>().Value;
        var keys = settings.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k));
        var tokens = keys && !string.IsNullOrEmpty(settings.FeedSecret);
        if (keys)
        {
            AddSecurity(document, tokens);
        }
        else
        {
            // An empty requirement: the API is open on this node, said rather than left out.
            document.Security = [new OpenApiSecurityRequirement()];
        }

        foreach (var server in document.Servers ?? [])
        {
            // The request's base URL ends in '/'; the paths begin with one.
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : server.Url;
        }

        foreach (var (path, item) in document.Paths)
        {
            if (item is not OpenApiPathItem pathItem || pathItem.Operations is null || !path.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            pathItem.Operations.Remove(HttpMethod.Head);
            foreach (var operation in pathItem.Operations.Values)
            {
                Describe(document, operation, keys);
                if (tokens && operation.OperationId is { } id && FeedTokenOperations.Contains(id))
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(FeedTokenScheme, document)] = [] },
                    ];
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void AddSecurity(OpenApiDocument document, bool tokens)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyMiddleware.HeaderName,
            Description = "One of BookBytes:Host:ApiKeys. Only the header is read: a key in the query string is refused.",
        };
        if (tokens)
        {
            document.Components.SecuritySchemes[FeedTokenScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = FeedTokens.QueryName,
                Description = "An audiobook's own token, in the feedUrl, audio, transcript and cover URLs the API gives: for podcast apps, which cannot send headers.",
            };
        }

        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] }];
    }

    private static void Describe(OpenApiDocument document, OpenApiOperation operation, bool keys)
    {
        operation.Responses ??= [];
        var responses = operation.Responses;
        if ((operation.Parameters is { Count: > 0 } || operation.RequestBody is not null) && !responses.ContainsKey("400"))
        {
            responses["400"] = Problem(document, "Bad Request: a parameter or the body is malformed (VALIDATION_FAILED, with errors).", "HttpValidationProblemDetails");
        }

        if (keys && !responses.ContainsKey("401"))
        {
            responses["401"] = Problem(document, "Unauthorized: no valid X-Api-Key (UNAUTHORIZED).");
        }

        if (!responses.ContainsKey("500"))
        {
            responses["500"] = Problem(document, "Internal Server Error (INTERNAL): the server log has the details under traceId.");
        }

        if (!responses.ContainsKey("503"))
        {
            responses["503"] = Problem(document, "Service Unavailable: the job store cannot be reached (STORE_UNAVAILABLE); try again later.");
        }

        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            var header = status switch
            {
                "201" => ("Location", "The new resource.", "uri-reference"),
                "202" => ("Location", "The job to follow (GET it, or its /events).", "uri-reference"),
                "302" => ("Location", "Where the bytes are: a presigned storage URL, or the catalog's cover.", "uri"),
                "416" => ("Content-Range", "bytes */{length}: the file's length.", null),
                "429" => ("Retry-After", "Seconds until the rate limit's window opens again.", null),
                _ => default((string, string, string?)?),
            };
            if (header is var (name, description, format))
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[name] = new OpenApiHeader
                {
                    Description = description,
                    Schema = new OpenApiSchema { Type = name == "Retry-After" ? JsonSchemaType.Integer : JsonSchemaType.String, Format = format },
                };
            }
        }

        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in ordered)
        {
            responses[status] = response;
        }
    }

    private static OpenApiResponse Problem(OpenApiDocument document, string description, string schema = "ProblemDetails") => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema, document) },
        },
    };
}
