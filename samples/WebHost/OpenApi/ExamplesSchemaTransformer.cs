using System.Text.Json.Nodes;
using BookBytes.WebHost.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BookBytes.WebHost.OpenApi;

/// <summary>Adds an example to each request and response body of the API.</summary>
internal sealed class ExamplesSchemaTransformer : IOpenApiSchemaTransformer
{
    private const string JobId = "0199a3f2-6c1e-7b7a-9d3e-5f0c1a2b3c4d";
    private const string AudioBookId = "0199a3f2-6c1d-7c55-8e21-0a9b8c7d6e5f";
    private const string EditionId = "0199a3f2-5b10-7f00-a1b2-c3d4e5f60718";

    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(ProcessRequest)] = () => new JsonObject { ["isbn"] = "978-0-306-40615-7", ["voice"] = "alloy", ["mode"] = "summary", ["summaryWords"] = 300 },
        [typeof(RefreshRequest)] = () => new JsonObject { ["force"] = false, ["chapters"] = new JsonArray(4, 5) },
        [typeof(EstimateResponse)] = () => new JsonObject
        {
            ["editionId"] = EditionId,
            ["mode"] = "narration",
            ["grounding"] = "text",
            ["chapters"] = new JsonArray(
                new JsonObject
                {
                    ["number"] = 3, ["title"] = "Mr. Fox", ["words"] = 1240, ["llmCalls"] = 0, ["inputTokens"] = 0, ["outputTokens"] = 0,
                    ["speechCalls"] = 6, ["speechCharacters"] = 7020,
                }),
            ["assumedChapters"] = null,
            ["llmCalls"] = 0,
            ["inputTokens"] = 0,
            ["outputTokens"] = 0,
            ["speechCalls"] = 6,
            ["speechCharacters"] = 7020,
            ["seconds"] = 50.1,
            ["cost"] = 0.1053,
            ["currency"] = "USD",
            ["notes"] = new JsonArray(),
        },
        [typeof(ProcessAccepted)] = () => new JsonObject
        {
            ["jobId"] = JobId,
            ["audioBookId"] = AudioBookId,
            ["status"] = "Pending",
            ["message"] = $"Processing started. Follow /api/v1/jobs/{JobId}.",
        },
        [typeof(JobResponse)] = () => new JsonObject
        {
            ["id"] = JobId,
            ["jobType"] = "AudiobookGeneration",
            ["status"] = "Processing",
            ["progress"] = 55,
            ["currentStep"] = "Chapter 4 of 12 stored",
            ["audioBookId"] = AudioBookId,
            ["attempt"] = 1,
            ["maxAttempts"] = 3,
            ["rescues"] = 0,
            ["nextAttemptAt"] = null,
            ["errorCode"] = null,
            ["errorMessage"] = null,
            ["usage"] = new JsonObject { ["inputTokens"] = 21_400, ["outputTokens"] = 2_650, ["ttsCharacters"] = 9_800 },
            ["createdAt"] = "2025-10-01T09:30:00+00:00",
            ["updatedAt"] = "2025-10-01T09:31:12+00:00",
            ["startedAt"] = "2025-10-01T09:30:01+00:00",
            ["completedAt"] = null,
        },
        [typeof(EditionResponse)] = () => new JsonObject
        {
            ["editionId"] = EditionId,
            ["isbn13"] = "9780140328721",
            ["title"] = "Fantastic Mr. Fox",
            ["authors"] = new JsonArray("Roald Dahl"),
            ["language"] = "en",
            ["publishYear"] = 1988,
            ["coverUrl"] = "https://covers.openlibrary.org/b/id/8739161-M.jpg",
            ["source"] = "catalog",
            ["tableOfContents"] = new JsonArray(
                new JsonObject { ["title"] = "Mr. Fox", ["level"] = 0, ["label"] = "1", ["pageNumber"] = "1", ["isFrontOrBackMatter"] = false, ["number"] = 1, ["kind"] = null, ["words"] = null },
                new JsonObject { ["title"] = "Boggis and Bunce and Bean", ["level"] = 0, ["label"] = "2", ["pageNumber"] = "3", ["isFrontOrBackMatter"] = false, ["number"] = 2, ["kind"] = null, ["words"] = null }),
        },
        [typeof(ChapterResponse)] = () => new JsonObject
        {
            ["number"] = 1,
            ["title"] = "Mr. Fox",
            ["summary"] = "Mr. Fox lives with his family in a hole under a tree…",
            ["status"] = "Completed",
            ["audioUrl"] = $"/api/v1/audiobooks/{AudioBookId}/chapters/1/audio",
            ["transcriptUrl"] = $"/api/v1/audiobooks/{AudioBookId}/chapters/1/transcript.vtt",
            ["durationSeconds"] = 212.4,
            ["wordCount"] = 498,
            ["errorMessage"] = null,
            ["liveAudioUrl"] = null,
        },
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (Examples.TryGetValue(type, out var example))
        {
            schema.Examples = [example()];
        }

        return Task.CompletedTask;
    }
}
