using System.Globalization;
using System.Net;
using System.Text.Json;
using BookBytes.Books;
using BookBytes.Internal.Images;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>
/// An <see cref="IBookCatalog"/> over the Open Library API (<c>https://openlibrary.org</c>): the edition
/// by ISBN, then its work (description, subjects) and authors (names) in parallel, mapped into an
/// <see cref="Edition"/> with the table of contents when Open Library has one.
/// </summary>
/// <remarks>
/// Results are cached in <see cref="IMemoryCache"/>: found editions for
/// <see cref="OpenLibraryOptions.CacheDuration"/>; unknown ISBNs, and editions whose work or authors
/// could not be fetched, for the shorter <see cref="OpenLibraryOptions.NegativeCacheDuration"/>; failures
/// are not cached. Every call returns a new <see cref="Edition.Id"/>, cached or not. Thread-safe; register
/// it as a singleton (<see cref="BookBytesBuilderOpenLibraryExtensions.AddOpenLibraryCatalog"/> does).
/// </remarks>
public sealed class OpenLibraryCatalog : IBookCatalog
{
    /// <summary>The name of the <see cref="HttpClient"/> the catalog takes from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "BookBytes.Catalog.OpenLibrary";

    /// <summary>The name of the <see cref="HttpClient"/> that <see cref="GetCoverAsync"/> downloads covers with.</summary>
    public const string CoversHttpClientName = "BookBytes.Catalog.OpenLibrary.Covers";

    /// <summary>The largest cover downloaded, in bytes (Open Library's large covers are a few hundred kilobytes).</summary>
    internal const int MaxCoverBytes = 10 * 1024 * 1024;

    // Anthologies can list dozens of contributors; the pipeline needs a few names, not one request each.
    private const int MaxAuthors = 10;
    private const string CacheKeyPrefix = "BookBytes:Catalog:OpenLibrary:isbn:";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IMemoryCache _cache;
    private readonly OpenLibraryOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="httpClientFactory">Creates the <see cref="HttpClientName"/> client (base address, User-Agent, resilience).</param>
    /// <param name="cache">The cache for lookups.</param>
    /// <param name="options">The catalog options.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public OpenLibraryCatalog(IHttpClientFactory httpClientFactory, IMemoryCache cache, IOptions<OpenLibraryOptions> options, ILogger<OpenLibraryCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClientFactory = httpClientFactory;
        _cache = cache;
        _options = options.Value;
        _logger = logger;
        if (string.IsNullOrWhiteSpace(_options.Contact))
        {
            OpenLibraryLog.NoContact(_logger);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Queries <c>/isbn/{isbn13}.json</c> first. When that is not found and the ISBN has an ISBN-10 form
    /// (a <c>978</c> prefix), <c>/isbn/{isbn10}.json</c> is tried: older editions are often catalogued with
    /// only their ISBN-10, and Open Library does not always resolve the converted ISBN-13 to them.
    /// A work or author that cannot be fetched leaves its fields empty rather than failing the lookup.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="isbn"/> is <c>default</c>.</exception>
    public async Task<Edition?> FindByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        if (isbn == default)
        {
            throw new ArgumentException("The ISBN is empty (default(Isbn)); parse one with Isbn.Parse.", nameof(isbn));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var cacheKey = CacheKeyPrefix + isbn.Value;
        if (_cache.TryGetValue(cacheKey, out CachedLookup? cached) && cached is not null)
        {
            OpenLibraryLog.CacheHit(_logger, isbn.Value, cached.Edition is not null);
            return cached.Edition is null ? null : cached.Edition with { Id = Guid.CreateVersion7() };
        }

        var (edition, complete) = await LookUpAsync(isbn, cancellationToken).ConfigureAwait(false);
        var duration = edition is not null && complete ? _options.CacheDuration : _options.NegativeCacheDuration;
        if (duration > TimeSpan.Zero)
        {
            // Size is set so the entry also fits a host cache that has a SizeLimit.
            _cache.Set(cacheKey, new CachedLookup(edition), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration, Size = 1 });
        }

        return edition;
    }

