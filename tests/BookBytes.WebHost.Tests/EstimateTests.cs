using System.Net;
using System.Text.Json;

namespace BookBytes.WebHost.Tests;

/// <summary><c>POST /api/v1/books/estimate</c>: the figures of an audiobook before anything is bought, with and without providers.</summary>
public sealed class EstimateTests(ApiOnlyHost host) : IClassFixture<ApiOnlyHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task A_narration_of_an_uploaded_document_speaks_its_body_chapters_with_no_model_call_and_a_price_for_the_openai_models()
    {
        var editionId = await _client.UploadAsync(TestBooks.Pdf("Estimated Narration"));

        var response = await _client.PostJsonAsync("/api/v1/books/estimate", new { editionId, mode = "narration" });
        var estimate = await response.JsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, estimate.ToString());
        estimate.PropertyNames().Should().BeEquivalentTo(
            "editionId", "mode", "grounding", "chapters", "assumedChapters", "llmCalls", "inputTokens", "outputTokens",
            "speechCalls", "speechCharacters", "seconds", "cost", "currency", "notes");
        estimate.GetProperty("editionId").GetGuid().Should().Be(editionId);
        estimate.GetProperty("mode").GetString().Should().Be("narration");
        estimate.GetProperty("grounding").GetString().Should().Be("text");
        var chapters = estimate.GetProperty("chapters").EnumerateArray().ToList();
        chapters.Select(c => c.GetProperty("number").GetInt32()).Should().Equal([2, 3], "the contents page is front matter");
        chapters[0].PropertyNames().Should().BeEquivalentTo("number", "title", "words", "llmCalls", "inputTokens", "outputTokens", "speechCalls", "speechCharacters");
        chapters[0].GetProperty("title").GetString().Should().Be("The First Chapter");
        chapters[0].GetProperty("words").GetInt32().Should().Be(17);
        chapters.Should().OnlyContain(c => c.GetProperty("speechCharacters").GetInt64() > 0 && c.GetProperty("llmCalls").GetInt32() == 0);
        estimate.GetProperty("assumedChapters").ValueKind.Should().Be(JsonValueKind.Null);
        estimate.GetProperty("llmCalls").GetInt32().Should().Be(0);
        estimate.GetProperty("inputTokens").GetInt64().Should().Be(0);
        estimate.GetProperty("speechCalls").GetInt32().Should().BeGreaterThanOrEqualTo(2);
        estimate.GetProperty("speechCharacters").GetInt64().Should().Be(chapters.Sum(c => c.GetProperty("speechCharacters").GetInt64()));
        estimate.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        ShouldBePricedFromTheTable(estimate);
        estimate.GetProperty("currency").GetString().Should().Be("USD");
        host.OpenAi.Server.LogEntries.Should().BeEmpty("an estimate calls no provider");
    }

    [Fact]
    public async Task A_summary_of_chosen_chapters_counts_model_calls_and_tokens_for_those_chapters_only()
    {
        var editionId = await _client.UploadAsync(TestBooks.LongPdf("Estimated Summary"));

        var estimate = await (await _client.PostJsonAsync("/api/v1/books/estimate", new { editionId, chapters = new[] { 3 }, summaryWords = 100 })).JsonAsync();

        estimate.GetProperty("mode").GetString().Should().Be("summary");
        estimate.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("number").GetInt32()).Should().Equal(3);
        estimate.GetProperty("llmCalls").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        estimate.GetProperty("inputTokens").GetInt64().Should().BeGreaterThan(0);
        estimate.GetProperty("outputTokens").GetInt64().Should().BeGreaterThan(0);
        estimate.GetProperty("speechCharacters").GetInt64().Should().BeGreaterThan(0);
        ShouldBePricedFromTheTable(estimate);
        host.OpenAi.Server.LogEntries.Should().BeEmpty("an estimate calls no provider");
    }

    [Fact]
    public async Task An_isbn_edition_without_contents_assumes_a_chapter_count_and_says_so()
    {
        var response = await _client.PostJsonAsync("/api/v1/books/estimate", new { isbn = FakeOpenLibrary.LePetitPrince });
        var estimate = await response.JsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, estimate.ToString());
        estimate.GetProperty("grounding").GetString().Should().Be("model");
        estimate.GetProperty("chapters").GetArrayLength().Should().Be(0);
        estimate.GetProperty("assumedChapters").GetInt32().Should().BeGreaterThan(0);
        estimate.GetProperty("llmCalls").GetInt32().Should().BeGreaterThan(estimate.GetProperty("assumedChapters").GetInt32(), "an outline and a summary per chapter");
        estimate.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("AssumedChapters", StringComparison.Ordinal));
        host.OpenAi.Server.LogEntries.Should().BeEmpty("an estimate calls no provider");
    }

    [Fact]
    public async Task Estimate_errors_are_those_of_process()
    {
        var narration = await _client.PostJsonAsync("/api/v1/books/estimate", new { isbn = FakeOpenLibrary.FantasticMrFox, mode = "narration" });
        var unknown = await _client.PostJsonAsync("/api/v1/books/estimate", new { editionId = Guid.NewGuid() });
        var both = await _client.PostJsonAsync("/api/v1/books/estimate", new { editionId = Guid.NewGuid(), isbn = FakeOpenLibrary.FantasticMrFox });
        var notInCatalog = await _client.PostJsonAsync("/api/v1/books/estimate", new { isbn = FakeOpenLibrary.Unknown });

        await narration.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "TEXT_REQUIRED");
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "EDITION_NOT_FOUND");
        (await both.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED")).Errors("isbn").Should().ContainSingle();
        await notInCatalog.ShouldBeProblemAsync(HttpStatusCode.NotFound, "BOOK_NOT_FOUND");
    }

    [Fact]
    public async Task Without_any_provider_configured_the_estimate_still_answers_with_notes_saying_what_was_assumed()
    {
        using var bare = new NoProvidersHost();
        var client = bare.CreateClient();
        var editionId = await client.UploadAsync(TestBooks.Pdf("Estimated Without Providers"));

        var isbn = await client.PostJsonAsync("/api/v1/books/estimate", new { isbn = FakeOpenLibrary.LePetitPrince });
        var document = await client.PostJsonAsync("/api/v1/books/estimate", new { editionId, mode = "narration" });
        var isbnEstimate = await isbn.JsonAsync();
        var documentEstimate = await document.JsonAsync();

        isbn.StatusCode.Should().Be(HttpStatusCode.OK, isbnEstimate.ToString());
        document.StatusCode.Should().Be(HttpStatusCode.OK, documentEstimate.ToString());
        isbnEstimate.GetProperty("assumedChapters").GetInt32().Should().BeGreaterThan(0);
        isbnEstimate.GetProperty("cost").ValueKind.Should().Be(JsonValueKind.Null, "no model is known, so no price is");
        isbnEstimate.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("No language model is configured", StringComparison.Ordinal));
        documentEstimate.GetProperty("speechCharacters").GetInt64().Should().BeGreaterThan(0);
        documentEstimate.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("No text-to-speech provider is configured", StringComparison.Ordinal));
    }

    // The host's OpenAI providers name their models (gpt-4o-mini, gpt-4o-mini-tts), which the default price table prices.
    private static void ShouldBePricedFromTheTable(JsonElement estimate)
    {
        var cost = estimate.GetProperty("cost");
        cost.ValueKind.Should().Be(JsonValueKind.Number, estimate.ToString());
        var expected = (estimate.GetProperty("inputTokens").GetInt64() * 0.15m / 1_000_000m)
            + (estimate.GetProperty("outputTokens").GetInt64() * 0.60m / 1_000_000m)
            + (estimate.GetProperty("speechCharacters").GetInt64() * 15m / 1_000_000m);
        cost.GetDecimal().Should().BeGreaterThan(0).And.Be(Math.Round(expected, 4));
        estimate.GetProperty("currency").GetString().Should().Be("USD");
    }
}
