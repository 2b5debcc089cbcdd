namespace BookBytes.Documents;

/// <summary>What a reader may accept from one untrusted document.</summary>
/// <param name="MaxUncompressedBytes">The most bytes all entries of an archive (an EPUB) may inflate to, together.</param>
/// <param name="MaxEntries">The most entries an archive may have.</param>
/// <param name="MaxCompressionRatio">The highest ratio of an entry's inflated to compressed size (zip bombs have thousands).</param>
/// <param name="MaxChapters">The most chapters a document may have.</param>
public sealed record DocumentLimits(long MaxUncompressedBytes, int MaxEntries, double MaxCompressionRatio, int MaxChapters)
{
    /// <summary>Gets the defaults: 512 MiB inflated, 10,000 entries, a ratio of 200, 2,000 chapters.</summary>
    public static DocumentLimits Default { get; } = new(512L * 1024 * 1024, 10_000, 200, 2_000);
}
