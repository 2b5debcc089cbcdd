using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Packaging;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Storage;
using BookBytes.Storage;
using BookBytes.Tts;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Processing.Packaging;

/// <summary>
/// Runs packaging jobs: streams the stored chapters of an audiobook's served version through the <see cref="IAudioPackager"/>
/// into one chaptered M4B and MP3 (<c>audiobooks/{id}/v{n}/book.{m4b|mp3}</c>), tagged from the edition and with its cover,
/// and records them as the audiobook's <see cref="AudioBook.Package"/>. A partly made book is packaged with the chapters it has,
/// and the package says so (<see cref="AudioBookPackage.Complete"/>). Every attempt starts over and writes the same keys,
/// so a crashed or retried job simply runs again.
/// </summary>
/// <param name="services">The pipeline's services.</param>
/// <param name="providers">The adapters.</param>
internal sealed partial class PackagingJobHandler(PipelineServices services, AudioBookProviders providers) : IJobHandler
{
    /// <summary>The formats made when a job does not name them.</summary>
    public static readonly IReadOnlyList<PackageFormat> DefaultFormats = [PackageFormat.M4b, PackageFormat.Mp3];

    /// <inheritdoc/>
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.AudiobookPackaging];

    /// <inheritdoc/>
    public async Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (execution.Abandoned is { } abandoned)
        {
            return JobResult.Failed(abandoned);
        }

        PackagingJobPayload payload;
        try
        {
            payload = PackagingJobPayload.Parse(execution.Job.Payload);
        }
        catch (BookBytesException ex)
        {
            return JobResult.Failed(new JobError(ex.ErrorCode, ex.Message));
        }

        using var scope = services.Logger.BeginScope(new Dictionary<string, object> { ["AudioBookId"] = payload.AudioBookId });
        try
        {
            await PackageAsync(execution, payload, cancellationToken).ConfigureAwait(false);
            return JobResult.Completed;
        }
        catch (Exception ex) when (!IsStop(ex, execution, cancellationToken))
        {
            LogPackagingFailed(services.Logger, ex, execution.Job.Id);
            var error = ex is BookBytesException known ? new JobError(known.ErrorCode, known.Message) : new JobError(ErrorCodes.Internal, ex.Message);

            // The runner fails the job instead when no attempt is left.
            return ex is BookBytesException { IsTransient: false } ? JobResult.Failed(error) : JobResult.Retry(error);
        }
    }

    private async Task PackageAsync(JobExecution execution, PackagingJobPayload payload, CancellationToken cancellationToken)
    {
        var packager = providers.Packager;
        var storage = providers.Storage;
        var books = services.Books;
        var book = await books.GetAudioBookAsync(payload.AudioBookId, cancellationToken).ConfigureAwait(false)
            ?? throw new AudioBookNotFoundException(payload.AudioBookId);
        var edition = await books.GetEditionAsync(book.EditionId, cancellationToken).ConfigureAwait(false)
            ?? throw new EditionNotFoundException(book.EditionId);
        var version = book.Version;
        var all = await books.GetChaptersAsync(book.Id, version, cancellationToken).ConfigureAwait(false);
        var stored = Stored(all);
        if (stored.Count == 0)
        {
            throw new BookBytesException($"Audiobook {book.Id} has no stored chapter to package yet.", ErrorCodes.AudioNotReady);
        }

        var formats = (payload.Formats ?? DefaultFormats).Distinct().Where(packager.Supports).ToList();
        if (formats.Count == 0)
        {
            throw new ProviderConfigurationException(
                $"The packager makes none of {string.Join(", ", payload.Formats ?? DefaultFormats)} on this node; for ffmpeg's, install it (apt-get install ffmpeg).");
        }

        await services.Jobs.UpdateProgressAsync(execution.Lease, 5, "Reading the cover", cancellationToken: cancellationToken).ConfigureAwait(false);
        var request = new PackageRequest(
            PackageFormat.M4b,
            [.. stored.Select(c => new PackageChapter(c.Title, c.Format, token => OpenAsync(storage, c.Key, token)))],
            new PackageTags
            {
                Title = edition.Title,
                Authors = edition.Authors,
                Year = edition.PublishYear,
                Narrator = book.Voice,
                Language = edition.Language,
                Publisher = edition.Publisher,
                Description = edition.Description,
            })
        {
            Cover = await CoverAsync(edition, storage, cancellationToken).ConfigureAwait(false),
        };

        var files = new List<PackagedFile>(formats.Count);
        var duration = 0.0;
        for (var i = 0; i < formats.Count; i++)
        {
            var format = formats[i];
            var step = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Packaging {format.GetFileExtension().ToUpperInvariant()} ({stored.Count} of {all.Count} chapters)");
            await services.Jobs.UpdateProgressAsync(execution.Lease, 10 + (85 * i / formats.Count), step, cancellationToken: cancellationToken).ConfigureAwait(false);
            var packaged = await packager.PackageAsync(request with { Format = format }, cancellationToken).ConfigureAwait(false);
            await using (packaged.ConfigureAwait(false))
            {
                var key = AudioBookStorageLayout.Package(book.Id, version, format);
                var content = packaged.OpenRead();
                StoredObject saved;
                await using (content.ConfigureAwait(false))
                {
                    saved = await storage.SaveAsync(key, content, format.GetContentType(), cancellationToken).ConfigureAwait(false);
                }

                files.Add(new PackagedFile(format, key.Value, saved.Length));
                duration = packaged.DurationSeconds;
                LogPackaged(services.Logger, format, stored.Count, all.Count, saved.Length, packaged.DurationSeconds);
            }
        }

        // One linked job runs at a time, so the row read now is the row this job may replace.
        var current = await books.GetAudioBookAsync(book.Id, cancellationToken).ConfigureAwait(false) ?? throw new AudioBookNotFoundException(book.Id);
        var previous = current.Package;
        var now = services.Time.GetUtcNow();
        var package = new AudioBookPackage
        {
            Version = version,
            Chapters = [.. stored.Select(c => c.Number)],
            Complete = stored.Count == all.Count,
            DurationSeconds = duration,
            Files = files,
            CreatedAt = now,
        };
        await books.UpdateAudioBookAsync(current with { Package = package, UpdatedAt = now }, execution.Lease, cancellationToken).ConfigureAwait(false);
        await DeleteReplacedAsync(storage, previous, package, cancellationToken).ConfigureAwait(false);
        await services.Jobs.UpdateProgressAsync(execution.Lease, 100, "Completed", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chapters whose audio is stored, in order, with their keys and formats.</summary>
    private static List<StoredChapter> Stored(IReadOnlyList<Chapter> chapters)
    {
        var stored = new List<StoredChapter>(chapters.Count);
        foreach (var chapter in chapters.OrderBy(c => c.Number))
        {
            if (chapter is { Status: ChapterStatus.Completed, AudioKey: { } text }
                && StorageKey.TryParse(text, out var key)
                && AudioFormatExtensions.TryParse(Path.GetExtension(key.Value).TrimStart('.'), out var format))
            {
                stored.Add(new StoredChapter(chapter.Number, chapter.Title, key, format));
            }
        }

        return stored;
    }

    private static async Task<Stream> OpenAsync(IStorageBackend storage, StorageKey key, CancellationToken cancellationToken)
        => await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException($"The chapter audio at {key} is missing from storage.", isTransient: false);

    /// <summary>The document's own cover, else the catalog's; none when neither can be had (a package without art is still a package).</summary>
    private async Task<CoverImage?> CoverAsync(Edition edition, IStorageBackend storage, CancellationToken cancellationToken)
    {
        try
        {
            if (edition.Document?.CoverKey is { } key)
            {
                return await CoverImages.ReadAsync(storage, key, cancellationToken).ConfigureAwait(false);
            }

            if (edition.CoverUrl is not null && providers.CatalogIfAny is { } catalog
                && await catalog.GetCoverAsync(edition, cancellationToken).ConfigureAwait(false) is { } cover
                && CoverImages.MediaTypeOf(cover.Data.Span) is { } mediaType)
            {
                return cover with { MediaType = mediaType };
            }
        }
        catch (Exception ex) when (ex is BookBytesException or IOException or HttpRequestException)
        {
            LogCoverUnavailable(services.Logger, ex, edition.Id);
        }

        return null;
    }

    /// <summary>
    /// Removes the files of the replaced package that the new one does not list: another version's, and the same version's in a
    /// format not made this time (asked for fewer formats, or a node that makes fewer). The same version's remade keys were overwritten.
    /// </summary>
    private async Task DeleteReplacedAsync(IStorageBackend storage, AudioBookPackage? previous, AudioBookPackage package, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            return;
        }

        foreach (var file in previous.Files.Where(old => !package.Files.Any(f => string.Equals(f.Key, old.Key, StringComparison.Ordinal))))
        {
            try
            {
                if (StorageKey.TryParse(file.Key, out var key))
                {
                    await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (StorageException ex)
            {
                LogOldPackageNotDeleted(services.Logger, ex, file.Key);
            }
        }
    }

    private static bool IsStop(Exception ex, JobExecution execution, CancellationToken cancellationToken) => ex switch
    {
        LeaseLostException => true,
        OperationCanceledException => cancellationToken.IsCancellationRequested || execution.Stopping.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Packaged {Format}: {Chapters} of {Total} chapters, {Bytes} bytes, {DurationSeconds:F1} s")]
    private static partial void LogPackaged(ILogger logger, PackageFormat format, int chapters, int total, long bytes, double durationSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packaging job {JobId} failed")]
    private static partial void LogPackagingFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cover of edition {EditionId} could not be had; packaging without it")]
    private static partial void LogCoverUnavailable(ILogger logger, Exception exception, Guid editionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The replaced package file {Key} could not be deleted")]
    private static partial void LogOldPackageNotDeleted(ILogger logger, Exception exception, string key);

    private sealed record StoredChapter(int Number, string Title, StorageKey Key, AudioFormat Format);
}
