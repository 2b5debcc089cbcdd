using BookBytes.Books;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Catalog.OpenLibrary.Tests;

/// <summary><see cref="OpenLibraryCatalog.GetCoverAsync"/> over real HTTP against a WireMock covers server.</summary>
public sealed class OpenLibraryCoverTests : IDisposable
{
    private const string ByIdPath = "/b/id/8739161-L.jpg";
    private const string ByIsbnPath = "/b/isbn/9780140328721-L.jpg";

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

    private readonly FakeOpenLibrary _covers = new();

    public void Dispose() => _covers.Dispose();

    [Fact]
    public async Task Get_cover_downloads_the_large_cover_by_the_cover_id_of_the_edition()
    {
        GivenCover(ByIdPath, 200, Jpeg, "image/jpeg");
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover.Should().NotBeNull();
        cover!.MediaType.Should().Be("image/jpeg");
        cover.Data.ToArray().Should().Equal(Jpeg);
        var request = _covers.Server.LogEntries.Should().ContainSingle().Which.RequestMessage;
        request.Path.Should().Be(ByIdPath);
        request.Query!["default"].Should().Equal("false");
        request.Headers!["User-Agent"].Should().ContainSingle().Which.Should().Contain(CatalogHost.Contact);
    }

    [Fact]
    public async Task Get_cover_asks_by_isbn_when_the_edition_names_no_cover_id()
    {
        GivenCover(ByIsbnPath, 200, Png, "application/octet-stream");
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: null));

        cover!.MediaType.Should().Be("image/png", "the bytes say what the image is, not the Content-Type");
        _covers.RequestedPaths.Should().Equal(ByIsbnPath);
    }

    [Fact]
    public async Task Get_cover_never_fetches_the_stored_url_only_the_configured_covers_server()
    {
        GivenCover(ByIdPath, 200, Jpeg, "image/jpeg");
        using var host = Host();
        var edition = Edition(coverId: null) with { CoverUrl = new Uri("http://169.254.169.254/b/id/8739161-M.jpg") };

        var cover = await host.Catalog.GetCoverAsync(edition);

        cover.Should().NotBeNull();
        _covers.RequestedPaths.Should().Equal(ByIdPath);
    }

    [Fact]
    public async Task Get_cover_follows_a_redirect_to_where_the_image_is_stored()
    {
        _covers.Server.Given(Request.Create().WithPath(ByIdPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/archive/8739161-L.jpg"));
        GivenCover("/archive/8739161-L.jpg", 200, Jpeg, "image/jpeg");
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover!.Data.ToArray().Should().Equal(Jpeg);
    }

    [Fact]
    public async Task Get_cover_returns_null_when_open_library_has_no_cover()
    {
        _covers.GivenStatus(ByIdPath, 404);
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover.Should().BeNull();
        _covers.RequestedPaths.Should().ContainSingle("a missing cover is an answer, not a failure to retry");
    }

    [Fact]
    public async Task Get_cover_returns_null_without_a_request_when_the_edition_has_neither_cover_id_nor_isbn()
    {
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: null) with { Isbn13 = null });

        cover.Should().BeNull();
        _covers.RequestedPaths.Should().BeEmpty();
    }

    [Theory]
    [InlineData("text/html", "<!DOCTYPE html><html><body>Covers are down for maintenance</body></html>")]
    [InlineData("image/jpeg", "GIF89a\u0001\u0000\u0001\u0000")]
    [InlineData("image/jpeg", "")]
    public async Task Get_cover_returns_null_for_a_body_that_is_not_a_jpeg_or_png_image(string contentType, string body)
    {
        GivenCover(ByIdPath, 200, System.Text.Encoding.UTF8.GetBytes(body), contentType);
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover.Should().BeNull();
    }

    [Fact]
    public async Task Get_cover_returns_null_for_a_body_over_ten_mebibytes()
    {
        var huge = new byte[OpenLibraryCatalog.MaxCoverBytes + 1];
        Jpeg.CopyTo(huge, 0);
        GivenCover(ByIdPath, 200, huge, "image/jpeg");
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover.Should().BeNull();
    }

    [Fact]
    public async Task Get_cover_returns_null_at_once_for_a_cover_declared_larger_than_ten_mebibytes_without_reading_it()
    {
        using var server = new RawHttpServer(
            $"""
            HTTP/1.1 200 OK
            Content-Type: image/jpeg
            Content-Length: {OpenLibraryCatalog.MaxCoverBytes + 1}

            """,
            Jpeg);
        // The body never comes: reading it would stall into the short timeouts and throw, as the next test shows.
        using var host = Host(o =>
        {
            o.CoversBaseUrl = server.Url;
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.TotalTimeout = TimeSpan.FromMilliseconds(600);
        });

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover.Should().BeNull("the declared length is refused before the body is read");
    }

    [Fact]
    public async Task Get_cover_throws_a_transient_error_when_the_body_stalls_after_the_headers()
    {
        using var server = new RawHttpServer(
            """
            HTTP/1.1 200 OK
            Content-Type: image/jpeg
            Content-Length: 1000

            """,
            Jpeg);
        using var host = Host(o =>
        {
            o.CoversBaseUrl = server.Url;
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.TotalTimeout = TimeSpan.FromMilliseconds(600);
        });

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.InnerException.Should().BeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public async Task Get_cover_accepts_a_cover_of_exactly_ten_mebibytes()
    {
        var large = new byte[OpenLibraryCatalog.MaxCoverBytes];
        Jpeg.CopyTo(large, 0);
        GivenCover(ByIdPath, 200, large, "image/jpeg");
        using var host = Host();

        var cover = await host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        cover!.Data.Length.Should().Be(OpenLibraryCatalog.MaxCoverBytes);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Get_cover_throws_a_transient_error_after_the_retries_when_the_covers_server_keeps_failing(int status)
    {
        _covers.GivenStatus(ByIdPath, status);
        using var host = Host(o => o.MaxRetryAttempts = 2);

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain(ByIdPath).And.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _covers.RequestedPaths.Should().HaveCount(3, "one attempt and two retries, as for a record");
    }

    [Fact]
    public async Task Get_cover_throws_a_non_transient_error_for_another_client_error()
    {
        _covers.GivenStatus(ByIdPath, 403);
        using var host = Host();

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Get_cover_throws_a_transient_error_when_the_covers_server_times_out()
    {
        _covers.Server.Given(Request.Create().WithPath(ByIdPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Jpeg).WithDelay(TimeSpan.FromSeconds(2)));
        using var host = Host(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetryAttempts = 1;
        });

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161));

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.InnerException.Should().BeOfType<Polly.Timeout.TimeoutRejectedException>();
    }

    [Fact]
    public async Task Get_cover_throws_operation_canceled_when_the_caller_cancels()
    {
        _covers.Server.Given(Request.Create().WithPath(ByIdPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Jpeg).WithDelay(TimeSpan.FromSeconds(2)));
        using var host = Host();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Get_cover_throws_operation_canceled_before_any_request_for_a_cancelled_token()
    {
        using var host = Host();

        var act = () => host.Catalog.GetCoverAsync(Edition(coverId: 8739161), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        _covers.RequestedPaths.Should().BeEmpty();
    }

    [Fact]
    public async Task A_found_edition_points_at_the_configured_covers_server_and_its_cover_downloads_from_there()
    {
        using var openLibrary = new FakeOpenLibrary();
        openLibrary.GivenFantasticMrFox();
        GivenCover(ByIdPath, 200, Jpeg, "image/jpeg");
        using var host = new CatalogHost(openLibrary.Url, o => o.CoversBaseUrl = _covers.Url);

        var edition = await host.Catalog.FindByIsbnAsync(Isbn.Parse("9780140328721"));
        var cover = await host.Catalog.GetCoverAsync(edition!);

        edition!.CoverUrl.Should().Be(new Uri(_covers.Url, "/b/id/8739161-M.jpg"));
        cover!.MediaType.Should().Be("image/jpeg");
    }

    private static Edition Edition(int? coverId) => new()
    {
        Id = Guid.CreateVersion7(),
        Isbn13 = "9780140328721",
        Title = "Fantastic Mr. Fox",
        CoverUrl = coverId is { } id ? new Uri($"https://covers.openlibrary.org/b/id/{id}-M.jpg") : null,
    };

    private CatalogHost Host(Action<OpenLibraryOptions>? configure = null) => new(new Uri("http://127.0.0.1:9/"), o =>
    {
        o.CoversBaseUrl = _covers.Url;
        configure?.Invoke(o);
    });

    private void GivenCover(string path, int status, byte[] body, string contentType)
        => _covers.Server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
}
