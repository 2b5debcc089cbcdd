using System.Globalization;
using System.Text.Json.Nodes;
using BookBytes.WebHost.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BookBytes.WebHost.OpenApi;

/// <summary>
/// Writes down what the endpoints check but the CLR types cannot say: the names <c>mode</c> and <c>grounding</c> take, and
/// the bounds of <c>chapters</c> and <c>summaryWords</c>.
/// </summary>
internal sealed class FieldsSchemaTransformer : IOpenApiSchemaTransformer
{
    private const string ModeText = "summary (the default): each chapter summarised; narration: an uploaded document's text read out. Case-insensitive.";
    private const string GroundingText = "text: from the book's own text (an uploaded document); model: from the language model's memory of the book.";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(ProcessRequest) || type == typeof(RefreshRequest) || type == typeof(PackagingRequest))
        {
            // Every field of a request body may be left out (the records' constructor parameters are not required members).
            schema.Required?.Clear();
        }

        if (type == typeof(ProcessRequest))
        {
            EditionOrIsbn(schema);
            Names(schema, "mode", ModeText, nullable: true, ApiNames.Summary, ApiNames.Narration);
            Chapters(schema, "The chapter numbers to make, as the edition's table of contents numbers them; absent for the body chapters with text.");
            if (Property(schema, "summaryWords") is { } words)
            {
                words.Minimum = "50";
                words.Maximum = "5000";
                words.Description = "Target words per chapter summary; absent for the server's default (BookBytes:Summary:Words). Not for narration.";
            }
        }
        else if (type == typeof(RefreshRequest))
        {
            Chapters(schema, "Chapter numbers to add, made without redoing the audiobook's other chapters.");
        }
        else if (type == typeof(AudioBookResponse) || type == typeof(AudioBookListItem) || type == typeof(EstimateResponse))
        {
            Names(schema, "mode", "summary or narration.", nullable: false, ApiNames.Summary, ApiNames.Narration);
            Names(schema, "grounding", GroundingText, nullable: false, "text", "model");
        }

        return Task.CompletedTask;
    }

    /// <summary>Exactly one of <c>editionId</c> and <c>isbn</c>, as <see cref="BooksEndpoints"/> checks (400 VALIDATION_FAILED otherwise).</summary>
    private static void EditionOrIsbn(OpenApiSchema schema)
    {
        schema.Description = "Give exactly one of editionId and isbn; every other field is optional.";
        schema.OneOf =
        [
            new OpenApiSchema
            {
                Required = new HashSet<string>(StringComparer.Ordinal) { "editionId" },
                Properties = new Dictionary<string, IOpenApiSchema> { ["editionId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" } },
            },
            new OpenApiSchema
            {
                Required = new HashSet<string>(StringComparer.Ordinal) { "isbn" },
                Properties = new Dictionary<string, IOpenApiSchema> { ["isbn"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 } },
            },
        ];
    }

    private static OpenApiSchema? Property(OpenApiSchema schema, string name)
        => schema.Properties is not null && schema.Properties.TryGetValue(name, out var property) ? property as OpenApiSchema : null;

    private static void Names(OpenApiSchema schema, string name, string description, bool nullable, params string[] values)
    {
        if (Property(schema, name) is not { } property)
        {
            return;
        }

        property.Description = description;
        property.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        if (nullable)
        {
            // A null "type" alone would not admit null past the list of values.
            property.Enum.Add(null!);
        }
    }

    private static void Chapters(OpenApiSchema schema, string description)
    {
        if (Property(schema, "chapters") is not { } chapters)
        {
            return;
        }

        chapters.Description = description;
        chapters.MaxItems = BooksEndpoints.MaxChapters;
        if (chapters.Items is OpenApiSchema items)
        {
            items.Minimum = "1";
            items.Maximum = BooksEndpoints.MaxChapterNumber.ToString(CultureInfo.InvariantCulture);
        }
    }
}
