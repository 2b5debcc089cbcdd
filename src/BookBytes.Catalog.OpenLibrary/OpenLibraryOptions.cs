using System.Globalization;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Settings of <see cref="OpenLibraryCatalog"/>, bound from <see cref="SectionName"/>.</summary>
/// <remarks>Read once when the catalog and its HTTP client are created; later changes have no effect.</remarks>
public sealed class OpenLibraryOptions
{
    /// <summary>The configuration section the options are bound from: <c>BookBytes:Catalog:OpenLibrary</c>.</summary>
    public const string SectionName = "BookBytes:Catalog:OpenLibrary";

    /// <summary>Gets or sets the absolute <c>http(s)</c> URL of the Open Library server. Default <c>https://openlibrary.org</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://openlibrary.org");

    /// <summary>
    /// Gets or sets the absolute <c>http(s)</c> URL of the Open Library covers server, which
    /// <see cref="Books.Edition.CoverUrl"/> points at and <see cref="OpenLibraryCatalog.GetCoverAsync"/> downloads from.
    /// Default <c>https://covers.openlibrary.org</c>.
    /// </summary>
    public Uri CoversBaseUrl { get; set; } = new("https://covers.openlibrary.org");

    /// <summary>
    /// Gets or sets the <c>User-Agent</c> product sent with every request. Default <c>BookBytes/{major.minor}</c>: the project has
    /// no public home to name yet. Open Library asks applications to identify themselves; <see cref="Contact"/> is appended as a
    /// comment, <c>(contact)</c>, or inside the product's own comment when it ends with one.
    /// </summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>
    /// Gets or sets a contact (an e-mail address or URL) that Open Library can use to reach the operator,
    /// appended to <see cref="UserAgent"/> as <c>(...; contact)</c>. Default none.
    /// </summary>
    public string? Contact { get; set; }

    /// <summary>Gets or sets how long a found edition is cached. Default one day; <see cref="TimeSpan.Zero"/> turns caching off.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how long an ISBN that Open Library does not know, or an edition whose work or
    /// authors could not be fetched, is cached. Default ten minutes; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the time-out of one HTTP attempt. Default ten seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the time-out of one HTTP request including its retries. Default thirty seconds; at least <see cref="Timeout"/>.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how many times a request that failed transiently (time-out, connection failure,
    /// 408, 429, 5xx) is retried. Default 2; 0 turns retries off. A <c>Retry-After</c> header is honoured.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the base delay of the exponential back-off between retries (with jitter). Default one second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many subjects of the work are kept. Default 10.</summary>
    public int MaxSubjects { get; set; } = 10;

    internal static string DefaultUserAgent { get; } = CreateDefaultUserAgent();

    /// <summary>Gets the <c>User-Agent</c> header value: <see cref="UserAgent"/> with <see cref="Contact"/> added.</summary>
    internal string EffectiveUserAgent
    {
        get
        {
            var userAgent = UserAgent.Trim();
            if (string.IsNullOrWhiteSpace(Contact))
            {
                return userAgent;
            }

            var contact = Contact.Trim();
            return userAgent.EndsWith(')')
                ? string.Concat(userAgent.AsSpan(0, userAgent.Length - 1), "; ", contact, ")")
                : $"{userAgent} ({contact})";
        }
    }

    private static string CreateDefaultUserAgent()
    {
        var version = typeof(OpenLibraryOptions).Assembly.GetName().Version ?? new Version(0, 1);
        return string.Create(CultureInfo.InvariantCulture, $"BookBytes/{version.Major}.{version.Minor}");
    }
}