    private async Task<(Edition? Edition, bool Complete)> LookUpAsync(Isbn isbn, CancellationToken cancellationToken)
    {
        var record = await GetAsync($"isbn/{isbn.Value}.json", EditionRecord.Read, cancellationToken).ConfigureAwait(false);
        if (record is null && isbn.TryGetIsbn10(out var isbn10))
        {
            OpenLibraryLog.FallingBackToIsbn10(_logger, isbn.Value, isbn10);
            record = await GetAsync($"isbn/{isbn10}.json", EditionRecord.Read, cancellationToken).ConfigureAwait(false);
        }

        if (record is null)
        {
            OpenLibraryLog.NotFound(_logger, isbn.Value);
            return (null, true);
        }

        var workTask = record.WorkKey is { } workKey
            ? GetPartAsync(workKey, WorkRecord.Read, isbn, cancellationToken)
            : Task.FromResult<(WorkRecord?, bool)>((null, false));
        var authorsTask = record.AuthorKeys.Count > 0 ? GetAuthorNamesAsync(record.AuthorKeys, isbn, cancellationToken) : null;
        await Task.WhenAll(authorsTask is null ? [workTask] : [workTask, authorsTask]).ConfigureAwait(false);

        var (work, workFailed) = await workTask.ConfigureAwait(false);

        // Many editions list no authors of their own; the work's authors are then the book's.
        authorsTask ??= GetAuthorNamesAsync(work?.AuthorKeys ?? [], isbn, cancellationToken);
        var (authors, authorsFailed) = await authorsTask.ConfigureAwait(false);

        var title = record.Title ?? work?.Title
            ?? throw new CatalogUnavailableException($"Open Library's edition for ISBN {isbn} has no title.", isTransient: false);
        var edition = new Edition
        {
            Id = Guid.CreateVersion7(),
            Isbn13 = isbn.Value,
            Title = record.Subtitle is { } subtitle ? $"{title}: {subtitle}" : title,
            Authors = authors,
            Publisher = record.Publisher,
            PublishYear = PublishDateParser.ParseYear(record.PublishDate),
            Language = LanguageCodes.FromKey(record.LanguageKey),
            PageCount = record.NumberOfPages,
            CoverUrl = record.CoverId is { } coverId
                ? OpenLibraryCovers.UrlOf(_options.CoversBaseUrl, coverId)
                : null,
            Description = work?.Description,
            Subjects = work?.Subjects.Take(_options.MaxSubjects).ToList() ?? [],
            TableOfContents = record.TableOfContents,
        };

        var complete = !workFailed && !authorsFailed;
        OpenLibraryLog.Found(_logger, isbn.Value, edition.Title, edition.TableOfContents.Count, complete);
        return (edition, complete);
    }

    private async Task<(IReadOnlyList<string> Names, bool Failed)> GetAuthorNamesAsync(IReadOnlyList<string> keys, Isbn isbn, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return ([], false);
        }

