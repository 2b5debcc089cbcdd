using System.Text;
using System.Text.RegularExpressions;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Pipeline.Processing;
using BookBytes.Testing.Fakes;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>Issue 15: summaries grounded in a document's text, narration, chosen chapters, one audiobook per mode.</summary>
public sealed partial class ModesTests
{
    /// <summary>A sentence no other chapter, paragraph or sentence has.</summary>
    private static string Sentence(int chapter, int paragraph, int sentence)
        => $"Chapter {chapter} paragraph {paragraph} says thing number {sentence} in its own plain words.";

    private static string Paragraph(int chapter, int paragraph, int sentences)
        => string.Join(' ', Enumerable.Range(1, sentences).Select(s => Sentence(chapter, paragraph, s)));

    private static DocumentChapter Body(int number, int paragraphs = 3, int sentences = 4, int level = 0)
        => new(number, $"Heading {number}", level, ChapterKind.Body, [.. Enumerable.Range(1, paragraphs).Select(p => Paragraph(number, p, sentences))]);

    /// <summary>Front matter (1), three body chapters (2–4) and back matter (5).</summary>
    private static BookDocument Document(params DocumentChapter[] body) => new()
    {
        Title = "My Own Book",
        Authors = ["A. Writer"],
        Language = "en",
        Chapters =
        [
            new DocumentChapter(1, "Foreword", 0, ChapterKind.Front, [Paragraph(1, 1, 2)]),
            .. body.Length > 0 ? body : [Body(2), Body(3), Body(4)],
            new DocumentChapter(body.Length > 0 ? body.Max(c => c.Number) + 1 : 5, "Notes", 0, ChapterKind.Back, [Paragraph(9, 1, 2)]),
        ],
    };

    private static async Task<Edition> UploadAsync(PipelineHarness node, BookDocument? document = null, string file = "a document of my own")
        => (await node.Processing.AddDocumentAsync(Encoding.UTF8.GetBytes(file), "text/plain", document ?? Document())).Edition;

    private static string Normalized(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [Fact]
    public async Task A_document_is_summarised_chapter_by_chapter_from_each_chapters_own_text_without_an_outline()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var edition = await UploadAsync(node);

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.OutlineCalls.Should().Be(0, "the chapters come from the document");
        node.Llm.TotalSummaryCalls.Should().Be(0, "nothing is summarised from the model's memory");
        node.Llm.TextRequests.Select(r => r.Chapter.Number).Should().BeEquivalentTo([2, 3, 4], "front and back matter are left out unless named");
        foreach (var request in node.Llm.TextRequests)
        {
            request.Scope.Should().Be(SummaryScope.Chapter);
            request.Words.Should().Be(60);
            request.Chapter.Title.Should().Be($"Heading {request.Chapter.Number}");
            request.Text.Should().Be(string.Join("\n\n", Enumerable.Range(1, 3).Select(p => Paragraph(request.Chapter.Number, p, 4))), "the request carries its chapter's text");
            foreach (var other in new[] { 1, 2, 3, 4, 9 }.Where(n => n != request.Chapter.Number))
            {
                request.Text.Should().NotContain($"Chapter {other} paragraph", "and no other chapter's");
            }
        }

        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        details.AudioBook.Mode.Should().Be(AudioBookMode.Summary);
        details.AudioBook.Grounding.Should().Be(AudioBookGrounding.Text);
        details.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        details.Chapters.Select(c => (c.Number, c.Title)).Should().Equal((2, "Heading 2"), (3, "Heading 3"), (4, "Heading 4"));
        details.Chapters.Should().OnlyContain(c => c.Summary!.Contains(FakeLlmProvider.Marker(c.Number)) && c.Usage.Llm.InputTokens > 0);
    }

