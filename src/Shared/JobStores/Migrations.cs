using System.Globalization;
using System.Reflection;

namespace BookBytes.JobStore.Internal;

/// <summary>The SQL migrations embedded in this assembly (<c>Migrations/NNNN_name.sql</c>), in version order.</summary>
/// <remarks>Compiled into each job-store package (adapters do not depend on each other).</remarks>
internal static class Migrations
{
    private static readonly string Prefix = typeof(Migrations).Assembly.GetName().Name + ".Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    private static List<(int Version, string Name, string Sql)> Load()
    {
        var assembly = typeof(Migrations).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[Prefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }

        return list;
    }
}
