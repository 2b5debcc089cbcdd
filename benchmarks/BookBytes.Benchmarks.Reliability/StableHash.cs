using System.Text;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// A hash that is the same in every process and run (string.GetHashCode is randomised per process), so
/// decisions keyed by request content are reproducible whatever order concurrent requests arrive in.
/// </summary>
internal static class StableHash
{
    public static int Of(string text) => (int)(Mix(Fnv1a(text)) & 0x7FFF_FFFF);

    /// <summary>A number in [0, 1) from the seed and the parts.</summary>
    public static double Unit(int seed, params object[] parts)
    {
        var h = Mix(Fnv1a(seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u0001" + string.Join('\u0001', parts)));
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Fnv1a(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 1099511628211UL;
        }

        return h;
    }

    private static ulong Mix(ulong h)
    {
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }
}
