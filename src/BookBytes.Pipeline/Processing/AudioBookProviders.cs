using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Packaging;
using BookBytes.Storage;
using BookBytes.Tts;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// The adapters the application registered, resolved once by the container: each is optional, and a
/// missing one is reported by the contract it fulfils (worker nodes at start-up, API calls when used).
/// </summary>
/// <param name="llm">The language model, if registered.</param>
/// <param name="tts">The speech provider, if registered.</param>
/// <param name="storage">The audio storage, if registered.</param>
/// <param name="catalog">The book catalog, if registered.</param>
/// <param name="packager">The one-file packager (M4B, MP3), if registered.</param>
internal sealed class AudioBookProviders(
    ILlmProvider? llm = null,
    ITtsProvider? tts = null,
    IStorageBackend? storage = null,
    IBookCatalog? catalog = null,
    IAudioPackager? packager = null)
{
    /// <summary>Gets the packager.</summary>
    /// <exception cref="ProviderNotConfiguredException">None is registered.</exception>
    public IAudioPackager Packager => packager ?? throw Missing("audio packager", nameof(IAudioPackager));

    /// <summary>Gets the packager, or <see langword="null"/> when none is registered.</summary>
    public IAudioPackager? PackagerIfAny => packager;

    /// <summary>Gets the book catalog, or <see langword="null"/> when none is registered.</summary>
    public IBookCatalog? CatalogIfAny => catalog;

    /// <summary>Gets the language model.</summary>
    /// <exception cref="ProviderNotConfiguredException">None is registered.</exception>
    public ILlmProvider Llm => llm ?? throw Missing("language-model provider", nameof(ILlmProvider));

    /// <summary>Gets the language model, or <see langword="null"/> when none is registered.</summary>
    public ILlmProvider? LlmIfAny => llm;

    /// <summary>Gets the speech provider, or <see langword="null"/> when none is registered.</summary>
    public ITtsProvider? TtsIfAny => tts;

    /// <summary>Gets the speech provider.</summary>
    /// <exception cref="ProviderNotConfiguredException">None is registered.</exception>
    public ITtsProvider Tts => tts ?? throw Missing("text-to-speech provider", nameof(ITtsProvider));

    /// <summary>Gets the audio storage.</summary>
    /// <exception cref="ProviderNotConfiguredException">None is registered.</exception>
    public IStorageBackend Storage => storage ?? throw Missing("storage backend", nameof(IStorageBackend));

    /// <summary>Gets the book catalog.</summary>
    /// <exception cref="CatalogUnavailableException">None is registered.</exception>
    public IBookCatalog Catalog => catalog
        ?? throw new CatalogUnavailableException("No book catalog is registered (IBookCatalog); add one with a catalog package's Add… method on the BookBytes builder.");

    /// <summary>Gets the contracts audiobook jobs need that are not registered.</summary>
    public IReadOnlyList<string> MissingForJobs =>
        [.. new (object? Service, string Name)[] { (llm, nameof(ILlmProvider)), (tts, nameof(ITtsProvider)), (storage, nameof(IStorageBackend)) }
            .Where(s => s.Service is null).Select(s => s.Name)];

    /// <summary>
    /// Throws unless both providers audiobook jobs need are registered. Narration makes no language-model call, but
    /// workers claim jobs of every mode only with both (see <see cref="MissingForJobs"/>), so a narration accepted
    /// without one would wait for ever.
    /// </summary>
    /// <exception cref="ProviderNotConfiguredException">The language-model or the text-to-speech provider is missing.</exception>
    public void EnsureProviders()
    {
        if (llm is null || tts is null)
        {
            var missing = (llm, tts) switch
            {
                (null, null) => "language-model (ILlmProvider) and text-to-speech (ITtsProvider) providers are",
                (null, _) => "language-model provider (ILlmProvider) is",
                _ => "text-to-speech provider (ITtsProvider) is",
            };
            throw new ProviderNotConfiguredException($"No {missing} registered; add one with a provider package's Add… method on the BookBytes builder.");
        }
    }

    private static ProviderNotConfiguredException Missing(string what, string contract)
        => new($"No {what} is registered ({contract}); add one with an adapter package's Add… method on the BookBytes builder.");
}
