namespace BookBytes.Documents;

/// <summary>
/// Limits on one untrusted document, bound from <see cref="SectionName"/> (<c>BookBytes:Documents</c>) and
/// validated at start-up.
/// </summary>
/// <remarks>A mutable settings bag for the options pattern; not thread-safe while being configured.</remarks>
public sealed class DocumentOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "BookBytes:Documents";

    /// <summary>Gets or sets the largest document accepted, in bytes. Default 100 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Gets or sets the most bytes an archive's entries may inflate to, together. Default 512 MiB.</summary>
    public long MaxUncompressedBytes { get; set; } = DocumentLimits.Default.MaxUncompressedBytes;

    /// <summary>Gets or sets the most entries an archive (an EPUB) may have. Default 10,000.</summary>
    public int MaxEntries { get; set; } = DocumentLimits.Default.MaxEntries;

    /// <summary>Gets or sets the highest inflated-to-compressed ratio of one archive entry. Default 200 (text compresses about 3–10 times; zip bombs thousands).</summary>
    public double MaxCompressionRatio { get; set; } = DocumentLimits.Default.MaxCompressionRatio;

    /// <summary>Gets or sets the most chapters a document may have. Default 2,000.</summary>
    public int MaxChapters { get; set; } = DocumentLimits.Default.MaxChapters;

    /// <summary>Gets or sets how long reading one document may take. Default 30 seconds.</summary>
    public TimeSpan ParseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the limits readers keep.</summary>
    public DocumentLimits Limits => new(MaxUncompressedBytes, MaxEntries, MaxCompressionRatio, MaxChapters);
}
