using System.Globalization;
using System.Text.Json;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>
/// Tolerant readers over Open Library JSON. Records are edited by hand and vary: a field may be
/// missing, null, or of an unexpected kind — each reader then answers "unknown" instead of throwing.
/// </summary>
internal static class JsonElementExtensions
{
    /// <summary>Gets a non-empty, trimmed string property.</summary>
    public static string? GetStringOrNull(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.AsTrimmedString() : null;

    /// <summary>Gets a text property that is either a string or a <c>{type: "/type/text", value}</c> object.</summary>
    public static string? GetTextOrNull(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value.GetStringOrNull("value") : value.AsTrimmedString();
    }

    /// <summary>Gets a positive integer property written as a number or as digits in a string.</summary>
    public static int? GetPositiveInt32OrNull(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var number = value.AsInt32OrNull();
        return number > 0 ? number : null;
    }

    /// <summary>Gets the non-empty strings of an array property.</summary>
    public static List<string> GetStrings(this JsonElement element, string name)
    {
        var result = new List<string>();
        foreach (var item in element.EnumerateArrayProperty(name))
        {
            if (item.AsTrimmedString() is { } text)
            {
                result.Add(text);
            }
        }

        return result;
    }

    /// <summary>Gets the <c>key</c> of each object in an array property such as <c>authors: [{key}]</c>.</summary>
    public static List<string> GetKeys(this JsonElement element, string name)
    {
        var result = new List<string>();
        foreach (var item in element.EnumerateArrayProperty(name))
        {
            if (item.GetStringOrNull("key") is { } key)
            {
                result.Add(key);
            }
        }

        return result;
    }

    /// <summary>Enumerates an array property; nothing when it is missing or not an array.</summary>
    public static IEnumerable<JsonElement> EnumerateArrayProperty(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>Gets the element as a trimmed non-empty string (numbers are written invariantly).</summary>
    public static string? AsTrimmedString(this JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>Gets the element as an integer written as a number or as digits in a string.</summary>
    public static int? AsInt32OrNull(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt32(out var number) => number,
        JsonValueKind.String when int.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };
}
