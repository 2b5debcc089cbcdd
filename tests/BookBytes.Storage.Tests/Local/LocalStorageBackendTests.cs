using System.Security.Cryptography;
using BookBytes.Storage.Local;
using BookBytes.Storage.Tests.Support;
using Microsoft.Extensions.Options;

namespace BookBytes.Storage.Tests.Local;

public sealed class LocalStorageBackendTests : StorageBackendContractTests, IDisposable
{
    private readonly DirectoryInfo _sandbox = Directory.CreateTempSubdirectory("bookbytes-local-");
    private readonly string _root;
    private readonly LocalStorageBackend _backend;

    public LocalStorageBackendTests()
    {
        // The root sits one level down so that anything escaping it still lands inside the sandbox, where the listing sees it.
        _root = Path.Combine(_sandbox.FullName, "root");
        _backend = Create(o => o.RootPath = _root);
    }

    protected override IStorageBackend Backend => _backend;

    public void Dispose() => _sandbox.Delete(recursive: true);

    protected override Task<byte[]> DownloadAsync(Uri url)
    {
        url.Scheme.Should().Be(Uri.UriSchemeFile);
        return File.ReadAllBytesAsync(url.LocalPath);
    }

    protected override Task<IReadOnlyCollection<string>> ListEverythingAsync()
        => Task.FromResult<IReadOnlyCollection<string>>(
            Directory.EnumerateFileSystemEntries(_sandbox.FullName, "*", SearchOption.AllDirectories)
                .Where(p => !Directory.Exists(p) || new DirectoryInfo(p).LinkTarget is not null)
                .Select(p => Path.GetRelativePath(_sandbox.FullName, p))
                .ToList());

