using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;

namespace BookBytes.Pipeline.Stores;

/// <summary>The audiobook side of the in-memory store: editions, audiobooks, chapters and job links, under the same lock as the jobs.</summary>
public sealed partial class InMemoryBookBytesStore
{
    /// <inheritdoc/>
    public Task<Edition> UpsertEditionAsync(Edition edition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edition);
        lock (_gate)
        {
            var stored = edition;
            if (edition.Isbn13 is { } isbn && _editionsByIsbn.TryGetValue(isbn, out var existingId))
            {
                stored = edition with { Id = existingId };
            }

            if (_editions.TryGetValue(stored.Id, out var previous) && previous.Isbn13 is { } oldKey && oldKey != stored.Isbn13)
            {
                _editionsByIsbn.Remove(oldKey);
            }

            _editions[stored.Id] = stored;
            if (stored.Isbn13 is { } key)
            {
                _editionsByIsbn[key] = stored.Id;
            }

            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<Edition?> GetEditionAsync(Guid editionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_editions.GetValueOrDefault(editionId));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Edition>> GetEditionsAsync(IReadOnlyCollection<Guid> editionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editionIds);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Edition>>([.. editionIds.Distinct().Select(_editions.GetValueOrDefault).OfType<Edition>()]);
        }
    }

    /// <inheritdoc/>
    public Task<Edition?> FindEditionByIsbnAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_editionsByIsbn.TryGetValue(isbn.Value, out var id) ? _editions[id] : null);
        }
    }

    /// <inheritdoc/>
    public Task CreateAudioBookAsync(AudioBook audioBook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        lock (_gate)
        {
            if (!_editions.ContainsKey(audioBook.EditionId))
            {
                throw new EditionNotFoundException(audioBook.EditionId);
            }

            if (_audioBooksByEdition.TryGetValue((audioBook.EditionId, audioBook.Mode), out var existing))
            {
                throw new AudioBookExistsException(audioBook.EditionId, existing);
            }

            if (!_audioBooks.TryAdd(audioBook.Id, audioBook))
            {
                throw new ArgumentException($"An audiobook with id {audioBook.Id} already exists.", nameof(audioBook));
            }

            _audioBooksByEdition[(audioBook.EditionId, audioBook.Mode)] = audioBook.Id;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<AudioBook?> GetAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_audioBooks.GetValueOrDefault(audioBookId));
        }
    }

    /// <inheritdoc/>
    public Task<AudioBook?> FindAudioBookByEditionAsync(Guid editionId, AudioBookMode mode, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_audioBooksByEdition.TryGetValue((editionId, mode), out var id) ? _audioBooks[id] : null);
        }
    }

    /// <inheritdoc/>
    public Task<AudioBookPage> ListAudioBooksAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        lock (_gate)
        {
            var items = _audioBooks.Values
                .OrderByDescending(a => a.CreatedAt)
                .ThenByDescending(a => a.Id)
                .Skip(skip)
                .Take(take)
                .ToList();
            return Task.FromResult(new AudioBookPage(items, _audioBooks.Count));
        }
    }

    /// <inheritdoc/>
    public Task UpdateAudioBookAsync(AudioBook audioBook, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioBook);
        lock (_gate)
        {
            CheckFence(lease);
            if (!_audioBooks.TryGetValue(audioBook.Id, out var stored))
            {
                throw new AudioBookNotFoundException(audioBook.Id);
            }

            // What an audiobook is made of is fixed when it is created, as in the database stores.
            _audioBooks[audioBook.Id] = audioBook with { EditionId = stored.EditionId, Mode = stored.Mode, Grounding = stored.Grounding, SummaryWords = stored.SummaryWords, CreatedAt = stored.CreatedAt };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Chapter>> GetChaptersAsync(Guid audioBookId, int version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<Chapter> chapters = _chapters.TryGetValue((audioBookId, version), out var byNumber) ? [.. byNumber.Values] : [];
            return Task.FromResult(chapters);
        }
    }

    /// <inheritdoc/>
    public Task SaveChaptersAsync(IReadOnlyList<Chapter> chapters, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chapters);
        lock (_gate)
        {
            CheckFence(lease);
            foreach (var chapter in chapters)
            {
                if (!_chapters.TryGetValue((chapter.AudioBookId, chapter.Version), out var byNumber))
                {
                    byNumber = [];
                    _chapters[(chapter.AudioBookId, chapter.Version)] = byNumber;
                }

                byNumber[chapter.Number] = chapter;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<int> DeleteChaptersAsync(Guid audioBookId, int version, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CheckFence(lease);
            var count = _chapters.Remove((audioBookId, version), out var removed) ? removed.Count : 0;
            return Task.FromResult(count);
        }
    }

    private void Link(Guid audioBookId, Guid jobId)
    {
        if (_audioBookByJob.TryAdd(jobId, audioBookId))
        {
            if (!_jobsByAudioBook.TryGetValue(audioBookId, out var jobs))
            {
                jobs = [];
                _jobsByAudioBook[audioBookId] = jobs;
            }

            jobs.Add(jobId);
        }
    }

    /// <inheritdoc/>
    public Task<Guid?> GetAudioBookIdForJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_audioBookByJob.TryGetValue(jobId, out var id) ? id : (Guid?)null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Guid>> GetJobIdsForAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<Guid> ids = _jobsByAudioBook.TryGetValue(audioBookId, out var jobs) ? [.. jobs] : [];
            return Task.FromResult(ids);
        }
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAudioBookAsync(Guid audioBookId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_audioBooks.TryGetValue(audioBookId, out var book))
            {
                return Task.FromResult(false);
            }

            var jobIds = _jobsByAudioBook.TryGetValue(audioBookId, out var linked) ? linked : [];
            if (jobIds.Find(id => !_jobs[id].Job.IsTerminal) is var active && active != Guid.Empty)
            {
                throw new JobInProgressException(audioBookId, active);
            }

            foreach (var jobId in jobIds)
            {
                _jobs.Remove(jobId);
                _audioBookByJob.Remove(jobId);
            }

            _jobsByAudioBook.Remove(audioBookId);
            foreach (var version in _chapters.Keys.Where(k => k.AudioBookId == audioBookId).ToList())
            {
                _chapters.Remove(version);
            }

            _audioBooksByEdition.Remove((book.EditionId, book.Mode));
            _audioBooks.Remove(audioBookId);
            return Task.FromResult(true);
        }
    }
}
