using BookBytes.Documents.Pdf;

namespace BookBytes.Documents;

/// <summary>The readers <see cref="BookBytesBuilderDocumentsExtensions.AddDocuments"/> registers, most specific first (plain text, which takes almost anything, last).</summary>
internal static class BuiltInReaders
{
    public static readonly Type[] All = [typeof(Epub.EpubReader), typeof(PdfReader), typeof(Html.HtmlReader), typeof(Markdown.MarkdownReader), typeof(PlainText.PlainTextReader)];
}