        var lookups = keys.Distinct(StringComparer.Ordinal).Take(MaxAuthors)
            .Select(key => GetPartAsync(key, ReadAuthorName, isbn, cancellationToken))
            .ToList();
        var results = await Task.WhenAll(lookups).ConfigureAwait(false);
        var names = results.Select(r => r.Value?.Name).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return (names, results.Any(r => r.Failed));
    }

    private static AuthorName ReadAuthorName(JsonElement root) => new(root.GetStringOrNull("name") ?? root.GetStringOrNull("personal_name"));

    /// <summary>Fetches a record the edition links to; a failure is reported, not thrown (the request logged its cause).</summary>
    private async Task<(T? Value, bool Failed)> GetPartAsync<T>(string key, Func<JsonElement, T> read, Isbn isbn, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await GetAsync(OpenLibraryKey.ToJsonPath(key), read, cancellationToken).ConfigureAwait(false), false);
        }
        catch (CatalogUnavailableException)
        {
            OpenLibraryLog.PartFailed(_logger, key, isbn.Value);
            return (null, true);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Downloads the large cover from <see cref="OpenLibraryOptions.CoversBaseUrl"/>: <c>/b/id/{id}-L.jpg</c> when
    /// <see cref="Edition.CoverUrl"/> names an Open Library cover id, else <c>/b/isbn/{isbn13}-L.jpg</c>; both with
    /// <c>default=false</c>, so a book without a cover is a 404 and not a placeholder. The edition's URL itself is never
    /// fetched: it is stored data, and only the configured covers server is asked. The body is streamed and read up to
    /// 10 MiB within <see cref="OpenLibraryOptions.TotalTimeout"/>; it is kept only when its first bytes are a JPEG or PNG
    /// signature, whatever its <c>Content-Type</c> says. Covers are not cached.
    /// </remarks>
    /// <returns>
    /// The image, or <see langword="null"/> when the edition has neither a cover id nor an ISBN, Open Library answers
    /// 404 or 410, or the body is larger than 10 MiB or not a JPEG or PNG image.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="edition"/> is <see langword="null"/>.</exception>
    /// <exception cref="CatalogUnavailableException">
    /// As for <see cref="FindByIsbnAsync"/>: 408, 429, 5xx, time-outs and connection failures (after the retries), also
    /// while the body is read, are transient; another 4xx is not.
    /// </exception>
    public async Task<CoverImage?> GetCoverAsync(Edition edition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edition);
        cancellationToken.ThrowIfCancellationRequested();
        if (OpenLibraryCovers.PathOf(edition) is not { } path)
        {
            return null;
        }

        var client = _httpClientFactory.CreateClient(CoversHttpClientName);
        using var response = await SendAsync(client, path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            OpenLibraryLog.CoverNotFound(_logger, "/" + path);
            return null;
        }

        var answered = Answered(response, path);
        if (response.Content.Headers.ContentLength > MaxCoverBytes)
        {
            OpenLibraryLog.CoverRejected(_logger, answered, "larger than 10 MiB");
            return null;
        }

        byte[]? data;
        using (var body = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // Headers-read returns before the body, outside the resilience time-outs: a stalled body is bounded here.
            body.CancelAfter(_options.TotalTimeout);
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(body.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    data = await OpenLibraryCovers.ReadAtMostAsync(stream, MaxCoverBytes, body.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                OpenLibraryLog.RequestError(_logger, answered, HostOf(client), ex);
                throw new CatalogUnavailableException($"Open Library's cover {answered} could not be read: {ex.Message}", isTransient: true, ex);
            }
        }

        if (data is null)
        {
            OpenLibraryLog.CoverRejected(_logger, answered, "larger than 10 MiB");
            return null;
        }

        if (ImageSignature.MediaTypeOf(data) is not { } mediaType)
        {
            OpenLibraryLog.CoverRejected(_logger, answered, "not a JPEG or PNG image");
            return null;
        }

        return new CoverImage(data, mediaType);
    }

    /// <summary>GETs a JSON record; <see langword="null"/> when Open Library does not have it.</summary>
    private async Task<T?> GetAsync<T>(string path, Func<JsonElement, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var client = _httpClientFactory.CreateClient(HttpClientName);

        // The default completion option buffers the body under HttpClient.Timeout, so a stalled body times out too.
        using var response = await SendAsync(client, path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        var answered = Answered(response, path);
        if (response.Content.Headers.ContentType?.MediaType is { } mediaType
            && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            // A 200 page that is not JSON at all (a maintenance or proxy page) is an outage, not bad data.
            OpenLibraryLog.NotJson(_logger, answered, mediaType);
            throw new CatalogUnavailableException($"Open Library answered {answered} with {mediaType}, not JSON (a maintenance or error page?).", isTransient: true);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException($"Expected a JSON object but found {document.RootElement.ValueKind}.");
                }

                return read(document.RootElement);
            }
        }
        catch (JsonException ex)
        {
            OpenLibraryLog.MalformedResponse(_logger, answered, ex);
            throw new CatalogUnavailableException($"Open Library answered {answered} with a body that is not the expected JSON record: {ex.Message}", isTransient: false, ex);
        }
    }

    /// <summary>
    /// Sends a GET and maps its failures: <see langword="null"/> for 404 and 410, <see cref="CatalogUnavailableException"/>
    /// (transient for time-outs, connection failures, 408, 429 and 5xx) for the rest; the caller disposes the response.
    /// </summary>
    private async Task<HttpResponseMessage?> SendAsync(HttpClient client, string path, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(new Uri(path, UriKind.Relative), completion, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException or OperationCanceledException)
        {
            // ExecutionRejectedException covers the resilience pipeline's attempt/total time-outs, open circuit and rate limiter.
            OpenLibraryLog.RequestError(_logger, "/" + path, HostOf(client), ex);
            throw new CatalogUnavailableException($"Open Library could not be reached for /{path}: {ex.Message}", isTransient: true, ex);
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var answered = Answered(response, path);
                OpenLibraryLog.RequestFailed(_logger, answered, response.StatusCode);
                var status = (int)response.StatusCode;
                var transient = status is 408 or 429 or >= 500;
                throw new CatalogUnavailableException(
                    string.Create(CultureInfo.InvariantCulture, $"Open Library answered {answered} with {status} {response.ReasonPhrase}."),
                    transient);
            }
        }

        return response;
    }

    /// <summary>The path that answered: after a redirect (<c>/isbn/</c> to the edition record, a cover to its file) the final one.</summary>
    private static string Answered(HttpResponseMessage response, string path) => response.RequestMessage?.RequestUri?.AbsolutePath ?? "/" + path;

    private static string HostOf(HttpClient client) => client.BaseAddress?.Authority ?? "(no base address)";

    private sealed record AuthorName(string? Name);

    private sealed record CachedLookup(Edition? Edition);
}
