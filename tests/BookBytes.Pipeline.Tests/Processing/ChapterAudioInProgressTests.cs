using BookBytes.AudioBooks;
using BookBytes.Pipeline.Storage;
using BookBytes.Storage;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>Reading a chapter while it is made: what a reader gets when the chapter is stored meanwhile, as it was or made again.</summary>
public class ChapterAudioInProgressTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reader_gets_the_finished_file_or_is_cut_off_when_what_it_was_given_is_not_the_files_beginning(bool madeAgain)
    {
        await using var node = new PipelineHarness();
        node.Llm.ChapterCount = 1;
        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("978-0-306-40615-7", "Signals and Noise"));
        var claimed = (await node.Store.ClaimNextAsync("test", TimeSpan.FromMinutes(5)))!;
        var id = started.AudioBook.Id;
        var chapter = new Chapter { AudioBookId = id, Version = 1, Number = 1, Title = "One", Status = ChapterStatus.Summarized, Summary = "Text.", UpdatedAt = DateTimeOffset.UtcNow };
        await node.Store.SaveChaptersAsync([chapter], claimed.Lease);
        byte[] first = [.. Enumerable.Repeat((byte)1, 1000)], second = [.. Enumerable.Repeat((byte)2, 500)], other = [.. Enumerable.Repeat((byte)9, 1000)];
        var one = AudioBookStorageLayout.ChapterSegment(id, 1, 1, 1, "alloy", "First.", "mp3");
        var two = AudioBookStorageLayout.ChapterSegment(id, 1, 1, 2, "alloy", "Second.", "mp3");
        await SaveAsync(node.Storage, one, first);
        await SaveAsync(node.Storage, two, second);
        var manifest = new SegmentManifest(Guid.NewGuid(), "mp3", [new SegmentEntry(1, one.Value, "First.", first.Length)]);
        await SaveAsync(node.Storage, AudioBookStorageLayout.ChapterSegments(id, 1, 1), manifest.ToJson());

        var audio = (await node.Processing.OpenChapterAudioInProgressAsync(id, 1, TimeSpan.FromSeconds(5)))!;
        await using var reader = audio.ReadAsync().GetAsyncEnumerator();
        (await reader.MoveNextAsync()).Should().BeTrue();
        var given = reader.Current.ToArray();

        // Meanwhile the chapter is stored — as its segments joined, or made again from another text — and its segments go.
        var key = AudioBookStorageLayout.ChapterAudio(id, 1, 1, "mp3");
        byte[] file = madeAgain ? [.. other, .. second] : [.. first, .. second];
        await SaveAsync(node.Storage, key, file);
        await node.Store.SaveChaptersAsync([chapter with { Status = ChapterStatus.Completed, AudioKey = key.Value, AudioSizeBytes = file.Length }], claimed.Lease);
        await node.Storage.DeleteAsync(one);
        await node.Storage.DeleteAsync(two);
        await node.Storage.DeleteAsync(AudioBookStorageLayout.ChapterSegments(id, 1, 1));
        var rest = new List<byte>();
        var read = async () =>
        {
            while (await reader.MoveNextAsync())
            {
                rest.AddRange(reader.Current.ToArray());
            }
        };

        audio.ContentType.Should().Be("audio/mpeg");
        given.Should().Equal(first);
        if (madeAgain)
        {
            (await read.Should().ThrowAsync<BookBytesException>()).Which.ErrorCode.Should().Be(ErrorCodes.AudioNotReady);
            rest.Should().BeEmpty("nothing of the new file is stitched to the old beginning");
        }
        else
        {
            await read();
            given.Concat(rest).Should().Equal(file);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"generation\":\"00000000-0000-0000-0000-000000000001\",\"format\":\"mp3\",\"segments\":[{\"index\":1,\"key\":\"audiobooks/00000000-0000-0000-0000-000000000002/v1/chapter-001/segment-001-abcd.mp3\",\"text\":\"x\",\"length\":1}]}")]
    [InlineData("{\"generation\":\"00000000-0000-0000-0000-000000000001\",\"format\":\"mp3\",\"segments\":[{\"index\":0,\"key\":\"k\",\"text\":\"x\",\"length\":1}]}")]
    [InlineData("oversized")]
    public async Task A_segment_list_that_is_not_one_or_names_another_books_object_serves_nothing_of_it(string manifest)
    {
        await using var node = new PipelineHarness();
        node.Llm.ChapterCount = 1;
        var started = await node.Processing.StartProcessingAsync(node.Catalog.Add("978-0-306-40615-7", "Signals and Noise"));
        var claimed = (await node.Store.ClaimNextAsync("test", TimeSpan.FromMinutes(5)))!;
        var id = started.AudioBook.Id;
        await node.Store.SaveChaptersAsync([new Chapter { AudioBookId = id, Version = 1, Number = 1, Title = "One", Status = ChapterStatus.Summarized, Summary = "Text.", UpdatedAt = DateTimeOffset.UtcNow }], claimed.Lease);
        var body = manifest == "oversized" ? new byte[SegmentManifest.MaxBytes + 1] : System.Text.Encoding.UTF8.GetBytes(manifest);
        await SaveAsync(node.Storage, AudioBookStorageLayout.ChapterSegments(id, 1, 1), body);

        var audio = await node.Processing.OpenChapterAudioInProgressAsync(id, 1, TimeSpan.FromMilliseconds(300));

        audio.Should().BeNull("no first segment of this chapter is listed: nothing is read, and the wait ends");
    }

    private static async Task SaveAsync(InMemoryStorageBackend storage, StorageKey key, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await storage.SaveAsync(key, stream, "application/octet-stream");
    }
}
