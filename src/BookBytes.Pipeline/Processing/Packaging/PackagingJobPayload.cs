using System.Text.Json;
using System.Text.Json.Serialization;
using BookBytes.Packaging;

namespace BookBytes.Pipeline.Processing.Packaging;

/// <summary>The payload of packaging jobs.</summary>
/// <param name="AudioBookId">The audiobook whose served version is packaged.</param>
/// <param name="Formats">The formats to make; <see langword="null"/> for every format the packager makes.</param>
internal sealed record PackagingJobPayload(Guid AudioBookId, IReadOnlyList<PackageFormat>? Formats = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, PackagingJobPayloadJsonContext.Default.PackagingJobPayload);

    public static PackagingJobPayload Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PackagingJobPayloadJsonContext.Default.PackagingJobPayload)
                ?? throw new BookBytesException("The job payload is empty.", ErrorCodes.Internal);
        }
        catch (JsonException ex)
        {
            throw new BookBytesException($"The job payload is not a packaging job: {ex.Message}", ErrorCodes.Internal, innerException: ex);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PackagingJobPayload))]
internal sealed partial class PackagingJobPayloadJsonContext : JsonSerializerContext;
