namespace BookBytes.Documents.Text;

/// <summary>
/// The time one regular-expression match may take on document text. Every pattern of the readers carries it, so
/// an input crafted to make a pattern backtrack fails that document (a <c>RegexMatchTimeoutException</c>, which the
/// parser reports as <c>DOCUMENT_INVALID</c>) instead of holding a thread.
/// </summary>
internal static class RegexLimits
{
    public const int MatchTimeoutMilliseconds = 2000;
}
