using System.Net.Http.Headers;
using BookBytes.Documents.Tests.Pdf;

namespace BookBytes.WebHost.Tests;

/// <summary>Documents to upload: a contents page (front matter) and body chapters, built like the reader tests build them.</summary>
internal static class TestBooks
{
    /// <summary>A PDF whose chapters are 1 "Contents" (front), 2 "The First Chapter" (17 words) and 3 "The Second Chapter" (16 words).</summary>
    public static byte[] Pdf(string title) => new PdfBookBuilder { Title = title, Author = "Ada Writer", Bookmarks = true }
        .Section("Contents", "One. Two.")
        .Section("The First Chapter", "It begins on a grey morning, as the river rises and the town wakes to its bells.")
        .Section("The Second Chapter", "By noon the water has reached the square, and nobody is sure what to save first.")
        .Build();

    /// <summary>A PDF like <see cref="Pdf"/> whose second chapter (3) has eight paragraphs, about 240 words: longer than a short summary of it.</summary>
    public static byte[] LongPdf(string title) => new PdfBookBuilder { Title = title, Author = "Ada Writer", Bookmarks = true }
        .Section("Contents", "One. Two.")
        .Section("The First Chapter", "It begins on a grey morning, as the river rises and the town wakes to its bells.")
        .Section("The Second Chapter", [.. Enumerable.Range(1, 8).Select(i => $"By noon of day {i} the water has reached the square, and nobody in the town is sure what to save first, or where to carry it.")])
        .Build();

    /// <summary>Uploads the PDF and returns the edition id.</summary>
    public static async Task<Guid> UploadAsync(this HttpClient client, byte[] pdf)
    {
        using var content = new ByteArrayContent(pdf) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } };
        var response = await client.PostAsync("/api/v1/books/upload", content);
        var edition = await response.JsonAsync();
        response.IsSuccessStatusCode.Should().BeTrue(edition.ToString());
        return edition.GetProperty("editionId").GetGuid();
    }
}
