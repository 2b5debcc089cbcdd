using Amazon.S3;
using Amazon.S3.Model;

namespace BookBytes.Storage.S3;

/// <content>Uploads: one PutObject for content shorter than a part, else a multipart upload that reads the next part while the previous one uploads.</content>
public sealed partial class S3StorageBackend
{
    /// <inheritdoc/>
    /// <remarks>The content type is stored as the object's <c>Content-Type</c>. See the class remarks for how the content is streamed.</remarks>
    public async Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);

        var partSize = _options.PartSize;
        string? uploadId = null;

        // Failures of the caller's stream are the caller's and pass through as they are; only S3's are mapped.
        var readingContent = true;
        try
        {
            var (current, currentLength) = await ReadFirstPartAsync(content, partSize, cancellationToken).ConfigureAwait(false);
            readingContent = false;
            if (currentLength < partSize)
            {
                await Client.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = _bucket,
                        Key = objectKey,
                        ContentType = contentType,
                        InputStream = new MemoryStream(current, 0, currentLength, writable: false),
                        UseChunkEncoding = _options.ChunkEncodingEnabled,
                    },
                    cancellationToken).ConfigureAwait(false);
                LogSaved(_logger, objectKey, currentLength, 1);
                return Stored(key, currentLength);
            }

            var initiated = await Client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _bucket, Key = objectKey, ContentType = contentType },
                cancellationToken).ConfigureAwait(false);
            uploadId = initiated.UploadId;
            var next = GC.AllocateUninitializedArray<byte>(partSize);

            var parts = new List<PartETag>();
            long total = 0;
            for (var partNumber = 1; ; partNumber++)
            {
                if (partNumber > MaxParts)
                {
                    throw new StorageException(
                        $"'{objectKey}' needs more than {MaxParts} parts of {partSize} bytes; raise {Section}:{nameof(S3StorageOptions.PartSize)}.");
                }

                var upload = UploadPartAsync(objectKey, uploadId, partNumber, current, currentLength, cancellationToken);
                int nextLength;
                try
                {
                    readingContent = true;
                    nextLength = await ReadPartAsync(content, next, partSize, cancellationToken).ConfigureAwait(false);
                    readingContent = false;
                }
                catch
                {
                    // Let the part's request finish (and observe its outcome) before the upload is aborted.
                    await upload.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }

                parts.Add(await upload.ConfigureAwait(false));
                total += currentLength;
                if (nextLength == 0)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }

            // The commit point: short, and not cancelled halfway, so a caller is never told "cancelled" about
            // an object that was replaced (nor is a finished upload then aborted).
            await Client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = objectKey, UploadId = uploadId, PartETags = parts },
                CancellationToken.None).ConfigureAwait(false);
            uploadId = null;
            LogSaved(_logger, objectKey, total, parts.Count);
            return Stored(key, total);
        }
        catch (Exception ex) when (!readingContent && IsS3Failure(ex, cancellationToken))
        {
            throw Map(ex, "store", objectKey);
        }
        finally
        {
            if (uploadId is not null)
            {
                await AbortAsync(objectKey, uploadId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads up to one part. A seekable stream shorter than a part gets a buffer of its remaining length;
    /// anything else gets a whole part (an unknown length could need it all).
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadFirstPartAsync(Stream content, int partSize, CancellationToken cancellationToken)
    {
        var size = content.CanSeek ? (int)Math.Clamp(content.Length - content.Position, 0, partSize) : partSize;
        var buffer = GC.AllocateUninitializedArray<byte>(size);
        var length = await ReadPartAsync(content, buffer, size, cancellationToken).ConfigureAwait(false);
        if (size < partSize && length == size && content.ReadByte() is var extra and >= 0)
        {
            // The stream grew after its length was read: fall back to a whole part.
            var larger = GC.AllocateUninitializedArray<byte>(partSize);
            buffer.AsSpan(0, length).CopyTo(larger);
            larger[length++] = (byte)extra;
            length += await ReadPartAsync(content, larger.AsMemory(length), partSize - length, cancellationToken).ConfigureAwait(false);
            buffer = larger;
        }

        return (buffer, length);
    }

    private static Task<int> ReadPartAsync(Stream content, byte[] buffer, int size, CancellationToken cancellationToken)
        => ReadPartAsync(content, buffer.AsMemory(0, size), size, cancellationToken);

    private static async Task<int> ReadPartAsync(Stream content, Memory<byte> buffer, int size, CancellationToken cancellationToken)
        => await content.ReadAtLeastAsync(buffer[..size], size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    private async Task<PartETag> UploadPartAsync(string objectKey, string uploadId, int partNumber, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var response = await Client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = length,
                InputStream = new MemoryStream(buffer, 0, length, writable: false),
                UseChunkEncoding = _options.ChunkEncodingEnabled,
            },
            cancellationToken).ConfigureAwait(false);
        return new PartETag(partNumber, response.ETag);
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        // Not the caller's token — a cancelled upload must still be aborted — but bounded, so a hanging
        // endpoint cannot hold a cancelled save (or a shutdown) for the SDK's whole retry budget.
        using var limit = new CancellationTokenSource(AbortTimeout);
        try
        {
            await Client.AbortMultipartUploadAsync(_bucket, objectKey, uploadId, limit.Token).ConfigureAwait(false);
            LogAborted(_logger, objectKey);
        }
        catch (Exception ex) when (IsS3Failure(ex, CancellationToken.None) || ex is ObjectDisposedException)
        {
            // The original failure is what the caller sees; a lifecycle rule cleans up what is left.
            LogAbortFailed(_logger, objectKey, ex);
        }
    }
}
