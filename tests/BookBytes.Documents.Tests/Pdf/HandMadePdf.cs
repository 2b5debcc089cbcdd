using System.Globalization;
using System.Text;

namespace BookBytes.Documents.Tests.Pdf;

/// <summary>Writes a PDF byte by byte from its objects (object 1 first), with a correct cross-reference table.</summary>
internal static class HandMadePdf
{
    public static byte[] Build(string trailerExtras, params string[] objects)
    {
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R {trailerExtras} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    public static string Stream(string content) => $"<< /Length {content.Length} >>\nstream\n{content}\nendstream";

    /// <summary>A one-page document: catalog (with <paramref name="catalogExtras"/>), pages, page, content, font.</summary>
    public static byte[] OnePage(string text, string catalogExtras = "", string trailerExtras = "", params string[] more)
        => Build(
            trailerExtras,
            [
                $"<< /Type /Catalog /Pages 2 0 R {catalogExtras} >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                Stream($"BT /F1 12 Tf 72 700 Td ({text}) Tj ET"),
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                .. more,
            ]);
}