    [Fact]
    public async Task File_is_written_under_the_root_at_the_key_path()
    {
        var key = StorageKey.Parse("audiobooks/b/v1/chapter-001.mp3");

        var stored = await _backend.SaveAsync(key, new MemoryStream([1, 2, 3]), "audio/mpeg");

        stored.Location.Should().Be(Path.Combine(_root, "audiobooks", "b", "v1", "chapter-001.mp3"));
        (await File.ReadAllBytesAsync(stored.Location)).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task A_key_whose_segment_is_too_long_for_the_file_system_fails_as_not_transient()
    {
        // A valid key (segments may be long), but Linux file names stop at 255 bytes.
        var key = StorageKey.Parse("audiobooks/" + new string('a', 300) + ".mp3");

        var act = () => _backend.SaveAsync(key, new MemoryStream([1, 2, 3]), "audio/mpeg");

        var error = (await act.Should().ThrowAsync<StorageException>()).Which;
        error.IsTransient.Should().BeFalse("retrying cannot make the name fit");
        error.Message.Should().Contain("too long");
    }

    [Fact]
    public async Task Relative_root_path_resolves_against_the_current_directory()
    {
        var backend = Create(o => o.RootPath = "./data/audio");

        var expected = Path.Combine(Environment.CurrentDirectory, "data", "audio");

        backend.RootPath.Should().Be(expected);
        (await backend.GetUrlAsync(StorageKey.Parse("a.mp3"))).LocalPath.Should().Be(Path.Combine(expected, "a.mp3"));
    }

    [Fact]
    public async Task Opened_stream_is_seekable()
    {
        var key = NewKey();
        await _backend.SaveAsync(key, new MemoryStream(Bytes(5000, 1)), "audio/mpeg");

        await using var stream = await _backend.OpenReadAsync(key);

        stream.Should().BeOfType<FileStream>();
        stream!.CanSeek.Should().BeTrue();
        stream.Length.Should().Be(5000);
    }

    [Fact]
    public async Task Url_without_public_base_url_is_the_file_url()
    {
        var key = StorageKey.Parse("audiobooks/x/chapter-002.mp3");

        var url = await _backend.GetUrlAsync(key);

        url.Scheme.Should().Be(Uri.UriSchemeFile);
        url.LocalPath.Should().Be(Path.Combine(_root, "audiobooks", "x", "chapter-002.mp3"));
    }

    [Theory]
    [InlineData("https://cdn.example.com/audio/")]
    [InlineData("https://cdn.example.com/audio")]
    public async Task Url_with_public_base_url_is_the_base_plus_the_key(string baseUrl)
    {
        var backend = Create(o =>
        {
            o.RootPath = _root;
            o.PublicBaseUrl = new Uri(baseUrl);
        });

        var url = await backend.GetUrlAsync(StorageKey.Parse("audiobooks/x/v1/chapter-002.mp3"));

        url.Should().Be(new Uri("https://cdn.example.com/audio/audiobooks/x/v1/chapter-002.mp3"));
    }

    [Fact]
    public async Task Directory_symlink_pointing_outside_the_root_is_refused()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox.FullName, "outside"));
        await File.WriteAllBytesAsync(Path.Combine(outside.FullName, "secret.mp3"), [9, 9, 9]);
        Directory.CreateDirectory(_root);
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), outside.FullName);
        var key = StorageKey.Parse("escape/secret.mp3");
        var newKey = StorageKey.Parse("escape/new.mp3");

        var save = async () => await _backend.SaveAsync(newKey, new MemoryStream([1]), "audio/mpeg");
        var open = async () => await _backend.OpenReadAsync(key);
        var exists = async () => await _backend.ExistsAsync(key);
        var delete = async () => await _backend.DeleteAsync(key);
        var url = async () => await _backend.GetUrlAsync(key);

        await save.Should().ThrowAsync<StorageException>().WithMessage("*outside BookBytes:Storage:Local:RootPath*");
        await open.Should().ThrowAsync<StorageException>();
        await exists.Should().ThrowAsync<StorageException>();
        await delete.Should().ThrowAsync<StorageException>();
        await url.Should().ThrowAsync<StorageException>();
        outside.GetFiles().Select(f => f.Name).Should().Equal("secret.mp3");
        (await File.ReadAllBytesAsync(Path.Combine(outside.FullName, "secret.mp3"))).Should().Equal(9, 9, 9);
    }

    [Fact]
    public async Task File_symlink_pointing_outside_the_root_is_refused()
    {
        var target = Path.Combine(_sandbox.FullName, "target.mp3");
        await File.WriteAllBytesAsync(target, [7]);
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        File.CreateSymbolicLink(Path.Combine(_root, "a", "link.mp3"), target);
        var key = StorageKey.Parse("a/link.mp3");

        var save = async () => await _backend.SaveAsync(key, new MemoryStream([1, 2]), "audio/mpeg");
        var open = async () => await _backend.OpenReadAsync(key);

        await save.Should().ThrowAsync<StorageException>();
        await open.Should().ThrowAsync<StorageException>();
        (await File.ReadAllBytesAsync(target)).Should().Equal(7);
    }

    [Fact]
    public async Task Symlink_that_stays_inside_the_root_is_followed()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), "real");
        var key = StorageKey.Parse("alias/chapter-001.mp3");

        await _backend.SaveAsync(key, new MemoryStream([4, 5]), "audio/mpeg");

        (await File.ReadAllBytesAsync(Path.Combine(_root, "real", "chapter-001.mp3"))).Should().Equal(4, 5);
    }

    [Fact]
    public async Task Root_that_is_itself_a_symlink_works()
    {
        var real = Directory.CreateDirectory(Path.Combine(_sandbox.FullName, "real-root"));
        var link = Path.Combine(_sandbox.FullName, "linked-root");
        Directory.CreateSymbolicLink(link, real.FullName);
        var backend = Create(o => o.RootPath = link);

        await backend.SaveAsync(StorageKey.Parse("a/b.mp3"), new MemoryStream([3]), "audio/mpeg");

        (await File.ReadAllBytesAsync(Path.Combine(real.FullName, "a", "b.mp3"))).Should().Equal(3);
    }

    [Fact]
    public async Task Concurrent_writers_of_one_key_leave_one_whole_file_and_no_temporary_files()
    {
        const int Writers = 8;
        const int Size = 3 * 1024 * 1024;
        var key = NewKey();
        var hashes = Enumerable.Range(1, Writers)
            .Select(i => Convert.ToHexString(SHA256.HashData(Bytes(Size, (ulong)i))))
            .ToList();

        await Task.WhenAll(Enumerable.Range(1, Writers).Select(i =>
            Task.Run(() => _backend.SaveAsync(key, new PseudoRandomStream(Size, (ulong)i), "audio/mpeg"))));

        var path = Path.Combine(_root, key.Value);
        Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path))).Should().BeOneOf(hashes);
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().Equal(path);
    }

    private static LocalStorageBackend Create(Action<LocalStorageOptions> configure)
    {
        var options = new LocalStorageOptions();
        configure(options);
        return new LocalStorageBackend(Options.Create(options));
    }
}
