using Microsoft.Playwright;

namespace BookBytes.WebHost.Tests;

/// <summary>The page at / in Debian's Chromium: look up, process, watch progress, play chapter 1 — with and without API keys.</summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_reader_looks_a_book_up_makes_the_summary_watches_it_finish_and_plays_chapter_one()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await page.GotoAsync(baseUrl.ToString());
        await page.FillAsync("#isbn", "978-0-14-032872-1");
        await page.ClickAsync("#lookup");
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Fantastic Mr. Fox");
        var authors = await page.Locator("#authors").TextContentAsync();
        var tocEntries = await page.Locator("#toc li").CountAsync();
        await page.FillAsync("#voice", "nova");
        await page.ClickAsync("#process");
        await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync("100%");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        var firstPlay = page.Locator("#chapters li").First.Locator("button");
        await Assertions.Expect(firstPlay).ToBeEnabledAsync();
        var chapterCount = await page.Locator("#chapters li").CountAsync();
        await firstPlay.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.5");
        var playing = await page.EvaluateAsync<double>("() => document.getElementById('player').currentTime");
        var source = await page.EvaluateAsync<string>("() => document.getElementById('player').src");
        var nowPlaying = await page.Locator("#now-playing").TextContentAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-page.png"), FullPage = true });

        authors.Should().Be("by Roald Dahl");
        tocEntries.Should().BeGreaterThan(10);
        chapterCount.Should().BeGreaterThan(10);
        playing.Should().BeGreaterThan(0.5);
        source.Should().EndWith("/chapters/1/audio");
        nowPlaying.Should().StartWith("Chapter 1:");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().OnlyContain(e => e.RequestMessage.Body!.Contains("\"nova\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_newcomer_with_no_key_tries_the_sample_book_and_hears_chapter_one_narrated_by_the_machine()
    {
        using var host = new BookBytesHost(providers: false);
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await page.GotoAsync(baseUrl.ToString());
        await page.ClickAsync("#sample");
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("The Lantern at Gull Point");
        await page.CheckAsync("#mode-narration");
        await Assertions.Expect(page.Locator("#estimate-text")).Not.ToHaveTextAsync("…");
        var voices = await page.Locator("#voice-list option").CountAsync();
        await page.ClickAsync("#process");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed", new() { Timeout = 120_000 });
        var firstPlay = page.Locator("#chapters li").First.Locator("button");
        await Assertions.Expect(firstPlay).ToBeEnabledAsync();
        await firstPlay.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.5");
        var duration = await page.EvaluateAsync<double>("() => document.getElementById('player').duration");
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-sample-offline.png"), FullPage = true });

        voices.Should().BeGreaterThan(50, "every language eSpeak NG has is offered");
        duration.Should().BeGreaterThan(60, "chapter 1's ~550 words are read out whole");
        host.OpenAi.Server.LogEntries.Should().BeEmpty("nothing leaves the machine");
    }

    [Fact]
    public async Task A_reader_chooses_a_file_of_their_own_and_sees_its_chapters_with_front_matter_marked()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);
        var pdf = new BookBytes.Documents.Tests.Pdf.PdfBookBuilder { Title = "The River Book", Author = "Ada Writer", Bookmarks = true }
            .Section("Contents", "One. Two.")
            .Section("The First Chapter", "It begins on a grey morning, as the river rises and the town wakes to its bells.")
            .Section("The Second Chapter", "By noon the water has reached the square, and nobody is sure what to save first.")
            .Build();

        await page.GotoAsync(baseUrl.ToString());
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "river.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("The River Book");
        var entries = await page.Locator("#toc li").AllTextContentsAsync();
        var meta = await page.Locator("#meta").TextContentAsync();
        var uploadState = await page.Locator("#upload-state").TextContentAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-upload.png"), FullPage = true });

        entries.Should().Equal("Contents (front matter, 2 words)", "The First Chapter (17 words)", "The Second Chapter (16 words)");
        meta.Should().StartWith("from your file");
        uploadState.Should().Be("river.pdf: 3 chapters found");
        (await page.Locator("#toc li[data-kind=front]").CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_reader_ticks_chapters_of_their_file_chooses_narration_sees_the_estimate_creates_it_and_adds_a_chapter()
    {
        // The in-memory store keeps the audiobook's mode for the worker.
        using var host = new BookBytesHost(store: "InMemory");
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await page.GotoAsync(baseUrl.ToString());
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "river.pdf", MimeType = "application/pdf", Buffer = TestBooks.Pdf("The Narrated River") });
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("The Narrated River");
        var entries = await page.Locator("#toc li").AllTextContentsAsync();
        var ticked = await page.EvalOnSelectorAllAsync<bool[]>("#toc li input[type=checkbox]", "boxes => boxes.map(b => b.checked)");
        await Assertions.Expect(page.Locator("#estimate-text")).ToContainTextAsync("model calls");
        var summaryEstimate = await page.Locator("#estimate-text").TextContentAsync();
        var narrationEnabled = await page.Locator("#mode-narration").IsEnabledAsync();
        await page.CheckAsync("#mode-narration");
        await Assertions.Expect(page.Locator("#estimate-text")).ToContainTextAsync("no model calls");
        var narrationEstimate = await page.Locator("#estimate-text").TextContentAsync();
        var wordsHidden = await page.Locator("#summary-words-box").IsHiddenAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-estimate.png"), FullPage = true });
        await page.Locator("#toc li[data-number='3'] input").UncheckAsync();
        await Assertions.Expect(page.Locator("#estimate-text")).ToContainTextAsync("1 chapter · no model calls");
        await page.ClickAsync("#process");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(page.Locator("#chapters li")).ToHaveCountAsync(1);
        var bookMode = await page.Locator("#book-mode").TextContentAsync();
        var addHiddenBefore = await page.Locator("#add-box").IsHiddenAsync();
        await page.Locator("#toc li[data-number='3'] input").CheckAsync();
        await Assertions.Expect(page.Locator("#add-text")).ToHaveTextAsync("ticked but not in this audiobook: 3");
        await page.ClickAsync("#add-chapters");
        await Assertions.Expect(page.Locator("#chapters li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#chapters li").Last.Locator("button")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(page.Locator("#add-box")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-narration.png"), FullPage = true });

        entries.Should().Equal("Contents (front matter, 2 words)", "The First Chapter (17 words)", "The Second Chapter (16 words)");
        ticked.Should().Equal(false, true, true);
        summaryEstimate.Should().Contain("2 chapters");
        narrationEnabled.Should().BeTrue("a document has the text to narrate");
        narrationEstimate.Should().StartWith("2 chapters · no model calls · ").And.Contain("characters to speak");
        wordsHidden.Should().BeTrue("a narration has no summary length");
        bookMode.Should().StartWith("Narration · from the book's text");
        addHiddenBefore.Should().BeTrue("the audiobook has every ticked chapter");
        host.OpenAi.Requests(FakeOpenAi.ChatPath).Should().BeEmpty("a narration asks no language model");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_catalog_edition_without_contents_shows_no_checklist_and_cannot_be_narrated()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory");
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await page.GotoAsync(baseUrl.ToString());
        await page.FillAsync("#isbn", FakeOpenLibrary.LePetitPrince);
        await page.ClickAsync("#lookup");
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Le petit prince");
        await Assertions.Expect(page.Locator("#estimate-text")).ToContainTextAsync("assumed");
        var checklistHidden = await page.Locator("#toc-box").IsHiddenAsync();
        var note = await page.Locator("#toc-note").TextContentAsync();
        var narrationEnabled = await page.Locator("#mode-narration").IsEnabledAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-catalog-estimate.png"), FullPage = true });

        checklistHidden.Should().BeTrue();
        note.Should().Contain("come from the language model");
        narrationEnabled.Should().BeFalse("a catalog edition has no text to narrate");
    }

    [Fact]
    public async Task With_api_keys_the_page_asks_for_one_and_sends_it_on_every_call_including_progress_and_audio()
    {
        using var host = new BookBytesHost(settings: new Dictionary<string, string?> { ["BookBytes:Host:ApiKeys:0"] = "page-key" });
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await page.GotoAsync(baseUrl.ToString());
        await Assertions.Expect(page.Locator("#key-error")).ToHaveTextAsync("This server needs an API key.");
        var askedOnLoad = await page.Locator("#key-box").GetAttributeAsync("open");
        await page.FillAsync("#api-key", "wrong-key");
        await page.ClickAsync("#key-save");
        await page.FillAsync("#isbn", "978-0-14-032872-1");
        await page.ClickAsync("#lookup");
        await Assertions.Expect(page.Locator("#key-error")).ToHaveTextAsync("The server refused this API key.");
        await page.FillAsync("#api-key", "page-key");
        await page.ClickAsync("#key-save");
        await page.ClickAsync("#lookup");
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Fantastic Mr. Fox");
        await page.ClickAsync("#process");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync("100%");
        var firstPlay = page.Locator("#chapters li").First.Locator("button");
        await Assertions.Expect(firstPlay).ToBeEnabledAsync();
        await firstPlay.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.5");
        var source = await page.EvaluateAsync<string>("() => document.getElementById('player').src");
        await Assertions.Expect(page.Locator("#library-list")).ToContainTextAsync("Fantastic Mr. Fox");
        var keyState = await page.Locator("#key-state").TextContentAsync();

        askedOnLoad.Should().NotBeNull("the library call on load was refused, so the key box opened");
        source.Should().StartWith("blob:", "an audio element cannot send the key, so the page fetched the chapter with it");
        keyState.Should().Be("(set)");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_book_whose_attempt_failed_shows_why_and_when_it_is_retried_instead_of_a_silent_pending()
    {
        using var host = BookBytesHost.WithFailingSummariesOfLePetitPrince();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await StartLePetitPrinceAsync(page, baseUrl);
        await Assertions.Expect(page.Locator("#step")).ToContainTextAsync("retrying at");
        var step = await page.Locator("#step").TextContentAsync();
        var status = await page.Locator("#job-status").TextContentAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-retry.png"), FullPage = true });

        status.Should().Be("Pending");
        step.Should().StartWith("attempt 1 of 3 failed (CHAPTERS_FAILED:").And.Contain("503");
    }

    [Fact]
    public async Task The_player_stays_on_screen_changes_speed_goes_to_the_next_chapter_and_remembers_chapter_position_and_speed_after_a_reload()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);
        await MakeLePetitPrinceAsync(page, baseUrl);

        await page.Locator("#chapters li").First.Locator("button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.3");
        await page.SelectOptionAsync("#speed", "1.5");
        var rate = await page.EvaluateAsync<double>("() => document.getElementById('player').playbackRate");
        await page.ClickAsync("#next");
        await Assertions.Expect(page.Locator("#now-playing")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Chapter 2: "));
        await page.WaitForFunctionAsync("() => document.getElementById('player').src.endsWith('/chapters/2/audio') && document.getElementById('player').currentTime > 0.3");
        var rateAfterNext = await page.EvaluateAsync<double>("() => document.getElementById('player').playbackRate");
        await page.EvaluateAsync("() => { const p = document.getElementById('player'); p.pause(); p.currentTime = 3; }");
        await page.WaitForFunctionAsync("() => Object.keys(localStorage).some(k => k.startsWith('bookbytes.position.') && JSON.parse(localStorage.getItem(k)).time === 3)");
        var bar = await page.EvaluateAsync<double[]>("() => { window.scrollTo(0, 0); const r = document.getElementById('player-bar').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; }");
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-player.png"), FullPage = true });

        await page.ReloadAsync();
        await page.Locator("#library-list .book-card", new() { HasText = "Le petit prince" }).ClickAsync();
        await Assertions.Expect(page.Locator("#now-playing")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Chapter 2: "));
        await page.WaitForFunctionAsync("() => Math.abs(document.getElementById('player').currentTime - 3) < 0.25");
        var restored = await page.EvaluateAsync<double[]>("() => { const p = document.getElementById('player'); return [p.currentTime, p.playbackRate, p.paused ? 1 : 0]; }");
        var source = await page.EvaluateAsync<string>("() => document.getElementById('player').src");
        var speed = await page.InputValueAsync("#speed");

        rate.Should().Be(1.5);
        rateAfterNext.Should().Be(1.5, "the chosen speed carries on to the next chapter");
        bar[1].Should().BeLessThanOrEqualTo(bar[2], "the player is on screen at the top of the page");
        bar[0].Should().BeGreaterThan(bar[2] - 200, "the player sits at the bottom of the window");
        restored[0].Should().BeApproximately(3, 0.25);
        restored[1].Should().Be(1.5);
        restored[2].Should().Be(1, "a restored position waits for the listener to press play");
        source.Should().EndWith("/chapters/2/audio");
        speed.Should().Be("1.5");
    }

    [Fact]
    public async Task A_finished_book_gets_its_m4b_from_the_page_the_download_link_serves_it_and_the_feed_url_is_copied()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1000, Height = 1400 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        await MakeLePetitPrinceAsync(page, baseUrl);

        // Packaging may be asked for by the page, or already made when the book finished: either way the link comes.
        await Assertions.Expect(page.Locator("#make-package, #download-m4b").Locator("visible=true").First).ToBeVisibleAsync();
        if (await page.Locator("#make-package").IsVisibleAsync())
        {
            await page.ClickAsync("#make-package");
        }

        await Assertions.Expect(page.Locator("#download-m4b")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("#download-mp3")).ToBeVisibleAsync();
        var href = await page.Locator("#download-m4b").GetAttributeAsync("href");
        var download = await page.Locator("#download-m4b").GetAttributeAsync("download");
        await using var m4b = await page.APIRequest.GetAsync(new Uri(baseUrl, href).ToString());
        var bytes = await m4b.BodyAsync();
        await page.ClickAsync("#copy-feed");
        await Assertions.Expect(page.Locator("#copy-feed")).ToHaveTextAsync("Copied ✓");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        var makeHidden = await page.Locator("#make-package").IsHiddenAsync();

        download.Should().NotBeNull("the link saves the file rather than opening it");
        m4b.Status.Should().Be(200);
        m4b.Headers["content-type"].Should().Be("audio/mp4");
        bytes.Length.Should().BeGreaterThan(1000);
        System.Text.Encoding.ASCII.GetString(bytes, 4, 4).Should().Be("ftyp", "an MP4 file starts with its ftyp box");
        copied.Should().MatchRegex($"^{System.Text.RegularExpressions.Regex.Escape(baseUrl.ToString().TrimEnd('/'))}/api/v1/audiobooks/[0-9a-f-]{{36}}/feed\\.xml$");
        makeHidden.Should().BeTrue("the book's files are made");
    }

    [Fact]
    public async Task A_reader_cancels_a_book_waiting_for_its_retry_and_is_offered_to_try_again()
    {
        using var host = BookBytesHost.WithFailingSummariesOfLePetitPrince();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await StartLePetitPrinceAsync(page, baseUrl);
        await Assertions.Expect(page.Locator("#step")).ToContainTextAsync("retrying at");
        await page.ClickAsync("#cancel-job");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(page.Locator("#retry")).ToBeVisibleAsync();
        var cancelHidden = await page.Locator("#cancel-job").IsHiddenAsync();
        var bookStatus = await page.Locator("#book-status").TextContentAsync();

        cancelHidden.Should().BeTrue("an ended job cannot be cancelled again");
        bookStatus.Should().Be("Failed", "nothing was stored before the cancel");
    }

    [Fact]
    public async Task A_reader_deletes_a_finished_book_after_confirming_and_it_leaves_the_library()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);
        await MakeLePetitPrinceAsync(page, baseUrl);
        await Assertions.Expect(page.Locator("#library-list")).ToContainTextAsync("Le petit prince");
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };

        await page.ClickAsync("#delete-book");
        await Assertions.Expect(page.Locator("#player-section")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#library-list")).ToContainTextAsync("Nothing yet");
        using var client = new HttpClient { BaseAddress = baseUrl };
        var list = await (await client.GetAsync("/api/v1/audiobooks")).JsonAsync();

        asked.Should().Contain("Le petit prince");
        list.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_failed_book_offers_retry_and_a_new_version_and_retrying_after_the_provider_recovers_completes_it()
    {
        using var host = BookBytesHost.WithSummariesOfLePetitPrinceFailingUntilRecovered();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await StartLePetitPrinceAsync(page, baseUrl);
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Failed");
        await Assertions.Expect(page.Locator("#retry")).ToBeVisibleAsync();
        var status = await page.Locator("#book-status").TextContentAsync();
        var newVersionVisible = await page.Locator("#new-version").IsVisibleAsync();
        var repairText = await page.Locator("#repair-text").TextContentAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-failed-book.png"), FullPage = true });
        host.RecoverSummaries();
        await page.ClickAsync("#retry");
        await Assertions.Expect(page.Locator("#book-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        var retryHidden = await page.Locator("#repair-box").IsHiddenAsync();
        var playable = await page.Locator("#chapters li button:enabled").CountAsync();
        var chapters = await page.Locator("#chapters li").CountAsync();

        status.Should().BeOneOf("Failed", "Partly made");
        newVersionVisible.Should().BeTrue();
        repairText.Should().Contain("503");
        retryHidden.Should().BeTrue("a completed book needs no repair");
        chapters.Should().Be(3);
        playable.Should().Be(3);
    }

    [Fact]
    public async Task A_book_still_being_made_opened_from_the_library_follows_its_job_to_the_end()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);
        // 7 Habits' summaries come slowly (FakeOpenAi), so the book is still being made when it is opened.
        using var client = host.CreateClient();
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.SevenHabits })).JsonAsync();

        await page.GotoAsync(baseUrl.ToString());
        await page.Locator("#library-list .book-card").First.ClickAsync();
        await Assertions.Expect(page.Locator("#job")).ToBeVisibleAsync();
        var statusWhileMaking = await page.Locator("#book-status").TextContentAsync();
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#book-status")).ToHaveTextAsync("Completed");

        started.GetProperty("audioBookId").GetGuid().Should().NotBeEmpty();
        statusWhileMaking.Should().BeOneOf("Pending", "Being made");
    }

    [Fact]
    public async Task The_transcript_lists_the_chapters_cues_marks_the_one_being_spoken_and_a_click_on_a_cue_seeks_there()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);
        await MakeLePetitPrinceAsync(page, baseUrl);

        await page.Locator("#chapters li").First.Locator("button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.3");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#transcript li').length > 1");
        await Assertions.Expect(page.Locator("#transcript li.active")).ToHaveCountAsync(1);
        var spoken = await page.EvaluateAsync<string>("() => document.getElementById('player').textTracks[0].activeCues[0].text");
        var marked = await page.Locator("#transcript li.active").TextContentAsync();
        var cues = await page.Locator("#transcript li").CountAsync();
        var third = page.Locator("#transcript li").Nth(2).Locator("button");
        var thirdStart = double.Parse((await third.GetAttributeAsync("data-start"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.EvaluateAsync("() => document.getElementById('player').pause()");
        await third.ClickAsync();
        await Assertions.Expect(page.Locator("#transcript li").Nth(2)).ToHaveClassAsync("active");
        var time = await page.EvaluateAsync<double>("() => document.getElementById('player').currentTime");

        cues.Should().BeGreaterThan(1, "a cue per sentence of the summary");
        marked.Should().Be(spoken, "the cue marked is the one the audio is at");
        thirdStart.Should().BeGreaterThan(0);
        time.Should().BeGreaterThanOrEqualTo(thirdStart - 0.05);
    }

    [Fact]
    public async Task A_book_made_on_the_page_is_listed_completed_in_the_jobs_view_and_the_status_filter_narrows_the_list()
    {
        using var host = new BookBytesHost();
        var baseUrl = host.StartOnLoopback();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await MakeLePetitPrinceAsync(page, baseUrl);
        // The packaging that follows a finished book waits 15 s as a pending job: it is listed above, with a Cancel button.
        var row = page.Locator("#jobs-list tr[data-status=Completed]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var cells = await row.Locator("td").AllTextContentsAsync();
        var cancelButtons = await row.Locator("button").CountAsync();
        await page.Locator("#jobs").ScrollIntoViewIfNeededAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.Locator("#jobs").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(screenshots, "webhost-jobs.png") });
        await page.SelectOptionAsync("#jobs-status", "Failed");
        await Assertions.Expect(page.Locator("#jobs-empty")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#jobs-status", "Completed");
        await Assertions.Expect(page.Locator("#jobs-list tr")).ToHaveCountAsync(1);

        cells[0].Should().Be("Make");
        cells[1].Should().Be("Completed");
        cells[2].Should().Be("100%");
        cells[3].Should().Be("1 / 3");
        cells[4].Should().MatchRegex(@"^[1-9][\d,.]* tokens · [1-9][\d,.]* chars$", "the job's usage is shown");
        cancelButtons.Should().Be(0, "a finished job cannot be cancelled");
        (await page.Locator("#jobs-page").TextContentAsync()).Should().Be("page 1 of 1 · 1 job");
    }

    [Fact]
    public async Task A_reader_who_asks_for_a_book_hears_chapter_one_from_its_first_sentences_while_the_rest_is_made()
    {
        using var host = new BookBytesHost(settings: new Dictionary<string, string?>
        {
            ["BookBytes:Tts:ChunkCharacters"] = "100",
            ["BookBytes:Tts:MaxConcurrency"] = "1",
            ["BookBytes:Jobs:PackageWhenDone"] = "false",
        });
        host.OpenAi.SpeakSlowly(TimeSpan.FromMilliseconds(600));
        var baseUrl = host.StartOnLoopback();
        using var client = new HttpClient { BaseAddress = baseUrl };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser);

        await StartLePetitPrinceAsync(page, baseUrl);
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.3");
        var books = await (await client.GetAsync("/api/v1/audiobooks")).JsonAsync();
        var bookId = books.GetProperty("items")[0].GetProperty("id").GetGuid();
        var chapterOne = (await (await client.GetAsync($"/api/v1/audiobooks/{bookId}")).JsonAsync()).GetProperty("chapters")[0];
        var nowPlaying = await page.Locator("#now-playing").TextContentAsync();
        var firstButton = await page.Locator("#chapters li").First.Locator("button").TextContentAsync();
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webhost-listening-while-made.png"), FullPage = true });
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");

        chapterOne.GetProperty("status").GetString().Should().NotBe("Completed", "chapter 1 was playing before it was finished");
        nowPlaying.Should().StartWith("Chapter 1:");
        firstButton.Should().Be("▶ Listen", "a chapter being made is listened to as it is spoken");
        (await page.EvaluateAsync<string>("() => document.getElementById('player').src")).Should().EndWith("/chapters/1/audio");
        host.OpenAi.Requests(FakeOpenAi.SpeechPath).Count.Should().BeGreaterThan(3);
    }

    /// <summary>Looks "Le petit prince" up (three chapters from the model's outline), makes its summary and waits for it.</summary>
    /// <summary>Opens the page, looks up Le petit prince and asks for its audiobook.</summary>
    private static async Task StartLePetitPrinceAsync(IPage page, Uri baseUrl)
    {
        await page.GotoAsync(baseUrl.ToString());
        await page.FillAsync("#isbn", FakeOpenLibrary.LePetitPrince);
        await page.ClickAsync("#lookup");
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Le petit prince");
        await page.ClickAsync("#process");
    }

    private static async Task MakeLePetitPrinceAsync(IPage page, Uri baseUrl)
    {
        await StartLePetitPrinceAsync(page, baseUrl);
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(page.Locator("#chapters li button:enabled")).ToHaveCountAsync(3);
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        File.Exists(Chromium).Should().BeTrue($"the browser test drives Debian's Chromium at {Chromium}; run ./build.sh test, which installs it (apt-get install chromium)");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            ],
        });
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 1400 } });
        // Actions and waits use the page's timeout; web-first assertions (Expect) have their own 5 s default,
        // too short for a cold host making a whole book on a loaded CI machine.
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return page;
    }
}
