using System.Security.Cryptography;
using BookBytes.Storage.Tests.Support;

namespace BookBytes.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStorageBackend"/> shares. Each backend's test class inherits it and
/// supplies the backend, a way to download a URL, and a listing of everything the store holds.
/// </summary>
public abstract class StorageBackendContractTests
{
    private const int MB = 1024 * 1024;

    /// <summary>Gets the backend under test.</summary>
    protected abstract IStorageBackend Backend { get; }

    /// <summary>Gets a size above which a save is well under way (for S3: past the first multipart part).</summary>
    protected virtual long CancelAfterBytes => 7 * MB;

    /// <summary>Downloads the URL the backend returned.</summary>
    protected abstract Task<byte[]> DownloadAsync(Uri url);

    /// <summary>Lists every name the store holds (objects and anything else, such as temporary files).</summary>
    protected abstract Task<IReadOnlyCollection<string>> ListEverythingAsync();

    protected static StorageKey NewKey(string name = "chapter-001.mp3") => StorageKey.Parse($"tests/{Guid.NewGuid():N}/{name}");

    protected static async Task<string> Sha256Async(Stream stream)
        => Convert.ToHexString(await SHA256.HashDataAsync(stream));

    protected static byte[] Bytes(int size, ulong seed)
    {
        var bytes = new byte[size];
        new PseudoRandomStream(size, seed).ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public async Task Deleting_under_a_folder_removes_every_object_below_it_at_any_depth_and_nothing_beside_it()
    {
        var root = $"tests/{Guid.NewGuid():N}";
        StorageKey[] under =
        [
            StorageKey.Parse($"{root}/book/v1/chapter-001.mp3"),
            StorageKey.Parse($"{root}/book/v1/chapter-001.vtt"),
            StorageKey.Parse($"{root}/book/v1/chapter-002/segment-001-abc.mp3"),
            StorageKey.Parse($"{root}/book/v2/book.m4b"),
        ];
        StorageKey[] beside = [StorageKey.Parse($"{root}/book-two/v1/chapter-001.mp3"), StorageKey.Parse($"{root}/book.mp3")];
        foreach (var key in under.Concat(beside))
        {
            await Backend.SaveAsync(key, new MemoryStream(Bytes(100, 7)), "audio/mpeg");
        }

        var deleted = await Backend.DeleteUnderAsync(StorageKey.Parse($"{root}/book"));
        var again = await Backend.DeleteUnderAsync(StorageKey.Parse($"{root}/book"));
        var nothing = await Backend.DeleteUnderAsync(StorageKey.Parse($"{root}/never-written"));

        deleted.Should().Be(under.Length);
        again.Should().Be(0, "deleting again finds nothing");
        nothing.Should().Be(0);
        foreach (var key in under)
        {
            (await Backend.ExistsAsync(key)).Should().BeFalse(key.Value);
        }

        foreach (var key in beside)
        {
            (await Backend.ExistsAsync(key)).Should().BeTrue($"{key.Value} is not under the folder, though its name starts alike");
        }

        (await ListEverythingAsync()).Should().NotContain(k => k.Contains($"{root}/book/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saved_object_exists_opens_and_deletes()
    {
        var key = NewKey();
        var bytes = Bytes(1000, 1);

        var stored = await Backend.SaveAsync(key, new MemoryStream(bytes), "audio/mpeg");
        var existsAfterSave = await Backend.ExistsAsync(key);
        byte[] read;
        await using (var stream = await Backend.OpenReadAsync(key))
        {
            stream.Should().NotBeNull();
            using var copy = new MemoryStream();
            await stream!.CopyToAsync(copy);
            read = copy.ToArray();
        }

        var deleted = await Backend.DeleteAsync(key);
        var existsAfterDelete = await Backend.ExistsAsync(key);
        var openAfterDelete = await Backend.OpenReadAsync(key);

        stored.Key.Should().Be(key);
        stored.Length.Should().Be(1000);
        stored.Location.Should().Contain(key.Value);
        existsAfterSave.Should().BeTrue();
        read.Should().Equal(bytes);
        deleted.Should().BeTrue();
        existsAfterDelete.Should().BeFalse();
        openAfterDelete.Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10 * MB)]
    [InlineData(50 * MB)]
    public async Task Saved_bytes_read_back_with_the_same_sha256(int size)
    {
        var key = NewKey();
        var seed = (ulong)size + 7;
        var expected = await Sha256Async(new PseudoRandomStream(size, seed));

        var stored = await Backend.SaveAsync(key, new PseudoRandomStream(size, seed), "audio/mpeg");
        string actual;
        await using (var stream = await Backend.OpenReadAsync(key))
        {
            actual = await Sha256Async(stream!);
        }

        stored.Length.Should().Be(size);
        actual.Should().Be(expected);
        await Backend.DeleteAsync(key);
    }

    [Fact]
    public async Task Save_over_an_existing_key_replaces_the_whole_object()
    {
        var key = NewKey();
        await Backend.SaveAsync(key, new MemoryStream(Bytes(10_000, 2)), "audio/mpeg");
        var replacement = Bytes(3, 3);

        var stored = await Backend.SaveAsync(key, new MemoryStream(replacement), "audio/mpeg");

        stored.Length.Should().Be(3);
        await using var stream = await Backend.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        copy.ToArray().Should().Equal(replacement);
    }

    [Fact]
    public async Task Missing_key_does_not_exist_opens_as_null_and_deletes_as_false()
    {
        var key = NewKey();

        var exists = await Backend.ExistsAsync(key);
        var stream = await Backend.OpenReadAsync(key);
        var deleted = await Backend.DeleteAsync(key);

        exists.Should().BeFalse();
        stream.Should().BeNull();
        deleted.Should().BeFalse();
    }

    public static TheoryData<string> InvalidKeys => new()
    {
        "../x",
        "a/../../x",
        "/abs",
        "a//b",
        "a\0b",
        "a\\b",
        "..\\x",
        new string('a', 2048),
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_keys_are_refused_before_anything_reaches_the_backend(string text)
    {
        var before = await ListEverythingAsync();

        var save = async () => await Backend.SaveAsync(StorageKey.Parse(text), new MemoryStream([1, 2, 3]), "audio/mpeg");

        await save.Should().ThrowAsync<FormatException>();
        (await ListEverythingAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Default_key_is_refused_by_every_operation()
    {
        var before = await ListEverythingAsync();

        var save = async () => await Backend.SaveAsync(default, new MemoryStream([1]), "audio/mpeg");
        var open = async () => await Backend.OpenReadAsync(default);
        var exists = async () => await Backend.ExistsAsync(default);
        var delete = async () => await Backend.DeleteAsync(default);
        var url = async () => await Backend.GetUrlAsync(default);

        await save.Should().ThrowAsync<ArgumentException>();
        await open.Should().ThrowAsync<ArgumentException>();
        await exists.Should().ThrowAsync<ArgumentException>();
        await delete.Should().ThrowAsync<ArgumentException>();
        await url.Should().ThrowAsync<ArgumentException>();
        (await ListEverythingAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Url_downloads_the_saved_bytes()
    {
        var key = NewKey();
        var bytes = Bytes(MB + 17, 4);
        await Backend.SaveAsync(key, new MemoryStream(bytes), "audio/mpeg");

        var url = await Backend.GetUrlAsync(key);
        var downloaded = await DownloadAsync(url);

        downloaded.Should().Equal(bytes);
    }

    [Fact]
    public async Task Cancelled_save_leaves_no_object_and_nothing_else_behind()
    {
        var key = NewKey();
        var before = await ListEverythingAsync();
        using var cancellation = new CancellationTokenSource();
        var content = new CancellingStream(new PseudoRandomStream(20 * MB, 5), CancelAfterBytes, cancellation);

        var save = async () => await Backend.SaveAsync(key, content, "audio/mpeg", cancellation.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        (await Backend.ExistsAsync(key)).Should().BeFalse();
        (await ListEverythingAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_failing_content_stream_is_the_callers_own_error_and_leaves_nothing_behind()
    {
        var key = NewKey();
        var before = await ListEverythingAsync();
        var content = new FailingStream(new PseudoRandomStream(20 * MB, 8), CancelAfterBytes);

        var save = async () => await Backend.SaveAsync(key, content, "audio/mpeg");

        await save.Should().ThrowExactlyAsync<IOException>().WithMessage(FailingStream.Message);
        (await Backend.ExistsAsync(key)).Should().BeFalse();
        (await ListEverythingAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Cancelled_overwrite_keeps_the_previous_object()
    {
        var key = NewKey();
        var previous = Bytes(1000, 6);
        await Backend.SaveAsync(key, new MemoryStream(previous), "audio/mpeg");
        using var cancellation = new CancellationTokenSource();
        var content = new CancellingStream(new PseudoRandomStream(20 * MB, 7), CancelAfterBytes, cancellation);

        var save = async () => await Backend.SaveAsync(key, content, "audio/mpeg", cancellation.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        await using var stream = await Backend.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        copy.ToArray().Should().Equal(previous);
    }
}
