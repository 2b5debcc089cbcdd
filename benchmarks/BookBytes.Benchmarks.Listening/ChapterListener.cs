using System.Diagnostics;
using System.Net;

namespace BookBytes.Benchmarks.Listening;

/// <summary>What a listener got: when the first body byte and the end of the body came (benchmark clock), the bytes, how.</summary>
internal sealed record Listened(TimeSpan? FirstByte, TimeSpan? End, byte[] Audio, int NotReadyAnswers, int OtherAnswers, long? ContentLength, string? Error);

/// <summary>
/// A player that wants chapter audio as soon as there is any: GETs it every <c>interval</c> while the host answers 404 (not
/// stored yet), then reads the 200 body to its end, whether the host sends a stored file or streams a chapter still being made.
/// </summary>
internal sealed class ChapterListener(HttpClient client, Stopwatch clock, TimeSpan interval)
{
    public async Task<Listened> ListenAsync(Uri audio, CancellationToken cancellationToken)
    {
        var notReady = 0;
        var other = 0;
        while (true)
        {
            var attempt = clock.Elapsed;
            try
            {
                using var response = await client.GetAsync(audio, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await ReadAsync(response, notReady, other, cancellationToken);
                }

                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    notReady++;
                }
                else
                {
                    other++;
                }
            }
            catch (HttpRequestException)
            {
                other++;
            }

            var wait = attempt + interval - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private async Task<Listened> ReadAsync(HttpResponseMessage response, int notReady, int other, CancellationToken cancellationToken)
    {
        TimeSpan? first = null;
        var bytes = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                first ??= clock.Elapsed;
                bytes.Write(buffer, 0, read);
            }

            return new Listened(first, clock.Elapsed, bytes.ToArray(), notReady, other, response.Content.Headers.ContentLength, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new Listened(first, clock.Elapsed, bytes.ToArray(), notReady, other, response.Content.Headers.ContentLength, ex.Message);
        }
    }
}
