using System.Text.Json;
using BookBytes.Books;

namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class TableOfContentsReaderTests
{
    [Fact]
    public void Read_takes_the_object_form_with_level_label_title_and_page()
    {
        var items = Parse("""[{"level": 0, "label": "1", "title": "The Tyranny of the Urgent", "pagenum": "3"}]""");

        var entries = TableOfContentsReader.Read(items);

        entries.Should().Equal(new TableOfContentsEntry("The Tyranny of the Urgent", 0, "1", "3", false));
    }

    [Fact]
    public void Read_takes_the_legacy_string_form_as_top_level_entries()
    {
        var items = Parse("""["Preface", "  The first idea ", "The second idea", ""]""");

        var entries = TableOfContentsReader.Read(items);

        entries.Should().Equal(
            new TableOfContentsEntry("Preface", IsFrontOrBackMatter: true),
            new TableOfContentsEntry("The first idea"),
            new TableOfContentsEntry("The second idea"));
    }

    [Fact]
    public void Read_drops_empty_entries_and_uses_a_lone_label_as_the_title()
    {
        var items = Parse("""[{"level": 0, "label": "", "title": " ", "pagenum": "1"}, {"level": 0, "label": "Chapter 3", "title": ""}, {"title": null}, 42, null]""");

        var entries = TableOfContentsReader.Read(items);

        entries.Should().Equal(new TableOfContentsEntry("Chapter 3"));
    }

    [Fact]
    public void Read_keeps_only_the_smallest_level_present()
    {
        var items = Parse("""
            [{"level": 1, "title": "Part one"}, {"level": 2, "title": "Chapter 1"}, {"level": 3, "title": "Section 1.1"},
             {"level": 1, "title": "Part two"}, {"level": 2, "title": "Chapter 2"}]
            """);

        var entries = TableOfContentsReader.Read(items);

        entries.Select(e => e.Title).Should().Equal("Part one", "Part two");
    }

    [Fact]
    public void Read_treats_a_missing_or_textual_level_as_a_level()
    {
        var items = Parse("""[{"title": "One"}, {"level": "1", "title": "One point one"}, {"level": "x", "title": "Two"}]""");

        var entries = TableOfContentsReader.Read(items);

        entries.Select(e => e.Title).Should().Equal("One", "Two");
    }

    [Fact]
    public void Read_returns_empty_when_there_is_no_entry()
    {
        var entries = TableOfContentsReader.Read([]);

        entries.Should().BeEmpty();
    }

    private static List<JsonElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
