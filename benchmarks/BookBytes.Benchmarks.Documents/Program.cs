// Parse time and managed memory of a generated 300-page PDF and a generated >= 200,000-word EPUB, read through
// BookDocumentParser with all built-in readers. Run: dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.Documents
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime;
using System.Text;
using BookBytes.Documents;
using BookBytes.Documents.Tests.Pdf;
using Microsoft.Extensions.Options;

const int Iterations = 5;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var readers = BuiltInReaders.All.Select(t => (IBookDocumentReader)Activator.CreateInstance(t)!).ToList();
var parser = new BookDocumentParser(readers, Options.Create(new DocumentOptions { ParseTimeout = TimeSpan.FromMinutes(5) }));
Console.WriteLine($"# Document parsing benchmark: {Iterations} runs each after a warm-up");
Console.WriteLine($"# .NET {Environment.Version}, {Environment.ProcessorCount} cores, server GC: {GCSettings.IsServerGC}; readers: {string.Join(", ", parser.MediaTypes)}");
Console.WriteLine("# peak = highest GC.GetTotalMemory(false) sampled every 1 ms during the parse, above the heap just before it (garbage not yet collected included);");
Console.WriteLine("# allocated = GC.GetTotalAllocatedBytes(true) after minus before");
Console.WriteLine();

var pdf = BuildPdf();
await RunAsync($"PDF, {pdf.Pages} pages, {pdf.Bytes.Length / 1024} KiB", pdf.Bytes, "application/pdf", goalSeconds: null, goalMiB: null);

if (parser.MediaTypes.Contains("application/epub+zip", StringComparer.OrdinalIgnoreCase))
{
    var epub = BuildEpub(chapters: 40, wordsPerChapter: 5_200);
    await RunAsync($"EPUB, 40 chapters x 5,200 words, {epub.Length / 1024} KiB", epub, "application/epub+zip", goalSeconds: 1, goalMiB: 100);
}
else
{
    Console.WriteLine("## EPUB: skipped — no built-in reader reads application/epub+zip in this build (the EPUB reader is on branch docs-epub; merge it and run again).");
}

async Task RunAsync(string name, byte[] content, string mediaType, double? goalSeconds, double? goalMiB)
{
    var warm = await parser.ParseAsync(content, mediaType);
    Console.WriteLine($"## {name}: {warm.Chapters.Count} chapters, {warm.BodyWords:N0} body words");
    Console.WriteLine("| run | seconds | peak managed heap MiB | allocated MiB |");
    Console.WriteLine("|---|---|---|---|");
    var seconds = new List<double>();
    var peaks = new List<double>();
    for (var run = 1; run <= Iterations; run++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = new CancellationTokenSource();
        long peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }

                await Task.Delay(1);
            }
        });

        var started = Stopwatch.GetTimestamp();
        _ = await parser.ParseAsync(content, mediaType);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await stop.CancelAsync();
        await sampler;
        var peakMiB = (Interlocked.Read(ref peak) - baseline) / (1024.0 * 1024);
        seconds.Add(elapsed);
        peaks.Add(peakMiB);
        Console.WriteLine($"| {run} | {elapsed:0.000} | {peakMiB:0.0} | {allocated / (1024.0 * 1024):0.0} |");
    }

    var medianSeconds = Median(seconds);
    var medianPeak = Median(peaks);
    var ratios = goalSeconds is null ? string.Empty : $"; time / goal {medianSeconds / goalSeconds:0.00}, memory / goal {medianPeak / goalMiB:0.00}";
    Console.WriteLine($"median {medianSeconds:0.000} s, peak {medianPeak:0.0} MiB{ratios}");
    Console.WriteLine();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static (byte[] Bytes, int Pages) BuildPdf()
{
    // About 600 words fill a page of the test layout: 30 chapters of about ten pages, each on a new page.
    var builder = new PdfBookBuilder { Title = "Benchmark Book", Author = "Nobody", RunningHead = "Benchmark Book", PageNumbers = "{0}" };
    for (var chapter = 0; chapter < 30; chapter++)
    {
        builder.Section($"Chapter {chapter + 1}", [.. Enumerable.Range(0, 31).Select(p => GeneratedText.Paragraph((chapter * 100) + p, 195))]);
    }

    var bytes = builder.Build();
    using var document = UglyToad.PdfPig.PdfDocument.Open(bytes);
    return (bytes, document.NumberOfPages);
}

static byte[] BuildEpub(int chapters, int wordsPerChapter)
{
    using var buffer = new MemoryStream();
    using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
    {
        void Entry(string path, string text, CompressionLevel level = CompressionLevel.Optimal)
        {
            using var writer = new StreamWriter(zip.CreateEntry(path, level).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }

        Entry("mimetype", "application/epub+zip", CompressionLevel.NoCompression);
        Entry("META-INF/container.xml", """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>""");
        var manifest = new StringBuilder();
        var spine = new StringBuilder();
        var nav = new StringBuilder();
        for (var c = 1; c <= chapters; c++)
        {
            manifest.Append(CultureInfo.InvariantCulture, $"""<item id="c{c}" href="c{c}.xhtml" media-type="application/xhtml+xml"/>""");
            spine.Append(CultureInfo.InvariantCulture, $"""<itemref idref="c{c}"/>""");
            nav.Append(CultureInfo.InvariantCulture, $"""<li><a href="c{c}.xhtml">Chapter {c}</a></li>""");
            var body = new StringBuilder();
            for (var words = 0; words < wordsPerChapter; words += 130)
            {
                body.Append("<p>").Append(GeneratedText.Paragraph((c * 1000) + words, 130)).Append("</p>\n");
            }

            Entry($"OEBPS/c{c}.xhtml", $"""<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter {c}</title></head><body><h1>Chapter {c}</h1>{body}</body></html>""");
        }

        Entry("OEBPS/nav.xhtml", $"""<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body><nav epub:type="toc"><ol>{nav}</ol></nav></body></html>""");
        Entry("OEBPS/content.opf", $"""<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:00000000-0000-0000-0000-000000000001</dc:identifier><dc:title>Benchmark Book</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2026-12-01T00:00:00Z</meta></metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{manifest}</manifest><spine>{spine}</spine></package>""");
    }

    return buffer.ToArray();
}