    [Fact]
    public async Task A_chapter_longer_than_the_input_budget_is_summarised_in_parts_then_combined()
    {
        await using var node = await new PipelineHarness(o => o.Llm.MaxInputTokens = 2_000).StartAsync();

        // ≈ 40 paragraphs × 100 words ≈ 5,300 tokens: several parts under the 1,000-token text budget.
        var edition = await UploadAsync(node, Document(Body(2, paragraphs: 40, sentences: 8), Body(3)));

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        var requests = node.Llm.TextRequests.Where(r => r.Chapter.Number == 2).ToList();
        var parts = requests.Where(r => r.Scope == SummaryScope.Part).OrderBy(r => r.Part).ToList();
        parts.Count.Should().BeGreaterThan(2);
        parts.Select(p => p.Part).Should().Equal(Enumerable.Range(1, parts.Count));
        parts.Should().OnlyContain(p => p.Parts == parts.Count && p.Text.Length > 0);
        parts.Should().OnlyContain(p => LlmTokens.Estimate(p.Text) <= 1_000, "each part fits the budget less the prompt's reserve");
        string.Join("\n\n", parts.Select(p => p.Text)).Should().Be(string.Join("\n\n", Enumerable.Range(1, 40).Select(p => Paragraph(2, p, 8))), "parts are cut at paragraph ends and cover the chapter once, in order");
        var combination = requests.Should().ContainSingle(r => r.Scope == SummaryScope.Combination).Which;
        combination.Parts.Should().Be(parts.Count);
        combination.Words.Should().Be(60);
        for (var i = 1; i <= parts.Count; i++)
        {
            combination.Text.Should().Contain($"Heading 2 part {i}.", "the combining request carries every part's summary");
        }

        node.Llm.TextRequests.ToList().FindLastIndex(r => r.Chapter.Number == 2 && r.Scope == SummaryScope.Part)
            .Should().BeLessThan(node.Llm.TextRequests.ToList().FindIndex(r => r.Scope == SummaryScope.Combination), "parts come before their combination");
        node.Llm.TextRequests.Where(r => r.Chapter.Number == 3).Should().ContainSingle().Which.Scope.Should().Be(SummaryScope.Chapter);
        node.Storage.Objects.Keys.Should().NotContain(k => k.Contains("/part-"), "part summaries are removed once the chapter's summary is stored");
    }

