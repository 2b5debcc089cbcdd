using System.Runtime.CompilerServices;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Packaging;
using BookBytes.Pipeline.Jobs;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Processing;

/// <summary>
/// The entry point for applications: look books up, start and refresh audiobooks, and read jobs and
/// audiobooks. Work itself is done by the <see cref="JobRunner"/> of this node or of another node
/// sharing the same stores.
/// </summary>
/// <remarks>A singleton; thread-safe.</remarks>
public sealed class ProcessingService
{
    private readonly IJobStore _jobs;
    private readonly IAudioBookStore _books;
    private readonly AudioBookProviders _providers;
    private readonly JobWakeUp _wakeUp;
    private readonly TimeProvider _time;
    private readonly BookBytesOptions _options;

    internal ProcessingService(
        IJobStore jobs,
        IAudioBookStore books,
        AudioBookProviders providers,
        JobWakeUp wakeUp,
        TimeProvider timeProvider,
        IOptions<BookBytesOptions> options)
    {
        _jobs = jobs;
        _books = books;
        _providers = providers;
        _wakeUp = wakeUp;
        _time = timeProvider;
        _options = options.Value;
    }

    /// <summary>Finds an edition by ISBN: from the store when it was looked up before, else from the catalog (and then stored).</summary>
    /// <param name="isbn">The ISBN.</param>
    /// <param name="cancellationToken">A token that cancels the lookup.</param>
    /// <returns>The stored edition, with its id.</returns>
    /// <exception cref="BookNotFoundException">The catalog does not know the ISBN.</exception>
    /// <exception cref="CatalogUnavailableException">The catalog failed, or none is configured.</exception>
    public async Task<Edition> LookupAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        if (isbn == default)
        {
            throw new ArgumentException("An ISBN is required.", nameof(isbn));
        }

