using System.Text.Json;
using System.Text.Json.Serialization;

namespace BookBytes.Pipeline.Processing;

/// <summary>The payload of audiobook generation and refresh jobs.</summary>
/// <param name="AudioBookId">The audiobook to work on.</param>
/// <param name="Force">For a refresh: build a whole new version instead of redoing what is missing.</param>
/// <param name="TargetVersion">For a forced refresh: the version to build, fixed when the job is enqueued so a retried job never builds yet another one.</param>
/// <param name="Chapters">The chapter numbers to make (checked against the edition when enqueued) — the chosen ones of a new audiobook, those a refresh adds, or every chapter of a forced refresh's new version; <see langword="null"/> for the edition's default (all of the model's outline).</param>
internal sealed record AudioBookJobPayload(Guid AudioBookId, bool Force = false, int? TargetVersion = null, IReadOnlyList<int>? Chapters = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, AudioBookJobPayloadJsonContext.Default.AudioBookJobPayload);

    public static AudioBookJobPayload Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AudioBookJobPayloadJsonContext.Default.AudioBookJobPayload)
                ?? throw new BookBytesException("The job payload is empty.", ErrorCodes.Internal);
        }
        catch (JsonException ex)
        {
            throw new BookBytesException($"The job payload is not an audiobook job: {ex.Message}", ErrorCodes.Internal, innerException: ex);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AudioBookJobPayload))]
internal sealed partial class AudioBookJobPayloadJsonContext : JsonSerializerContext;
