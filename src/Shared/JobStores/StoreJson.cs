using System.Text.Json;
using System.Text.Json.Serialization;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Packaging;
using BookBytes.Storage;

namespace BookBytes.JobStore.Internal;

/// <summary>JSON columns: string lists, the table of contents, an edition's document and an audiobook's package.</summary>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal static class StoreJson
{
    // Unset values are left out, so entries written before a property existed read the same as new ones.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Strings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, Options);

    public static IReadOnlyList<string> ReadStrings(string json) => JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static string Toc(IReadOnlyList<TableOfContentsEntry> entries) => JsonSerializer.Serialize(entries, Options);

    public static IReadOnlyList<TableOfContentsEntry> ReadToc(string json) => JsonSerializer.Deserialize<TableOfContentsEntry[]>(json, Options) ?? [];

    public static string? Document(EditionDocument? document)
        => document is null ? null : JsonSerializer.Serialize(new DocumentRow(document.MediaType, document.Sha256, document.Bytes, document.OriginalKey.ToString(), document.TextKey.ToString(), document.CoverKey?.ToString()), Options);

    public static EditionDocument? ReadDocument(string json)
        => JsonSerializer.Deserialize<DocumentRow>(json, Options) is { } row
            ? new EditionDocument(row.MediaType, row.Sha256, row.Bytes, StorageKey.Parse(row.OriginalKey), StorageKey.Parse(row.TextKey))
            {
                CoverKey = row.CoverKey is null ? null : StorageKey.Parse(row.CoverKey),
            }
            : null;

    public static string? Package(AudioBookPackage? package)
        => package is null ? null : JsonSerializer.Serialize(
            new PackageRow(package.Version, package.Chapters, package.Complete, package.DurationSeconds, [.. package.Files.Select(f => new PackageFileRow(f.Format.ToString(), f.Key, f.SizeBytes))], package.CreatedAt),
            Options);

    public static AudioBookPackage? ReadPackage(string json)
        => JsonSerializer.Deserialize<PackageRow>(json, Options) is { } row
            ? new AudioBookPackage
            {
                Version = row.Version,
                Chapters = row.Chapters,
                Complete = row.Complete,
                DurationSeconds = row.DurationSeconds,
                Files = [.. row.Files.Select(f => new PackagedFile(Enum.Parse<PackageFormat>(f.Format), f.Key, f.SizeBytes))],
                CreatedAt = row.CreatedAt,
            }
            : null;

    private sealed record DocumentRow(string MediaType, string Sha256, long Bytes, string OriginalKey, string TextKey, string? CoverKey = null);

    private sealed record PackageRow(int Version, IReadOnlyList<int> Chapters, bool Complete, double DurationSeconds, IReadOnlyList<PackageFileRow> Files, DateTimeOffset CreatedAt);

    private sealed record PackageFileRow(string Format, string Key, long SizeBytes);
}