    [Fact]
    public async Task A_retry_after_the_combining_call_failed_does_not_ask_for_the_parts_again()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Llm.MaxInputTokens = 2_000;
            o.Llm.CallRetries = 0;
        }).StartAsync();
        node.Llm.TextSummaryBehavior = (request, call, _) =>
            request.Scope == SummaryScope.Combination && call == 1
                ? throw new ProviderException("503 from the model while combining", isTransient: true)
                : Task.FromResult<string?>(null);
        var edition = await UploadAsync(node, Document(Body(2, paragraphs: 40, sentences: 8)));

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(2, "the failed combination failed the chapter, and the job's retry redid it");
        node.Llm.TextCalls.Where(c => c.Key.Scope == SummaryScope.Part).Should().NotBeEmpty()
            .And.OnlyContain(c => c.Value == 1, "each part was asked for once: the retry read the stored part summaries");
        node.Llm.TextCalls[(2, SummaryScope.Combination, 0)].Should().Be(2);
    }

    [Fact]
    public async Task Narration_speaks_every_word_of_each_chapter_once_in_order_with_its_heading_and_asks_no_model()
    {
        await using var node = await new PipelineHarness(o => o.Tts.ChunkCharacters = 300).StartAsync();
        var document = Document(Body(2, paragraphs: 6, sentences: 5), Body(3, paragraphs: 1, sentences: 1), Body(4, paragraphs: 4, sentences: 9, level: 1));
        var edition = await UploadAsync(node, document);

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.OutlineCalls.Should().Be(0);
        node.Llm.TotalSummaryCalls.Should().Be(0);
        node.Llm.TextRequests.Should().BeEmpty();
        job.Usage.Llm.Should().Be(LlmUsage.Zero);
        var requests = node.Tts.Requests.Select(r => r.Text).ToList();
        requests.Should().OnlyContain(t => t.Length <= 300);
        foreach (var chapter in document.Chapters.Where(c => c.Kind == ChapterKind.Body))
        {
            var expected = Normalized($"{chapter.Title}\n\n{string.Join("\n\n", chapter.Paragraphs)}");

            // Each request belongs to one chapter (its sentences name it); put them in the order they read.
            var own = requests.Where(t => t.StartsWith(chapter.Title, StringComparison.Ordinal) || t.Contains($"Chapter {chapter.Number} paragraph", StringComparison.Ordinal)).ToList();
            var ordered = own.Select(Normalized).OrderBy(t => expected.IndexOf(t, StringComparison.Ordinal)).ToList();
            ordered.Should().OnlyContain(t => expected.Contains(t, StringComparison.Ordinal));
            string.Join(' ', ordered).Should().Be(expected, "the chapter's heading and every word of its text are spoken once, in order");
        }

        requests.Sum(t => t.Length).Should().Be((int)job.Usage.TtsCharacters);
        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        details.AudioBook.Mode.Should().Be(AudioBookMode.Narration);
        details.AudioBook.Grounding.Should().Be(AudioBookGrounding.Text);
        details.Chapters.Should().OnlyContain(c => c.Status == ChapterStatus.Completed && c.Summary == null);
        details.Chapters.Single(c => c.Number == 3).WordCount.Should().Be(2 + 13, "its heading and its one sentence");
    }

    [Fact]
    public async Task Chosen_chapters_are_the_only_ones_made_and_front_matter_is_made_when_named()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var edition = await UploadAsync(node);

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration, Chapters = [3, 1, 3] });
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        details.Chapters.Select(c => (c.Number, c.Title)).Should().Equal((1, "Foreword"), (3, "Heading 3"));
        node.Tts.Requests.Should().NotContain(r => r.Text.Contains("Chapter 2 paragraph", StringComparison.Ordinal) || r.Text.Contains("Chapter 4 paragraph", StringComparison.Ordinal));
        details.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
    }

    [Fact]
    public async Task A_refresh_with_chapters_adds_them_without_redoing_the_others()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var edition = await UploadAsync(node);
        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Chapters = [2] });
        (await node.WaitForJobAsync(started.Job.Id)).Status.Should().Be(JobStatus.Completed);
        var before = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Single();
        var spokenBefore = node.Tts.Calls;

        var refreshed = await node.Processing.RefreshAsync(started.AudioBook.Id, new RefreshRequest { Chapters = [4, 3] });
        var job = await node.WaitForJobAsync(refreshed.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        var details = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!;
        details.AudioBook.Version.Should().Be(1, "chapters are added to the version served");
        details.Chapters.Select(c => c.Number).Should().Equal(2, 3, 4);
        details.Chapters.Single(c => c.Number == 2).Should().BeEquivalentTo(before, "chapter 2 was not redone");
        node.Llm.TextCalls.Should().OnlyContain(c => c.Value == 1);
        node.Tts.Requests.Skip(spokenBefore).Should().NotContain(r => r.Text.Contains(FakeLlmProvider.Marker(2), StringComparison.Ordinal));
        details.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
    }

    [Fact]
    public async Task An_edition_has_one_audiobook_per_mode()
    {
        await using var node = new PipelineHarness();
        var edition = await UploadAsync(node);

        var summary = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var narration = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var again = () => node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration, Chapters = [2] });

        narration.AudioBook.Id.Should().NotBe(summary.AudioBook.Id);
        (await again.Should().ThrowAsync<AudioBookExistsException>()).Which.ExistingAudioBookId.Should().Be(narration.AudioBook.Id);
        (await node.Store.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Summary))!.Id.Should().Be(summary.AudioBook.Id);
        (await node.Store.FindAudioBookByEditionAsync(edition.Id, AudioBookMode.Narration))!.Id.Should().Be(narration.AudioBook.Id);
    }

    [Fact]
    public async Task Requests_that_do_not_fit_the_edition_are_refused_naming_the_field()
    {
        await using var node = new PipelineHarness();
        var edition = await UploadAsync(node, Document(Body(2), new DocumentChapter(3, "Part Two", 0, ChapterKind.Body, []), Body(4)));
        var isbn = node.Catalog.Add("9780306406157", "A Catalog Book");
        var catalog = await node.Processing.LookupAsync(isbn);

        async Task<ArgumentException> Refused(Guid id, AudioBookRequest request)
            => (await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(id, request)).Should().ThrowAsync<ArgumentException>()).Which;

        (await FluentActions.Awaiting(() => node.Processing.StartProcessingAsync(catalog.Id, new AudioBookRequest { Mode = AudioBookMode.Narration }))
            .Should().ThrowAsync<BookBytesException>()).Which.ErrorCode.Should().Be(ErrorCodes.TextRequired);
        (await Refused(edition.Id, new AudioBookRequest { Chapters = [2, 42, 77] })).Should().Match<ArgumentException>(e => e.ParamName == "chapters" && e.Message.Contains("42, 77"));
        (await Refused(edition.Id, new AudioBookRequest { Chapters = [] })).ParamName.Should().Be("chapters");
        (await Refused(edition.Id, new AudioBookRequest { Chapters = [3] })).Should().Match<ArgumentException>(e => e.ParamName == "chapters" && e.Message.Contains("no text to summarise"));
        (await Refused(catalog.Id, new AudioBookRequest { Chapters = [1] })).Should().Match<ArgumentException>(e => e.ParamName == "chapters" && e.Message.Contains("outline"));
        (await Refused(edition.Id, new AudioBookRequest { SummaryWords = 10 })).ParamName.Should().Be("summaryWords");
        (await Refused(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration, SummaryWords = 300 })).ParamName.Should().Be("summaryWords");
        (await Refused(edition.Id, new AudioBookRequest { Mode = (AudioBookMode)7 })).ParamName.Should().Be("mode");
        (await node.Store.ListAudioBooksAsync(0, 10)).Total.Should().Be(0, "nothing refused was created");

        // A heading-only chapter can be narrated (its heading is its text), and is not made by default.
        var narrated = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration, Chapters = [3] });
        narrated.AudioBook.Mode.Should().Be(AudioBookMode.Narration);
    }

    [Fact]
    public async Task Summary_words_chosen_for_an_audiobook_are_asked_for_and_checked_against()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var isbn = node.Catalog.Add("9780306406157", "A Catalog Book", [new TableOfContentsEntry("One", 1), new TableOfContentsEntry("Two", 1)]);

        var started = await node.Processing.StartProcessingAsync(isbn, new AudioBookRequest { SummaryWords = 200, Chapters = [2] });
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        started.AudioBook.SummaryWords.Should().Be(200);
        started.AudioBook.Grounding.Should().Be(AudioBookGrounding.Model);
        node.Llm.SummaryCalls.Keys.Should().Equal(2);
        var chapter = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Should().ContainSingle().Which;
        chapter.Title.Should().Be("Two");
        chapter.WordCount.Should().BeInRange(100, 400, "a 200-word summary was asked for and accepted");
    }

    [Fact]
    public async Task An_estimate_calls_no_provider_and_matches_a_narration_closely_and_a_summary_within_ten_percent()
    {
        await using var node = await new PipelineHarness(o =>
        {
            o.Tts.ChunkCharacters = 400;
            o.Llm.MaxInputTokens = 2_000;
        }).StartAsync();
        var edition = await UploadAsync(node, Document(Body(2, paragraphs: 30, sentences: 8), Body(3, paragraphs: 5), Body(4, paragraphs: 2, sentences: 2)));

        var narration = await node.Processing.EstimateAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var summary = await node.Processing.EstimateAsync(edition.Id, new AudioBookRequest { SummaryWords = 120 });

        node.Tts.Calls.Should().Be(0, "an estimate calls no provider");
        node.Llm.TextRequests.Should().BeEmpty();
        (await node.Store.ListAudioBooksAsync(0, 10)).Total.Should().Be(0);
        narration.Chapters.Select(c => c.Number).Should().Equal(2, 3, 4);
        narration.LlmCalls.Should().Be(0);
        narration.Tokens.Should().Be(LlmUsage.Zero);
        narration.Grounding.Should().Be(AudioBookGrounding.Text);
        summary.Chapters.Single(c => c.Number == 2).LlmCalls.Should().BeGreaterThan(2, "the long chapter is estimated in parts and a combination");
        summary.Chapters.Single(c => c.Number == 3).LlmCalls.Should().Be(1);
        summary.Chapters.Single(c => c.Number == 2).Words.Should().Be(30 * 8 * 13);
        summary.Duration.Should().BePositive();
        summary.Cost.Should().BeNull("the fake providers do not name their models");
        summary.Notes.Should().Contain(n => n.Contains("does not name its model"));

        var narrated = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var narrationJob = await node.WaitForJobAsync(narrated.Job.Id);
        var narrationCalls = node.Tts.Calls;
        var summarised = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { SummaryWords = 120 });
        var summaryJob = await node.WaitForJobAsync(summarised.Job.Id);

        narrationJob.Status.Should().Be(JobStatus.Completed, narrationJob.ErrorMessage);
        summaryJob.Status.Should().Be(JobStatus.Completed, summaryJob.ErrorMessage);
        // Chunks are cut as speech slots free up (ChapterSpeech), so where they end, and the white space dropped there, depends on the load.
        ((double)narration.SpeechCharacters).Should().BeApproximately(narrationJob.Usage.TtsCharacters, narrationJob.Usage.TtsCharacters * 0.01, "narration characters are exact but for the white space at chunk ends");
        ((double)narration.SpeechCalls).Should().BeApproximately(narrationCalls, narrationCalls * 0.25);
        summary.LlmCalls.Should().Be(node.Llm.TextRequests.Count, "the estimate plans the same calls the job made");
        ((double)summary.Tokens.InputTokens).Should().BeApproximately(summaryJob.Usage.Llm.InputTokens, summaryJob.Usage.Llm.InputTokens * 0.10);
        ((double)summary.Tokens.OutputTokens).Should().BeApproximately(summaryJob.Usage.Llm.OutputTokens, summaryJob.Usage.Llm.OutputTokens * 0.10);
        ((double)summary.SpeechCharacters).Should().BeApproximately(summaryJob.Usage.TtsCharacters, summaryJob.Usage.TtsCharacters * 0.10);
    }

    [Fact]
    public async Task An_estimate_of_an_edition_without_contents_assumes_its_chapter_count_and_prices_named_models()
    {
        await using var node = new PipelineHarness(o =>
        {
            o.Pricing.Models["fake-chat"] = new Estimates.ModelPrice { InputPerMillionTokens = 1m, OutputPerMillionTokens = 2m };
            o.Pricing.Models["fake-speech"] = new Estimates.ModelPrice { PerMillionCharacters = 10m };
        });
        node.Llm.ModelName = "fake-chat";
        node.Tts.ModelName = "fake-speech";
        var isbn = node.Catalog.Add("9780306406157", "A Catalog Book");

        var estimate = await node.Processing.EstimateAsync(isbn, new AudioBookRequest());

        estimate.Grounding.Should().Be(AudioBookGrounding.Model);
        estimate.Chapters.Should().BeEmpty();
        estimate.AssumedChapters.Should().Be(12);
        estimate.LlmCalls.Should().Be(13, "an outline and twelve summaries");
        estimate.Notes.Should().Contain(n => n.Contains("outline"));
        estimate.Cost.Should().Be(Math.Round((estimate.Tokens.InputTokens * 1m / 1_000_000m) + (estimate.Tokens.OutputTokens * 2m / 1_000_000m) + (estimate.SpeechCharacters * 10m / 1_000_000m), 4));
        estimate.Currency.Should().Be("USD");
        node.Llm.OutlineCalls.Should().Be(0);
    }

    [Fact]
    public async Task Each_chapter_is_stored_on_its_own_and_an_edition_stored_without_them_is_read_whole()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var edition = await UploadAsync(node);
        var chapterKeys = Enumerable.Range(1, 5).Select(n => $"sources/{edition.Id:D}/chapters/{n:D4}.json").ToList();
        node.Storage.Objects.Keys.Should().Contain(chapterKeys, "every chapter's text is stored on its own");
        Encoding.UTF8.GetString(node.Storage.Objects[chapterKeys[2]].Bytes).Should().Contain(Sentence(3, 1, 1)).And.NotContain(Sentence(2, 1, 1));

        // An edition uploaded before chapters had files of their own: the job reads book.json instead.
        foreach (var key in chapterKeys)
        {
            await node.Storage.DeleteAsync(BookBytes.Storage.StorageKey.Parse(key));
        }

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest { Mode = AudioBookMode.Narration });
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Tts.Requests.Should().Contain(r => r.Text.Contains(Sentence(4, 3, 4), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chapter_no_longer_than_its_summary_would_be_is_spoken_as_it_is_without_a_model_call()
    {
        await using var node = await new PipelineHarness().StartAsync();

        // Summary:Words is 60 here: chapter 3 has 13 words, chapter 2 has 156.
        var edition = await UploadAsync(node, Document(Body(2), Body(3, paragraphs: 1, sentences: 1)));

        var estimate = await node.Processing.EstimateAsync(edition.Id, new AudioBookRequest());
        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        node.Llm.TextRequests.Should().ContainSingle().Which.Chapter.Number.Should().Be(2);
        var chapter = (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.Chapters.Single(c => c.Number == 3);
        chapter.Summary.Should().Be("Heading 3\n\n" + Sentence(3, 1, 1), "its heading and its text are its summary");
        node.Tts.Requests.Should().Contain(r => r.Text.Contains(Sentence(3, 1, 1), StringComparison.Ordinal));
        estimate.Chapters.Single(c => c.Number == 3).Should().Match<Pipeline.Estimates.ChapterEstimate>(c => c.LlmCalls == 0 && c.SpeechCharacters == chapter.Summary!.Length);
        estimate.LlmCalls.Should().Be(1);
    }

    [Fact]
    public async Task Part_summaries_too_long_for_one_combining_call_are_combined_in_groups_first()
    {
        await using var node = await new PipelineHarness(o => o.Llm.MaxInputTokens = 2_000).StartAsync();

        // ≈ 17,000 tokens: about 18 parts, whose 60-word summaries (≈ 1,400 tokens) do not fit one 1,000-token call.
        var edition = await UploadAsync(node, Document(Body(2, paragraphs: 120, sentences: 8)));

        var started = await node.Processing.StartProcessingAsync(edition.Id, new AudioBookRequest());
        var job = await node.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        var parts = node.Llm.TextRequests.Count(r => r.Scope == SummaryScope.Part);
        var combinations = node.Llm.TextRequests.Where(r => r.Scope == SummaryScope.Combination).ToList();
        parts.Should().BeGreaterThan(12);
        combinations.Count.Should().BeGreaterThan(2, "groups of part summaries, then the chapter's");
        combinations.Should().OnlyContain(c => c.Parts >= 2 && LlmTokens.Estimate(c.Text) <= 1_000, "each combining call fits the budget");
        var last = node.Llm.TextRequests.Last(r => r.Scope == SummaryScope.Combination);
        last.Words.Should().Be(60);
        last.Parts.Should().Be(combinations.Count - 1, "the last call combines the groups' summaries");
        node.Llm.TextCalls.Should().OnlyContain(c => c.Value == 1 || c.Key.Scope == SummaryScope.Combination);
    }
}