        var stored = await _books.FindEditionByIsbnAsync(isbn, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        var edition = await _providers.Catalog.FindByIsbnAsync(isbn, cancellationToken).ConfigureAwait(false)
            ?? throw new BookNotFoundException(isbn);
        return await _books.UpsertEditionAsync(edition with { Isbn13 = edition.Isbn13 ?? isbn.Value }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds an uploaded document as an edition: the original file and the parsed text are stored under the
    /// edition (<c>sources/{editionId}/original.{ext}</c>, <c>sources/{editionId}/book.json</c>), so every node
    /// can process it and nothing is parsed twice, and the edition (<see cref="EditionSource.Document"/>, a table
    /// of contents with each chapter's number, kind and words) is stored. The edition's id comes from the file's
    /// SHA-256, so the same file added again answers the edition already stored.
    /// </summary>
    /// <remarks>
    /// The document's ISBN becomes the edition's unless another edition (a catalog lookup, or another file)
    /// already holds it; then the document keeps its own edition without one.
    /// </remarks>
    /// <param name="file">The file as uploaded.</param>
    /// <param name="mediaType">The media type it was read as (<c>application/epub+zip</c>, <c>application/pdf</c>, …).</param>
    /// <param name="document">The file, read (by <c>BookBytes.Documents</c>' parser or any <see cref="Documents.IBookDocumentReader"/>).</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The edition, and whether it was new.</returns>
    /// <exception cref="ArgumentException">The file is empty, the media type blank, or the document has no chapters.</exception>
    /// <exception cref="ProviderNotConfiguredException">No storage backend is configured.</exception>
    public async Task<DocumentAdded> AddDocumentAsync(ReadOnlyMemory<byte> file, string mediaType, Documents.BookDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        if (file.IsEmpty)
        {
            throw new ArgumentException("The file is empty.", nameof(file));
        }

        if (document.Chapters.Count == 0)
        {
            throw new ArgumentException("The document has no chapters.", nameof(document));
        }

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file.Span));
        var id = DocumentEditionId(sha256);
        if (await _books.GetEditionAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new DocumentAdded(existing, Created: false);
        }

        var storage = _providers.Storage;
        var originalKey = Storage.DocumentStorageLayout.Original(id, mediaType);
        var textKey = Storage.DocumentStorageLayout.Text(id);
        using (var original = new MemoryStream(file.ToArray(), writable: false))
        {
            await storage.SaveAsync(originalKey, original, mediaType, cancellationToken).ConfigureAwait(false);
        }

        using (var text = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document with { Cover = null }, EditionText.Json), writable: false))
        {
            await storage.SaveAsync(textKey, text, "application/json", cancellationToken).ConfigureAwait(false);
        }

        await EditionText.SaveChaptersAsync(storage, id, document, cancellationToken).ConfigureAwait(false);

        // The cover is kept for packaged audiobooks and the library, by what its bytes are (never a name or type from the file).
        StorageKey? coverKey = null;
        if (document.Cover is { } cover && Packaging.CoverImages.MediaTypeOf(cover.Data.Span) is { } coverType)
        {
            coverKey = Storage.DocumentStorageLayout.Cover(id, Packaging.CoverImages.ExtensionOf(coverType));
            using var image = new MemoryStream(cover.Data.ToArray(), writable: false);
            await storage.SaveAsync(coverKey.Value, image, coverType, cancellationToken).ConfigureAwait(false);
        }

        var isbn = document.Isbn13 is { } candidate
            && Isbn.TryParse(candidate, out var parsed)
            && await _books.FindEditionByIsbnAsync(parsed, cancellationToken).ConfigureAwait(false) is null
                ? parsed.Value
                : null;
        var edition = new Edition
        {
            Id = id,
            Isbn13 = isbn,
            Title = document.Title,
            Authors = document.Authors,
            Language = document.Language,
            Description = document.Description,
            TableOfContents = [.. document.Chapters.Select(c => new TableOfContentsEntry(c.Title, c.Level, IsFrontOrBackMatter: c.Kind != Documents.ChapterKind.Body)
            {
                Number = c.Number,
                Kind = c.Kind,
                Words = c.Words,
            })],
            Source = EditionSource.Document,
            Document = new EditionDocument(mediaType, sha256, file.Length, originalKey, textKey) { CoverKey = coverKey },
        };
        var stored = await _books.UpsertEditionAsync(edition, cancellationToken).ConfigureAwait(false);
        return new DocumentAdded(stored, Created: true);
    }

    /// <summary>Gets a stored edition of either kind.</summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The edition, or <see langword="null"/> when none has the id.</returns>
    public Task<Edition?> GetEditionAsync(Guid editionId, CancellationToken cancellationToken = default)
        => _books.GetEditionAsync(editionId, cancellationToken);

    /// <summary>Starts an audiobook for the edition with the given ISBN, looking the book up first.</summary>
    /// <param name="isbn">The ISBN.</param>
    /// <param name="voice">The voice; <see langword="null"/> for the provider's default.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the new audiobook.</returns>
    /// <exception cref="BookNotFoundException">The catalog does not know the ISBN.</exception>
    /// <exception cref="CatalogUnavailableException">The catalog failed.</exception>
    /// <exception cref="AudioBookExistsException">The edition already has an audiobook with a job; the exception names it. (An audiobook left without any job by an interrupted start gets its job instead.)</exception>
    /// <exception cref="ProviderNotConfiguredException">No LLM or TTS provider is configured.</exception>
    /// <exception cref="ArgumentException">The voice name is malformed (more than 64 characters, or others than letters, digits, '-', '_' and '.').</exception>
    /// <exception cref="VoiceUnknownException">The provider lists its voices, takes no others, and this is not one of them.</exception>
    public Task<ProcessingStarted> StartProcessingAsync(Isbn isbn, string? voice = null, CancellationToken cancellationToken = default)
        => StartProcessingAsync(isbn, new AudioBookRequest { Voice = voice }, cancellationToken);

    /// <summary>Starts an audiobook for the edition with the given ISBN, looking the book up first: summaries from what the model knows of it, of the chosen chapters.</summary>
    /// <param name="isbn">The ISBN.</param>
    /// <param name="request">What to make (mode, chapters, voice, summary length).</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the new audiobook.</returns>
    /// <exception cref="BookNotFoundException">The catalog does not know the ISBN.</exception>
    /// <exception cref="CatalogUnavailableException">The catalog failed.</exception>
    /// <exception cref="AudioBookExistsException">The edition already has an audiobook in this mode with a job; the exception names it.</exception>
    /// <exception cref="ProviderNotConfiguredException">A provider the mode needs is not configured, or the summariser works only from a book's text (<see cref="Llm.ILlmProvider.RequiresText"/>) and the book has none.</exception>
    /// <exception cref="ArgumentException">The voice, mode, chapters or summary length is invalid for the edition (the parameter name is the field's).</exception>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: narration of an edition without text.</exception>
    /// <exception cref="VoiceUnknownException">The provider lists its voices, takes no others, and this is not one of them.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the edition's key (Guid or Isbn) and in what they take (a voice or a request); no call binds ambiguously.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:Public API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads differ in the edition's key (Guid or Isbn) and in what they take (a voice or a request); no call binds ambiguously.")]
    public async Task<ProcessingStarted> StartProcessingAsync(Isbn isbn, AudioBookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var voiceToUse = ResolveVoice(request.Voice);
        if (request.Mode == AudioBookMode.Summary)
        {
            // A catalog edition's summary is the model's: refused before the catalog is asked when the summariser needs text.
            EnsureSummariser(request.Mode, AudioBookGrounding.Model);
        }

        var edition = await LookupAsync(isbn, cancellationToken).ConfigureAwait(false);
        return await StartAsync(edition, request, voiceToUse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts an audiobook for a stored edition.</summary>
    /// <param name="editionId">The edition id, as returned by <see cref="LookupAsync"/>.</param>
    /// <param name="voice">The voice; <see langword="null"/> for the provider's default.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the new audiobook.</returns>
    /// <exception cref="EditionNotFoundException">No edition has the id.</exception>
    /// <exception cref="AudioBookExistsException">The edition already has an audiobook with a job; the exception names it. (An audiobook left without any job by an interrupted start gets its job instead.)</exception>
    /// <exception cref="ProviderNotConfiguredException">No LLM or TTS provider is configured.</exception>
    /// <exception cref="ArgumentException">The voice name is malformed (more than 64 characters, or others than letters, digits, '-', '_' and '.').</exception>
    /// <exception cref="VoiceUnknownException">The provider lists its voices, takes no others, and this is not one of them.</exception>
    public Task<ProcessingStarted> StartProcessingAsync(Guid editionId, string? voice = null, CancellationToken cancellationToken = default)
        => StartProcessingAsync(editionId, new AudioBookRequest { Voice = voice }, cancellationToken);

    /// <summary>
    /// Starts an audiobook for a stored edition: summaries (of each chapter's text for a document edition, else from what
    /// the model knows of the book) or, for a document edition, its text narrated — of the chosen chapters.
    /// </summary>
    /// <param name="editionId">The edition id, as returned by <see cref="LookupAsync"/> or <see cref="AddDocumentAsync"/>.</param>
    /// <param name="request">What to make (mode, chapters, voice, summary length).</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the new audiobook.</returns>
    /// <exception cref="EditionNotFoundException">No edition has the id.</exception>
    /// <exception cref="AudioBookExistsException">The edition already has an audiobook in this mode with a job; the exception names it. (An audiobook left without any job by an interrupted start gets its job instead.)</exception>
    /// <exception cref="ProviderNotConfiguredException">A provider the mode needs is not configured, or the summariser works only from a book's text (<see cref="Llm.ILlmProvider.RequiresText"/>) and the book has none.</exception>
    /// <exception cref="ArgumentException">The voice, mode, chapters or summary length is invalid for the edition (the parameter name is the field's).</exception>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: narration of an edition without text.</exception>
    /// <exception cref="VoiceUnknownException">The provider lists its voices, takes no others, and this is not one of them.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the edition's key (Guid or Isbn) and in what they take (a voice or a request); no call binds ambiguously.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:Public API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads differ in the edition's key (Guid or Isbn) and in what they take (a voice or a request); no call binds ambiguously.")]
    public async Task<ProcessingStarted> StartProcessingAsync(Guid editionId, AudioBookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var voiceToUse = ResolveVoice(request.Voice);
        var edition = await _books.GetEditionAsync(editionId, cancellationToken).ConfigureAwait(false)
            ?? throw new EditionNotFoundException(editionId);
        return await StartAsync(edition, request, voiceToUse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Estimates what an audiobook of a stored edition would take — its chapters, language-model tokens, speech characters,
    /// time on this node and cost — without calling any provider (a document edition's stored text is read).
    /// </summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="request">What would be made, as for <see cref="StartProcessingAsync(Guid, AudioBookRequest, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="EditionNotFoundException">No edition has the id.</exception>
    /// <exception cref="ArgumentException">The mode, chapters or summary length is invalid for the edition (the parameter name is the field's).</exception>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: narration of an edition without text.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the edition's key (Guid or Isbn); no call binds ambiguously.")]
    public async Task<Estimates.AudioBookEstimate> EstimateAsync(Guid editionId, AudioBookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var edition = await _books.GetEditionAsync(editionId, cancellationToken).ConfigureAwait(false)
            ?? throw new EditionNotFoundException(editionId);
        return await EstimateAsync(edition, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Estimates what an audiobook of the edition with the given ISBN would take, looking the book up first (the catalog is asked; no model is).</summary>
    /// <param name="isbn">The ISBN.</param>
    /// <param name="request">What would be made.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="BookNotFoundException">The catalog does not know the ISBN.</exception>
    /// <exception cref="CatalogUnavailableException">The catalog failed.</exception>
    /// <exception cref="ArgumentException">The mode, chapters or summary length is invalid for the edition.</exception>
    /// <exception cref="BookBytesException"><see cref="ErrorCodes.TextRequired"/>: narration of an edition without text.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the edition's key (Guid or Isbn); no call binds ambiguously.")]
    public async Task<Estimates.AudioBookEstimate> EstimateAsync(Isbn isbn, AudioBookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var edition = await LookupAsync(isbn, cancellationToken).ConfigureAwait(false);
        return await EstimateAsync(edition, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refreshes an audiobook. Without <paramref name="force"/> only missing or failed chapters are
    /// redone (stored summaries and audio are kept); with it a new version is built from a new outline,
    /// while the current version stays readable until the new one is complete.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="force">Build a whole new version.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the audiobook.</returns>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="JobInProgressException">A job for the audiobook is pending or processing.</exception>
    /// <exception cref="ProviderNotConfiguredException">No LLM or TTS provider is configured.</exception>
    public Task<ProcessingStarted> RefreshAsync(Guid audioBookId, bool force = false, CancellationToken cancellationToken = default)
        => RefreshAsync(audioBookId, new RefreshRequest { Force = force }, cancellationToken);

    /// <summary>
    /// Refreshes an audiobook: redoes missing or failed chapters (stored summaries and audio are kept), adds the chapters the
    /// request names without redoing the others, or with <see cref="RefreshRequest.Force"/> builds a whole new version (of the
    /// current chapters and the named ones) while the current version stays readable until the new one is complete.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="request">How to refresh.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the audiobook.</returns>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="JobInProgressException">A job for the audiobook is pending or processing.</exception>
    /// <exception cref="ProviderNotConfiguredException">A provider the audiobook's mode needs is not configured, or its summary is from a model's memory and the summariser works only from text.</exception>
    /// <exception cref="ArgumentException">A named chapter is not in the edition, or the edition's chapters cannot be chosen (parameter <c>chapters</c>).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in what they take (a flag or a request); no call binds ambiguously.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:Public API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads differ in what they take (a flag or a request); no call binds ambiguously.")]
    public async Task<ProcessingStarted> RefreshAsync(Guid audioBookId, RefreshRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var force = request.Force;
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false)
            ?? throw new AudioBookNotFoundException(audioBookId);
        _providers.EnsureProviders();
        EnsureSummariser(book.Mode, book.Grounding);
        IReadOnlyList<int>? chapters = null;
        if (request.Chapters is not null || force)
        {
            var edition = await _books.GetEditionAsync(book.EditionId, cancellationToken).ConfigureAwait(false)
                ?? throw new EditionNotFoundException(book.EditionId);
            if (request.Chapters is not null)
            {
                chapters = ChapterPlan.Select(edition, request.Chapters, book.Mode, book.Grounding);
            }

            if (force && ChapterPlan.Offered(edition, book.Grounding).Count > 0)
            {
                // A new version is made of the chapters the audiobook has, and the named ones.
                var current = await _books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false);
                chapters = [.. current.Select(c => c.Number).Concat(chapters ?? []).Distinct().Order()];
                if (chapters.Count == 0)
                {
                    chapters = null;
                }
            }
        }
        // A quick answer; the enqueue below decides atomically.
        var jobIds = await _books.GetJobIdsForAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
        if (await ActiveJobAsync(jobIds, cancellationToken).ConfigureAwait(false) is { } busy)
        {
            throw new JobInProgressException(audioBookId, busy);
        }

        // A forced refresh fixes the version it builds now, in the job's payload, so a retried job never
        // starts yet another one and an unfinished forced build is carried on rather than abandoned. The job
        // records it on the audiobook when it starts; writing it here, before the enqueue has decided
        // whether this refresh goes ahead, could leave it behind on an audiobook another job is working on.
        int? target = force ? book.PendingVersion ?? book.Version + 1 : null;
        var job = await EnqueueAsync(JobKind.AudiobookRefresh, new AudioBookJobPayload(audioBookId, force, target, chapters), cancellationToken).ConfigureAwait(false);
        return new ProcessingStarted(job, book);
    }

    /// <summary>
    /// Packages an audiobook's served version into one chaptered M4B and MP3 (a packaging job), with the chapters stored now: a
    /// partly made book is packaged with what it has, and <see cref="AudioBook.Package"/> says so. Ask again after chapters were added,
    /// or to remake the files.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="formats">The formats to make; <see langword="null"/> for every format the packager makes.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The pending job and the audiobook.</returns>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="ProviderNotConfiguredException">No packager (<see cref="IAudioPackager"/>) or storage is registered, or the packager makes none of the formats here.</exception>
    /// <exception cref="BookBytesException">No chapter of the audiobook is stored yet (code <see cref="ErrorCodes.AudioNotReady"/>).</exception>
    /// <exception cref="JobInProgressException">A job for the audiobook is pending or processing.</exception>
    public async Task<ProcessingStarted> PackageAsync(Guid audioBookId, IReadOnlyCollection<PackageFormat>? formats = null, CancellationToken cancellationToken = default)
    {
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false)
            ?? throw new AudioBookNotFoundException(audioBookId);
        var packager = _providers.Packager;
        _ = _providers.Storage;
        var wanted = formats is { Count: > 0 } ? formats.Distinct().ToList() : [.. Packaging.PackagingJobHandler.DefaultFormats];
        if (!wanted.Any(packager.Supports))
        {
            throw new ProviderNotConfiguredException($"The packager cannot make {string.Join(" or ", wanted)} here; for ffmpeg's packager, install ffmpeg (apt-get install ffmpeg).");
        }

        var chapters = await _books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false);
        if (chapters.All(c => c.Status != ChapterStatus.Completed))
        {
            throw new BookBytesException($"Audiobook {audioBookId} has no stored chapter to package yet.", ErrorCodes.AudioNotReady);
        }

        var payload = new Packaging.PackagingJobPayload(audioBookId, formats is { Count: > 0 } ? wanted : null);
        var job = await _books.EnqueueLinkedJobAsync(audioBookId, new NewJob(JobKind.AudiobookPackaging, payload.ToJson(), _options.Jobs.MaxAttempts), cancellationToken).ConfigureAwait(false);
        _wakeUp.Signal(job.Id);
        return new ProcessingStarted(job, book);
    }

    /// <summary>
    /// Gets the WebVTT transcript of a chapter of an audiobook's served version: cues per sentence, timed from each synthesized
    /// chunk's audio as stored when the chapter was spoken; for a chapter stored without one, derived from its text and duration.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="chapterNumber">The chapter number.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The transcript, or <see langword="null"/> when the chapter's audio is not stored yet.</returns>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The served version has no chapter with the number.</exception>
    public async Task<string?> GetTranscriptAsync(Guid audioBookId, int chapterNumber, CancellationToken cancellationToken = default)
    {
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false)
            ?? throw new AudioBookNotFoundException(audioBookId);
        var chapter = (await _books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Number == chapterNumber)
            ?? throw new ArgumentOutOfRangeException(nameof(chapterNumber), chapterNumber, $"Audiobook {audioBookId} has no chapter {chapterNumber}.");
        if (chapter is not { Status: ChapterStatus.Completed, AudioKey: not null })
        {
            return null;
        }

        var storage = _providers.Storage;
        var stream = await storage.OpenReadAsync(Storage.AudioBookStorageLayout.Transcript(audioBookId, book.Version, chapterNumber), cancellationToken).ConfigureAwait(false);
        if (stream is not null)
        {
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        string? text = chapter.Summary;
        if (book.Mode == AudioBookMode.Narration)
        {
            var edition = await _books.GetEditionAsync(book.EditionId, cancellationToken).ConfigureAwait(false) ?? throw new EditionNotFoundException(book.EditionId);
            text = await new ChapterTexts(storage, edition).ReadAsync(chapterNumber, cancellationToken).ConfigureAwait(false) is { } source ? EditionText.Narrated(source) : null;
        }

        return Transcripts.WebVtt.Write(text is null ? [] : [new Transcripts.TimedText(text, chapter.DurationSeconds ?? 0)]);
    }

    /// <summary>
    /// Enqueues a job of any kind — one an application added with <c>AddJobHandler</c>, say — and wakes this node's
    /// runner for it. Audiobook jobs are started with <see cref="StartProcessingAsync(Guid, string?, CancellationToken)"/>
    /// and <see cref="RefreshAsync(Guid, RefreshRequest, CancellationToken)"/>, which also link them to their audiobook.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">A token that cancels the call (not the job).</param>
    /// <returns>The stored, pending job.</returns>
    /// <exception cref="ArgumentException">The job has no kind, an empty payload, or fewer than one attempt.</exception>
    public async Task<Job> EnqueueJobAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stored = await _jobs.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        _wakeUp.Signal(stored.Id);
        return stored;
    }

    /// <summary>Gets a job and the audiobook it works on.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The job, or <see langword="null"/> when none has the id.</returns>
    public async Task<JobDetails?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await _jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var audioBookId = await _books.GetAudioBookIdForJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        return new JobDetails(job, audioBookId);
    }

    /// <summary>Lists jobs, newest first (by creation), each with the audiobook it works on, filtered by status and kind.</summary>
    /// <param name="status">Only jobs with this status; <see langword="null"/> for all.</param>
    /// <param name="type">Only jobs of this kind; <see langword="null"/> for all.</param>
    /// <param name="page">The 1-based page.</param>
    /// <param name="pageSize">Jobs per page, 1 to 100.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The page and the total count of matching jobs.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="page"/> or <paramref name="pageSize"/> is out of range; the message says the range.</exception>
    public async Task<JobListPage> ListJobsAsync(JobStatus? status = null, JobKind? type = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        var skip = Paging(page, pageSize);
        var found = await _jobs.ListJobsAsync(new JobQuery(status, type, skip, pageSize), cancellationToken).ConfigureAwait(false);

        // One indexed look-up per job, at most pageSize of them: cheaper to keep than a batch method on every store.
        var items = new List<JobDetails>(found.Items.Count);
        foreach (var job in found.Items)
        {
            items.Add(new JobDetails(job, await _books.GetAudioBookIdForJobAsync(job.Id, cancellationToken).ConfigureAwait(false)));
        }

        return new JobListPage(items, found.Total, page, pageSize);
    }

    /// <summary>
    /// Cancels a pending or processing job. A pending job never starts; a processing one loses its lease at once, so the worker
    /// running it — on any node — stops within <see cref="JobsOptions.CancelCheckInterval"/> and makes no further provider calls.
    /// Its audiobook keeps every chapter stored so far and is marked by what it holds (completed, partly made, or failed when
    /// nothing is stored); a refresh later carries on from there. Cancelling a cancelled job answers it again.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The cancelled job and its audiobook, if any.</returns>
    /// <exception cref="JobNotFoundException">No job has the id.</exception>
    /// <exception cref="BookBytesException">The job has already completed or failed (code <see cref="ErrorCodes.JobEnded"/>).</exception>
    public async Task<JobDetails> CancelJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await _jobs.CancelAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
        if (job.Status != JobStatus.Cancelled)
        {
            throw new BookBytesException($"Job {jobId} has already {(job.Status == JobStatus.Completed ? "completed" : "failed")}: there is nothing to cancel.", ErrorCodes.JobEnded);
        }

        var audioBookId = await _books.GetAudioBookIdForJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (audioBookId is { } id && job.Type != JobKind.AudiobookPackaging)
        {
            await SettleCancelledAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return new JobDetails(job, audioBookId);
    }

    /// <summary>
    /// Deletes an audiobook: its rows (the audiobook, its chapters of every version, its jobs), then every stored object under
    /// <c>audiobooks/{id}/</c> — chapter audio, segments, transcripts and packaged files of every version. Its edition and the
    /// edition's uploaded document are kept. Idempotent: deleting again, or an id that never existed, deletes what is left under
    /// its folder and answers <see langword="false"/>, so a delete whose storage part failed can simply be asked again.
    /// </summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="cancel">Cancel its pending or processing jobs first (see <see cref="CancelJobAsync"/>) instead of refusing.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when the audiobook existed and was deleted.</returns>
    /// <exception cref="JobInProgressException">A job of the audiobook is pending or processing and <paramref name="cancel"/> is not set; nothing was deleted.</exception>
    /// <exception cref="StorageException">Deleting the stored objects failed after the rows were deleted; ask again.</exception>
    public async Task<bool> DeleteAudioBookAsync(Guid audioBookId, bool cancel = false, CancellationToken cancellationToken = default)
    {
        if (cancel)
        {
            foreach (var jobId in await _books.GetJobIdsForAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false))
            {
                await _jobs.CancelAsync(jobId, cancellationToken).ConfigureAwait(false);
            }
        }

        var deleted = await _books.DeleteAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
        // A worker stopping a job just cancelled may still land an object here; deleting again removes it.
        await _providers.Storage.DeleteUnderAsync(Pipeline.Storage.AudioBookStorageLayout.Folder(audioBookId), cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    // The cancelled job can no longer write (its lease is gone): the audiobook is marked by the chapters it holds.
    private async Task SettleCancelledAsync(Guid audioBookId, CancellationToken cancellationToken)
    {
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
        if (book is not { Status: AudioBookStatus.Pending or AudioBookStatus.Processing })
        {
            return;
        }

        var chapters = await _books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false);
        var stored = chapters.Count(c => c.Status == ChapterStatus.Completed);
        var whole = stored > 0 && stored == chapters.Count;
        await _books.UpdateAudioBookAsync(
            book with
            {
                Status = whole ? AudioBookStatus.Completed : stored > 0 ? AudioBookStatus.PartiallyCompleted : AudioBookStatus.Failed,
                ErrorMessage = whole ? null : $"Cancelled with {stored} of {chapters.Count} chapters stored; a refresh carries on from there.",
                UpdatedAt = _time.GetUtcNow(),
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Yields the job now and again each time it changes, until it reaches a terminal status, polling
    /// the store every <paramref name="pollInterval"/>.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="pollInterval">How often to look; 250 ms when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that ends the watch.</param>
    /// <returns>The job's successive states; the last one is terminal unless cancelled.</returns>
    /// <exception cref="JobNotFoundException">No job has the id.</exception>
    public async IAsyncEnumerable<JobDetails> WatchJobAsync(Guid jobId, TimeSpan? pollInterval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        var details = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
        yield return details;
        while (!details.Job.IsTerminal)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            var next = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
            if (next.Job != details.Job)
            {
                details = next;
                yield return details;
            }
        }
    }

    /// <summary>Gets an audiobook with its edition and the chapters of its served version.</summary>
    /// <param name="audioBookId">The audiobook id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The audiobook, or <see langword="null"/> when none has the id.</returns>
    public async Task<AudioBookDetails?> GetAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false);
        if (book is null)
        {
            return null;
        }

        var edition = await _books.GetEditionAsync(book.EditionId, cancellationToken).ConfigureAwait(false)
            ?? throw new EditionNotFoundException(book.EditionId);
        var chapters = await _books.GetChaptersAsync(audioBookId, book.Version, cancellationToken).ConfigureAwait(false);
        return new AudioBookDetails(book, edition, chapters);
    }

    /// <summary>
    /// Opens a chapter's audio while the chapter is being made, to listen before it is finished: its stored segments in order,
    /// each new one as it lands, and the rest of the chapter's file once it is stored — exactly the bytes of the finished
    /// chapter. Waits up to <paramref name="firstAudioWait"/> for the chapter's first segment.
    /// </summary>
    /// <remarks>
    /// Only MP3, AAC and PCM chapters are read so (a WAV file's header holds its whole length); a chapter whose file is stored
    /// is read the same way. Reading it polls the storage every 100 ms and gives up when nothing new comes for five minutes.
    /// </remarks>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="chapterNumber">The chapter number in the audiobook's served version.</param>
    /// <param name="firstAudioWait">How long to wait for the first segment.</param>
    /// <param name="cancellationToken">A token that cancels the wait.</param>
    /// <returns>The audio to read; <see langword="null"/> when the audiobook is not being made, nothing came in time, the chapter failed, or its format is not read while it is made.</returns>
    /// <exception cref="AudioBookNotFoundException">No audiobook has the id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstAudioWait"/> is negative.</exception>
    /// <exception cref="StorageException">The storage failed.</exception>
    public async Task<ChapterAudioInProgress?> OpenChapterAudioInProgressAsync(Guid audioBookId, int chapterNumber, TimeSpan firstAudioWait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstAudioWait, TimeSpan.Zero);
        var book = await _books.GetAudioBookAsync(audioBookId, cancellationToken).ConfigureAwait(false)
            ?? throw new AudioBookNotFoundException(audioBookId);
        if (book.Status is not (AudioBookStatus.Pending or AudioBookStatus.Processing) || book.PendingVersion is not null)
        {
            return null;
        }

        return await ChapterAudioInProgress.OpenAsync(_books, _providers.Storage, _time, audioBookId, book.Version, chapterNumber, firstAudioWait, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists audiobooks, newest first, each with its edition (read together, not one by one).</summary>
    /// <param name="page">The 1-based page.</param>
    /// <param name="pageSize">Audiobooks per page, 1 to 100.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The page and the total count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="page"/> or <paramref name="pageSize"/> is out of range; the message says the range.</exception>
    public async Task<AudioBookListPage> ListAudioBooksAsync(int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        var skip = Paging(page, pageSize);
        var found = await _books.ListAudioBooksAsync(skip, pageSize, cancellationToken).ConfigureAwait(false);
        var editions = (await _books.GetEditionsAsync([.. found.Items.Select(b => b.EditionId).Distinct()], cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Id);
        return new AudioBookListPage([.. found.Items.Select(b => new AudioBookListEntry(b, editions.GetValueOrDefault(b.EditionId)))], found.Total, page, pageSize);
    }

    // The list routes' paging rules, in one place: page 1 or more, 1 to 100 per page; returns how many to skip.
    private static int Paging(int page, int pageSize)
    {
        if (page < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, "page is 1 or more.");
        }

        if (pageSize is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "pageSize is between 1 and 100.");
        }

        var skip = (long)(page - 1) * pageSize;
        if (skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, "page is too large for this pageSize.");
        }

        return (int)skip;
    }

    private async Task<Estimates.AudioBookEstimate> EstimateAsync(Edition edition, AudioBookRequest request, CancellationToken cancellationToken)
    {
        var chosen = ChapterPlan.Resolve(edition, request);
        var document = edition.Source == EditionSource.Document
            ? await EditionText.ReadAsync(_providers.Storage, edition, cancellationToken).ConfigureAwait(false)
            : null;
        return Estimates.Estimator.Estimate(edition, request, chosen, document, _providers.LlmIfAny, _providers.TtsIfAny, _options);
    }

    private async Task<ProcessingStarted> StartAsync(Edition edition, AudioBookRequest request, string? voice, CancellationToken cancellationToken)
    {
        var chapters = ChapterPlan.Resolve(edition, request);
        EnsureSummariser(request.Mode, ChapterPlan.GroundingOf(edition));
        voice ??= DefaultVoice(edition.Language) ?? throw new ArgumentException("The text-to-speech provider names no voice; pass one.", nameof(voice));
        var existing = await _books.FindAudioBookByEditionAsync(edition.Id, request.Mode, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return await ResumeOrRefuseAsync(existing, chapters, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var book = new AudioBook
        {
            Id = Guid.CreateVersion7(now),
            EditionId = edition.Id,
            Mode = request.Mode,
            Grounding = ChapterPlan.GroundingOf(edition),
            SummaryWords = request.SummaryWords,
            Status = AudioBookStatus.Pending,
            Voice = voice,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await _books.CreateAudioBookAsync(book, cancellationToken).ConfigureAwait(false);
        }
        catch (AudioBookExistsException raced)
        {
            // Another request created it after the look above.
            existing = await _books.GetAudioBookAsync(raced.ExistingAudioBookId, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw;
            }

            return await ResumeOrRefuseAsync(existing, chapters, cancellationToken).ConfigureAwait(false);
        }

        // Once the audiobook exists its job must follow: a caller giving up now must not leave it without one. Its chosen
        // chapters are stored with it first, so they are the audiobook's even if its first job fails before it starts.
        if (chapters is not null)
        {
            var titles = ChapterPlan.Offered(edition, book.Grounding).ToDictionary(c => c.Number, c => c.Title);
            await _books.SaveChaptersAsync(
                [.. chapters.Select(n => new Chapter
                {
                    AudioBookId = book.Id,
                    Version = book.Version,
                    Number = n,
                    Title = titles.GetValueOrDefault(n) is { Length: > 0 } title ? title : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Chapter {n}"),
                    Status = ChapterStatus.Pending,
                    UpdatedAt = now,
                })],
                lease: null,
                CancellationToken.None).ConfigureAwait(false);
        }

        return await EnqueueFirstJobAsync(book, chapters, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<ProcessingStarted> ResumeOrRefuseAsync(AudioBook existing, IReadOnlyList<int>? chapters, CancellationToken cancellationToken)
    {
        // An audiobook without any job was left by a start interrupted between creating it and enqueueing
        // its job (a crash, a lost store connection): asking again gives it its job. Any other is refused.
        var jobIds = await _books.GetJobIdsForAudioBookAsync(existing.Id, cancellationToken).ConfigureAwait(false);
        if (jobIds.Count > 0)
        {
            throw new AudioBookExistsException(existing.EditionId, existing.Id, await ActiveJobAsync(jobIds, cancellationToken).ConfigureAwait(false));
        }

        return await EnqueueFirstJobAsync(existing, chapters, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProcessingStarted> EnqueueFirstJobAsync(AudioBook book, IReadOnlyList<int>? chapters, CancellationToken cancellationToken)
    {
        try
        {
            var job = await EnqueueAsync(JobKind.AudiobookGeneration, new AudioBookJobPayload(book.Id, Chapters: chapters), cancellationToken).ConfigureAwait(false);
            return new ProcessingStarted(job, book);
        }
        catch (JobInProgressException first)
        {
            // A concurrent request for the same edition enqueued it a moment earlier: both answer with that job.
            var job = await _jobs.GetAsync(first.JobId, cancellationToken).ConfigureAwait(false)
                ?? throw new AudioBookExistsException(book.EditionId, book.Id);
            return new ProcessingStarted(job, book);
        }
    }

    /// <summary>
    /// The first of the jobs that is pending or processing, if any — leaving out a packaging job still waiting to start, which a new
    /// job supersedes (see <see cref="IAudioBookStore.EnqueueLinkedJobAsync"/>).
    /// </summary>
    private async Task<Guid?> ActiveJobAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken)
    {
        foreach (var jobId in jobIds)
        {
            if (await _jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { IsTerminal: false } job
                && !(job.Status == JobStatus.Pending && job.Type == JobKind.AudiobookPackaging))
            {
                return jobId;
            }
        }

        return null;
    }

    private async Task<Job> EnqueueAsync(JobKind type, AudioBookJobPayload payload, CancellationToken cancellationToken)
    {
        // Enqueued and linked atomically, unless the audiobook has a job in progress (on any node).
        var job = await _books.EnqueueLinkedJobAsync(payload.AudioBookId, new NewJob(type, payload.ToJson(), _options.Jobs.MaxAttempts), cancellationToken).ConfigureAwait(false);
        _wakeUp.Signal(job.Id);
        return job;
    }

    // A summariser that works only from a book's text cannot summarise from a model's memory: refused before any job exists.
    private void EnsureSummariser(AudioBookMode mode, AudioBookGrounding grounding)
    {
        if (mode == AudioBookMode.Summary && grounding == AudioBookGrounding.Model && _providers.Llm.RequiresText)
        {
            throw new ProviderNotConfiguredException(
                $"The summariser ({_providers.Llm.ModelId ?? _providers.Llm.GetType().Name}) works only from a book's text, and this book is known only by "
                + "its catalog entry: upload the book's file to summarise or narrate it, or configure a language model that knows books.");
        }
    }

    // The provider's voice for the book's language, else its default voice; null when it names none.
    private string? DefaultVoice(string language)
    {
        var tts = _providers.Tts;
        var capabilities = tts.Capabilities;
        return tts.VoiceFor(language) ?? capabilities.DefaultVoice ?? (capabilities.Voices.Count > 0 ? capabilities.Voices[0] : null);
    }

    // The voice as the provider spells it, or null when the request names none (chosen by the book's language at the start).
    private string? ResolveVoice(string? voice)
    {
        _providers.EnsureProviders();
        var capabilities = _providers.Tts.Capabilities;
        if (string.IsNullOrWhiteSpace(voice))
        {
            return null;
        }

        voice = voice.Trim();
        if (voice.Length > 64 || !voice.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException("A voice name has at most 64 letters, digits, '-', '_' or '.'.", nameof(voice));
        }

        // A listed voice is used as the provider spells it: APIs compare names exactly.
        var listed = capabilities.Voices.FirstOrDefault(v => string.Equals(v, voice, StringComparison.OrdinalIgnoreCase));
        if (listed is null && !capabilities.AcceptsOtherVoices)
        {
            throw new VoiceUnknownException(voice, capabilities.Voices);
        }

        return listed ?? voice;
    }

    // A version-8 (custom) UUID from the file's hash: the same file is the same edition on every node.
    private static Guid DocumentEditionId(string sha256)
    {
        var bytes = Convert.FromHexString(sha256.AsSpan(0, 32));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
