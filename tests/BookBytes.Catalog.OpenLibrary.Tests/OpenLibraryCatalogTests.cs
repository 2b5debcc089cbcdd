using BookBytes.Books;

namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class OpenLibraryCatalogTests : IDisposable
{
    private static readonly Isbn FantasticMrFox = Isbn.Parse("9780140328721");
    private static readonly Isbn SevenHabits = Isbn.Parse("9780743269513");
    private static readonly Isbn LePetitPrince = Isbn.Parse("9782070612758");

    private readonly FakeOpenLibrary _openLibrary = new();

    public void Dispose() => _openLibrary.Dispose();

    [Fact]
    public async Task Find_maps_every_field_of_the_edition_its_work_and_its_author()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition.Should().NotBeNull();
        edition!.Id.Version.Should().Be(7);
        edition.Isbn13.Should().Be("9780140328721");
        edition.Title.Should().Be("Fantastic Mr. Fox");
        edition.Authors.Should().Equal("Roald Dahl");
        edition.Publisher.Should().Be("Puffin");
        edition.PublishYear.Should().Be(1988);
        edition.Language.Should().Be("en");
        edition.PageCount.Should().Be(96);
        edition.CoverUrl.Should().Be(new Uri("https://covers.openlibrary.org/b/id/8739161-M.jpg"));
        edition.Description.Should().StartWith("The main character of Fantastic Mr. Fox is an extremely clever anthropomorphized fox");
        edition.Subjects.Should().Equal(
            "Animals", "Hunger", "Open Library Staff Picks", "Juvenile fiction", "Children's stories, English",
            "Foxes", "Fiction", "Zorros", "Novela juvenil", "Animals, juvenile fiction");
        edition.TableOfContents.Should().HaveCount(18, "the empty 19th entry is dropped");
        edition.TableOfContents[0].Should().Be(new TableOfContentsEntry("The Three Farmers", 0, "1", "7", false));
        edition.TableOfContents[17].Should().Be(new TableOfContentsEntry("Still Waiting", 0, "18", "85", false));
        edition.TableOfContents.Should().OnlyContain(e => !e.IsFrontOrBackMatter);
    }

    [Fact]
    public async Task Find_follows_the_isbn_redirect_then_fetches_work_and_author()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url);

        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        _openLibrary.RequestedPaths[0].Should().Be("/isbn/9780140328721.json");
        _openLibrary.RequestedPaths[1].Should().Be("/books/OL7353617M.json");
        _openLibrary.RequestedPaths.Skip(2).Should().BeEquivalentTo("/works/OL45804W.json", "/authors/OL34184A.json");
    }

    [Fact]
    public async Task Find_follows_a_redirect_with_an_absolute_location()
    {
        _openLibrary.GivenFantasticMrFox(absoluteLocation: true);
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition!.Title.Should().Be("Fantastic Mr. Fox");
        _openLibrary.RequestedPaths.Should().Contain("/books/OL7353617M.json");
    }

    [Fact]
    public async Task Find_sends_a_descriptive_user_agent_with_the_contact_on_every_request()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url);

        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var userAgents = _openLibrary.Server.LogEntries.Select(e => e.RequestMessage.Headers!["User-Agent"].ToString()).ToList();
        userAgents.Should().HaveCount(4).And.OnlyContain(ua =>
            ua == $"BookBytes/0.1 ({CatalogHost.Contact})");
        _openLibrary.Server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["Accept"].ToString().Contains("application/json"));
    }

    [Fact]
    public async Task Find_with_an_isbn10_queries_the_isbn13_path_first_and_falls_back_to_the_isbn10_path()
    {
        _openLibrary.GivenGodelEscherBach();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(Isbn.Parse("0465026567"));

        edition!.Title.Should().Be("Gödel, Escher, Bach: an eternal golden braid");
        edition.Isbn13.Should().Be("9780465026562");
        _openLibrary.RequestedPaths.Take(3).Should().Equal("/isbn/9780465026562.json", "/isbn/0465026567.json", "/books/OL4732588M.json");
    }

    [Fact]
    public async Task Find_with_an_isbn10_input_uses_only_the_isbn13_path_when_it_is_found()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(Isbn.Parse("0140328726"));

        edition!.Isbn13.Should().Be("9780140328721");
        _openLibrary.RequestedPaths.Should().NotContain("/isbn/0140328726.json");
    }

    [Fact]
    public async Task Find_keeps_the_top_level_of_a_nested_table_of_contents_and_flags_front_and_back_matter()
    {
        _openLibrary.GivenGodelEscherBach();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(Isbn.Parse("0465026567"));

        edition!.TableOfContents.Select(e => (e.Title, e.Level, e.IsFrontOrBackMatter)).Should().Equal(
            ("Overview", 1, false),
            ("List of Illustrations", 1, true),
            ("Words of Thanks", 1, false),
            ("GEB", 1, false),
            ("EGB", 1, false),
            ("Notes", 1, true),
            ("Bibliography", 1, true),
            ("Credits", 1, true),
            ("Index", 1, true));
        edition.TableOfContents[3].Label.Should().Be("Part I");
        edition.TableOfContents[0].PageNumber.Should().Be("viii");
        edition.PublishYear.Should().Be(1979, "the publish date is 'c1979'");
        edition.CoverUrl.Should().Be(new Uri("https://covers.openlibrary.org/b/id/8259447-M.jpg"), "-1 marks a removed cover");
        edition.Description.Should().StartWith("Twenty years after");
        edition.Authors.Should().Equal("Douglas R. Hofstadter");
    }

    [Fact]
    public async Task Find_reads_a_legacy_string_table_of_contents_a_string_description_and_the_works_authors()
    {
        _openLibrary.GivenSevenHabits();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(SevenHabits);

        edition!.Title.Should().Be("The 7 Habits of Highly Effective People: Powerful Lessons in Personal Change");
        edition.Authors.Should().Equal(["Stephen R. Covey"], "the edition lists no authors, the work two, and Open Library does not know the second");
        edition.Description.Should().StartWith("In The 7 Habits of Highly Effective People, author Stephen R. Covey");
        edition.PublishYear.Should().Be(2004);
        edition.Publisher.Should().Be("Free Press");
        edition.TableOfContents.Should().HaveCount(16, "the empty string is dropped");
        edition.TableOfContents.Should().OnlyContain(e => e.Level == 0 && e.Label == null && e.PageNumber == null);
        edition.TableOfContents.Where(e => e.IsFrontOrBackMatter).Select(e => e.Title).Should().Equal(
            "Foreword", "Appendix A: Possible perceptions flowing out of various centers", "Index");
        edition.TableOfContents[5].Title.Should().Be("Habit 1: Be proactive");
    }

    [Fact]
    public async Task Find_returns_an_edition_without_authors_work_or_cover_when_open_library_has_none()
    {
        _openLibrary.GivenLePetitPrince();
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(LePetitPrince);

        edition!.Title.Should().Be("Le petit prince");
        edition.Authors.Should().BeEmpty();
        edition.Language.Should().Be("fr");
        edition.PublishYear.Should().Be(2007);
        edition.PageCount.Should().Be(97, "a page count written as a string is still read");
        edition.Publisher.Should().Be("Gallimard");
        edition.CoverUrl.Should().BeNull();
        edition.Description.Should().BeNull();
        edition.Subjects.Should().BeEmpty();
        edition.TableOfContents.Should().BeEmpty();
        _openLibrary.RequestedPaths.Should().Equal("/isbn/9782070612758.json", "/books/OL26363125M.json");
    }

    [Fact]
    public async Task Find_skips_an_author_that_fails_instead_of_failing_the_lookup()
    {
        _openLibrary.GivenSevenHabits().GivenStatus("/authors/OL9999999A.json", 500);
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(SevenHabits);

        edition!.Authors.Should().Equal("Stephen R. Covey");
        _openLibrary.RequestedPaths.Count(p => p == "/authors/OL9999999A.json").Should().Be(3, "the failing author is retried twice first");
    }

    [Fact]
    public async Task Find_returns_the_edition_without_description_when_the_work_fails()
    {
        _openLibrary.GivenFantasticMrFox().GivenBody("/works/OL45804W.json", 200, "<html>oops</html>", "text/html");
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition!.Title.Should().Be("Fantastic Mr. Fox");
        edition.Description.Should().BeNull();
        edition.Subjects.Should().BeEmpty();
        edition.Authors.Should().Equal("Roald Dahl");
    }

    [Fact]
    public async Task Find_caches_a_found_edition_so_a_second_lookup_makes_no_request()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url);
        var first = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var second = await host.Catalog.FindByIsbnAsync(Isbn.Parse("0-14-032872-6"));

        _openLibrary.Server.LogEntries.Should().HaveCount(4);
        second.Should().BeEquivalentTo(first, o => o.Excluding(e => e!.Id));
        second!.Id.Should().NotBe(first!.Id, "every lookup assigns a new edition id, cached or not");
    }

    [Fact]
    public async Task Find_caches_an_unknown_isbn_so_a_second_lookup_makes_no_request()
    {
        using var host = new CatalogHost(_openLibrary.Url);
        var first = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var second = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        first.Should().BeNull();
        second.Should().BeNull();
        _openLibrary.RequestedPaths.Should().Equal("/isbn/9780140328721.json", "/isbn/0140328726.json");
    }

    [Fact]
    public async Task Find_asks_again_when_the_negative_cache_duration_is_zero()
    {
        using var host = new CatalogHost(_openLibrary.Url, o => o.NegativeCacheDuration = TimeSpan.Zero);
        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        _openLibrary.Server.LogEntries.Should().HaveCount(4);
    }

    [Fact]
    public async Task Find_asks_again_when_the_cache_duration_is_zero()
    {
        _openLibrary.GivenFantasticMrFox();
        using var host = new CatalogHost(_openLibrary.Url, o => o.CacheDuration = TimeSpan.Zero);
        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        _openLibrary.Server.LogEntries.Should().HaveCount(8);
    }

    [Fact]
    public async Task Find_caches_an_edition_with_a_failed_author_only_for_the_negative_duration()
    {
        _openLibrary.GivenSevenHabits().GivenStatus("/authors/OL9999999A.json", 503);
        using var host = new CatalogHost(_openLibrary.Url, o =>
        {
            o.MaxRetryAttempts = 0;
            o.NegativeCacheDuration = TimeSpan.Zero;
        });
        await host.Catalog.FindByIsbnAsync(SevenHabits);

        await host.Catalog.FindByIsbnAsync(SevenHabits);

        _openLibrary.RequestedPaths.Count(p => p == "/books/OL7928048M.json").Should().Be(2);
    }

    [Fact]
    public async Task Find_returns_null_for_an_isbn13_without_isbn10_form_after_one_request()
    {
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(Isbn.Parse("9791032305690"));

        edition.Should().BeNull();
        _openLibrary.RequestedPaths.Should().Equal("/isbn/9791032305690.json");
    }

    [Fact]
    public async Task Find_returns_null_when_the_redirect_leads_to_a_missing_edition()
    {
        _openLibrary.GivenIsbn("9780140328721", "/books/OL1M");
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition.Should().BeNull();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Find_throws_a_transient_error_after_the_retries_when_open_library_keeps_failing(int status)
    {
        _openLibrary.GivenStatus("/isbn/9780140328721.json", status);
        using var host = new CatalogHost(_openLibrary.Url, o => o.MaxRetryAttempts = 2);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.ErrorCode.Should().Be(ErrorCodes.CatalogUnavailable);
        error.Message.Should().Contain("/isbn/9780140328721.json").And.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _openLibrary.RequestedPaths.Should().HaveCount(3, "one attempt and two retries");
    }

    [Fact]
    public async Task Find_does_not_cache_a_failure()
    {
        _openLibrary.GivenStatus("/isbn/9780140328721.json", 500);
        using var host = new CatalogHost(_openLibrary.Url, o => o.MaxRetryAttempts = 0);
        var failed = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);
        await failed.Should().ThrowAsync<CatalogUnavailableException>();
        _openLibrary.Server.ResetMappings();
        _openLibrary.GivenFantasticMrFox();

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition!.Title.Should().Be("Fantastic Mr. Fox");
    }

    [Fact]
    public async Task Find_retries_a_transient_failure_and_succeeds()
    {
        _openLibrary.GivenFantasticMrFox();
        _openLibrary.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/books/OL7353617M.json").UsingGet())
            .InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503));
        _openLibrary.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/books/OL7353617M.json").UsingGet())
            .InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(FakeOpenLibrary.Fixture("fantastic-mr-fox.edition.json")));
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition!.Title.Should().Be("Fantastic Mr. Fox");
        _openLibrary.RequestedPaths.Count(p => p == "/books/OL7353617M.json").Should().Be(2);
    }

    [Fact]
    public async Task Find_throws_a_non_transient_error_for_malformed_json()
    {
        _openLibrary.GivenIsbn("9780140328721", "/books/OL7353617M")
            .GivenBody("/books/OL7353617M.json", 200, "{\"title\": \"Fantastic Mr. Fox\", \"authors\": [");
        using var host = new CatalogHost(_openLibrary.Url);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.ErrorCode.Should().Be(ErrorCodes.CatalogInvalidResponse);
        error.Message.Should().Contain("books/OL7353617M.json").And.Contain("JSON");
        _openLibrary.RequestedPaths.Count(p => p == "/books/OL7353617M.json").Should().Be(1, "an unreadable answer is not retried");
    }

    [Fact]
    public async Task Find_throws_a_transient_error_for_a_page_that_is_not_json_at_all()
    {
        _openLibrary.GivenBody("/isbn/9780140328721.json", 200, "<!DOCTYPE html><html><body>Open Library is down for maintenance</body></html>", "text/html");
        using var host = new CatalogHost(_openLibrary.Url);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue("a maintenance page is an outage; the job retries later");
        error.Message.Should().Contain("text/html");
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Open Library is down for maintenance</body></html>")]
    [InlineData("[1, 2, 3]")]
    public async Task Find_throws_a_non_transient_error_for_a_json_answer_that_is_not_a_json_record(string body)
    {
        _openLibrary.GivenBody("/isbn/9780140328721.json", 200, body);
        using var host = new CatalogHost(_openLibrary.Url);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Find_throws_a_non_transient_error_when_the_edition_has_no_title()
    {
        _openLibrary.GivenBody("/isbn/9780140328721.json", 200, "{\"key\": \"/books/OL7353617M\", \"publishers\": [\"Puffin\"]}");
        using var host = new CatalogHost(_openLibrary.Url);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Find_throws_a_transient_error_when_open_library_times_out()
    {
        _openLibrary.GivenDelay("/isbn/9780140328721.json", TimeSpan.FromSeconds(2));
        using var host = new CatalogHost(_openLibrary.Url, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetryAttempts = 1;
        });

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.InnerException.Should().BeOfType<Polly.Timeout.TimeoutRejectedException>();
    }

    [Fact]
    public async Task Find_throws_a_transient_error_when_open_library_cannot_be_reached()
    {
        var url = _openLibrary.Url;
        _openLibrary.Server.Stop();
        using var host = new CatalogHost(url, o => o.MaxRetryAttempts = 1);

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox);

        var error = (await act.Should().ThrowAsync<CatalogUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.InnerException.Should().BeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task Find_throws_operation_canceled_when_the_caller_cancels()
    {
        _openLibrary.GivenDelay("/isbn/9780140328721.json", TimeSpan.FromSeconds(2));
        using var host = new CatalogHost(_openLibrary.Url);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var act = () => host.Catalog.FindByIsbnAsync(FantasticMrFox, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Find_rejects_a_default_isbn()
    {
        using var host = new CatalogHost(_openLibrary.Url);

        var act = () => host.Catalog.FindByIsbnAsync(default);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Find_does_not_follow_keys_that_are_not_open_library_record_keys()
    {
        _openLibrary.GivenBody("/isbn/9780140328721.json", 200,
            "{\"title\": \"Odd\", \"works\": [{\"key\": \"/../admin\"}], \"authors\": [{\"key\": \"https://evil.example/a\"}]}");
        using var host = new CatalogHost(_openLibrary.Url);

        var edition = await host.Catalog.FindByIsbnAsync(FantasticMrFox);

        edition!.Title.Should().Be("Odd");
        edition.Authors.Should().BeEmpty();
        _openLibrary.RequestedPaths.Should().Equal("/isbn/9780140328721.json");
    }
}
