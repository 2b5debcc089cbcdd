// BookBytes quickstart: one book in, one MP3 per chapter out.
//   dotnet run --project samples/Quickstart -- --book samples/WebHost/wwwroot/sample/the-lantern-at-gull-point.md
//   dotnet run --project samples/Quickstart -- --book 9780140328721 --out fox --BookBytes:OpenAI:ApiKey=sk-…
// With BookBytes:OpenAI:ApiKey or :Endpoint set (argument, appsettings.json or BookBytes__OpenAI__ApiKey) a model writes
// the summaries and speaks them; without, the machine does (apt-get install espeak-ng ffmpeg), from a book file's own text.
using BookBytes;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Catalog.OpenLibrary;
using BookBytes.Documents;
using BookBytes.JobStore.Sqlite;
using BookBytes.Pipeline.Processing;
using BookBytes.Providers.Local;
using BookBytes.Providers.OpenAI;
using BookBytes.Storage;
using BookBytes.Storage.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);   // this program prints what happens; the library logs only trouble
var book = builder.Configuration["book"];            // --book: an ISBN or the path of an EPUB, PDF, HTML, Markdown or text file
var output = builder.Configuration["out"] ?? "audiobook";
if (string.IsNullOrWhiteSpace(book))
{
    Console.Error.WriteLine("usage: BookBytes.Quickstart --book <ISBN or book file> [--out <folder>]");
    return 2;
}

Directory.CreateDirectory("data");                   // the job store and the audio live here, so a second run finds the first's work
var bookBytes = builder.Services.AddBookBytes(builder.Configuration)    // section "BookBytes": runner, limits, summary length
    .AddSqliteStore("Data Source=data/bookbytes.db")                   // durable jobs and audiobooks
    .AddLocalStorage(o => o.RootPath = "data/audio")                    // the audio files
    .AddOpenLibraryCatalog()                                            // ISBN → edition with table of contents
    .AddDocuments();                                                    // books from their own files
if (OpenAiOptions.IsConfigured(builder.Configuration))
{
    bookBytes.AddOpenAI();                                              // OpenAI or any OpenAI-compatible server
}
else
{
    bookBytes.AddExtractiveSummaries().AddLocalSpeech();                // offline: no key, no network
}

using var host = builder.Build();
await host.StartAsync();                             // starts the job runner, a hosted service
var processing = host.Services.GetRequiredService<ProcessingService>();
var storage = host.Services.GetRequiredService<IStorageBackend>();

Guid audioBookId;
Guid? jobId;
try
{
    ProcessingStarted started;
    if (Isbn.TryParse(book, out var isbn))
    {
        started = await processing.StartProcessingAsync(isbn);
    }
    else
    {
        var file = await File.ReadAllBytesAsync(book);
        // EPUB, PDF and HTML are known by their content; Markdown and plain text look alike, so the extension tells.
        var mediaType = Path.GetExtension(book).ToLowerInvariant() switch { ".md" => "text/markdown", ".txt" => "text/plain", _ => null };
        var parsed = await host.Services.GetRequiredService<BookDocumentParser>().ReadAsync(file, mediaType);
        var added = await processing.AddDocumentAsync(file, parsed.MediaType, parsed.Book);   // the same file again: the same edition
        started = await processing.StartProcessingAsync(added.Edition.Id);
    }

    (audioBookId, jobId) = (started.AudioBook.Id, started.Job.Id);
    Console.WriteLine($"Started audiobook {audioBookId}");
}
catch (AudioBookExistsException exists)
{
    // Made before (the store remembers): follow the job still working on it, redo what failed, or just read it.
    (audioBookId, jobId) = (exists.ExistingAudioBookId, exists.ActiveJobId);
    var existing = await processing.GetAudioBookAsync(audioBookId);
    if (jobId is null && existing?.AudioBook.Status is not AudioBookStatus.Completed)
    {
        jobId = (await processing.RefreshAsync(audioBookId)).Job.Id;
    }

    Console.WriteLine($"Using existing audiobook {audioBookId}");
}
catch (BookBytesException refused)   // an unknown ISBN, a file that is no book, an ISBN with no model configured, …
{
    Console.Error.WriteLine($"{refused.ErrorCode}: {refused.Message}");
    return 1;
}

if (jobId is { } id)
{
    await foreach (var update in processing.WatchJobAsync(id))
    {
        Console.WriteLine($"{update.Job.Progress,3}% {update.Job.Status} {update.Job.CurrentStep} {update.Job.ErrorMessage}");
    }
}

// Every stored chapter's audio is read back through the storage backend, by its key, and written under a name of our own.
var details = await processing.GetAudioBookAsync(audioBookId) ?? throw new InvalidOperationException("The audiobook is gone.");
Directory.CreateDirectory(output);
foreach (var chapter in details.Chapters.Where(c => c is { Status: ChapterStatus.Completed, AudioKey: not null }))
{
    var path = Path.Combine(output, $"chapter-{chapter.Number:D3}{Path.GetExtension(chapter.AudioKey)}");
    await using (var audio = await storage.OpenReadAsync(StorageKey.Parse(chapter.AudioKey!)) ?? throw new FileNotFoundException(chapter.AudioKey))
    await using (var target = File.Create(path))
    {
        await audio.CopyToAsync(target);
    }

    Console.WriteLine($"{path}: {chapter.Title} ({chapter.DurationSeconds:F0} s)");
}

Console.WriteLine($"{details.Edition.Title}: {details.AudioBook.Status}, {details.Chapters.Count} chapters");
await host.StopAsync();
return details.AudioBook.Status == AudioBookStatus.Completed ? 0 : 1;
