using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BookBytes.WebHost.OpenApi;

/// <summary>
/// Adds to the problem schemas the fields this host writes that the CLR types do not declare: the stable <c>code</c> and the
/// <c>traceId</c> of every problem, the <c>errors</c> map of validation failures, and the <c>audioBookId</c>/<c>jobId</c> of a 409.
/// </summary>
internal sealed class ProblemSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(ProblemDetails) && type != typeof(HttpValidationProblemDetails))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The stable, machine-readable error code (VALIDATION_FAILED, AUDIOBOOK_EXISTS, RATE_LIMITED, …; the README lists them). Switch on this, not on title or detail.",
        };
        schema.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request's trace id (W3C traceparent form): the server log's entries for the request carry it.",
        };
        if (!schema.Properties.ContainsKey("errors"))
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The request fields at fault and what is wrong with each (validation failures and an invalid ISBN).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        schema.Properties["audioBookId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Format = "uuid",
            Description = "409 AUDIOBOOK_EXISTS and JOB_IN_PROGRESS: the audiobook the request conflicts with.",
        };
        schema.Properties["jobId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Format = "uuid",
            Description = "409 JOB_IN_PROGRESS, and AUDIOBOOK_EXISTS while a job works on it: the job to follow.",
        };

        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        schema.Required.Add("status");
        schema.Required.Add("title");
        schema.Required.Add("code");
        schema.Required.Add("traceId");
        return Task.CompletedTask;
    }
}
