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
        if (type == typeof(ProcessRequest))
        {
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
