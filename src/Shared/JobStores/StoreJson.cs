using System.Text.Json;
using BookBytes.Books;

namespace BookBytes.JobStore.Internal;

/// <summary>JSON columns: string lists and the table of contents.</summary>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Strings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, Options);

    public static IReadOnlyList<string> ReadStrings(string json) => JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static string Toc(IReadOnlyList<TableOfContentsEntry> entries) => JsonSerializer.Serialize(entries, Options);

    public static IReadOnlyList<TableOfContentsEntry> ReadToc(string json) => JsonSerializer.Deserialize<TableOfContentsEntry[]>(json, Options) ?? [];
}
