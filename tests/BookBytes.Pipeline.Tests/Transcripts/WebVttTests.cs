using BookBytes.Pipeline.Text;
using BookBytes.Pipeline.Transcripts;

namespace BookBytes.Pipeline.Tests.Transcripts;

public sealed class WebVttTests
{
    private static string Sentences(string chunk, int count)
        => string.Join(' ', Enumerable.Range(1, count).Select(n => $"Sentence {n} of chunk {chunk} says a few plain words about it."));

    [Fact]
    public void An_empty_list_gives_just_the_header()
    {
        var vtt = WebVtt.Write([]);

        vtt.Should().Be("WEBVTT\n");
    }

    [Fact]
    public void Cues_are_numbered_from_one_in_order_and_follow_the_header_after_a_blank_line()
    {
        var vtt = WebVtt.Write([new TimedText("Hello there.", 1.5), new TimedText("General Kenobi.", 2.25)]);

        vtt.Should().Be("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n2\n00:00:01.500 --> 00:00:03.750\nGeneral Kenobi.\n");
    }

    [Theory]
    [InlineData(0, "00:00:00.000")]
    [InlineData(0.0004, "00:00:00.000")]
    [InlineData(0.0005, "00:00:00.001")]
    [InlineData(59.9996, "00:01:00.000")]
    [InlineData(61.25, "00:01:01.250")]
    [InlineData(3599.999, "00:59:59.999")]
    [InlineData(3662.125, "01:01:02.125")]
    [InlineData(360_000, "100:00:00.000")]
    public void Timestamps_are_hours_minutes_seconds_and_milliseconds(double seconds, string expected)
    {
        var timestamp = WebVtt.Timestamp(seconds);

        timestamp.Should().Be(expected);
    }

    [Fact]
    public void A_transcript_past_an_hour_keeps_counting_hours()
    {
        var vtt = WebVtt.Write([new TimedText("The first hour.", 3700.5), new TimedText("And more.", 12.25)]);

        var cues = VttCue.Parse(vtt);
        cues.Select(c => (c.Start, c.End)).Should().Equal((0, 3700.5), (3700.5, 3712.75));
        vtt.Should().Contain("\n00:00:00.000 --> 01:01:40.500\n").And.Contain("\n01:01:40.500 --> 01:01:52.750\n");
    }

    [Fact]
    public void Each_chunks_cues_are_its_sentences_and_fill_exactly_that_chunks_duration_shared_by_characters()
    {
        TimedText[] spoken = [new(Sentences("one", 6), 7.3), new(Sentences("two", 5), 11.9), new("Short.", 0.4)];

        var cues = VttCue.Parse(WebVtt.Write(spoken));

        var start = 0.0;
        var number = 0;
        foreach (var chunk in spoken)
        {
            var pieces = TextChunker.Sentences(chunk.Text).ToList();
            var own = cues.Skip(number).Take(pieces.Count).ToList();
            own.Select(c => c.Text).Should().Equal(pieces);
            own[0].Start.Should().BeApproximately(start, 0.0005, "a chunk's first cue starts where the earlier chunks' audio ends");
            own[^1].End.Should().BeApproximately(start + chunk.Seconds, 0.0005, "its last cue ends where its own audio ends");
            foreach (var cue in own)
            {
                (cue.End - cue.Start).Should().BeApproximately(chunk.Seconds * cue.Text.Length / pieces.Sum(p => p.Length), 0.002, "a cue lasts its share of the chunk's characters");
            }

            start += chunk.Seconds;
            number += pieces.Count;
        }

        cues.Should().HaveCount(number);
        cues.Select(c => c.Number).Should().Equal(Enumerable.Range(1, number));
        cues.Should().HaveCountGreaterThan(spoken.Length, "the long chunks make several cues each");
        cues.Zip(cues.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start, "cues follow each other without gaps or overlaps");
    }

    [Fact]
    public void Cue_text_is_escaped_so_markup_and_arrows_are_read_as_text()
    {
        var vtt = WebVtt.Write([new TimedText("Use <b>bold</b> & <i>care</i>: a --> b.", 2)]);

        VttCue.Parse(vtt).Single().Text.Should().Be("Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;care&lt;/i&gt;: a --&gt; b.");
        vtt.Split('\n').Count(l => l.Contains("-->", StringComparison.Ordinal)).Should().Be(1, "only the timing line has an arrow");
    }

    [Fact]
    public void Control_characters_become_spaces_and_a_cue_stays_one_line()
    {
        var vtt = WebVtt.Write([new TimedText("Bell\u0007rang.\tTab\u0000here\nand\r\nthere.\n\nA new paragraph.", 3)]);

        var cues = VttCue.Parse(vtt);

        string.Join(' ', cues.Select(c => c.Text)).Should().Be("Bell rang. Tab here and there. A new paragraph.", "a blank line inside the text would end the cue");
        cues.Should().OnlyContain(c => !c.Text.Contains('\n'), "each cue is one line");
        vtt.Should().NotContain("\r").And.NotContain("\t").And.NotContain("\u0000").And.NotContain("\u0007");
    }

    [Fact]
    public void Long_sentences_are_split_so_no_cue_text_is_over_160_characters()
    {
        var clauses = string.Join(", ", Enumerable.Range(1, 12).Select(n => $"clause {n} goes on for a little while"));
        var spaces = string.Join(' ', Enumerable.Repeat("word", 120));
        TimedText[] spoken = [new($"One {clauses}.", 20), new($"Two {spaces}.", 30)];

        var cues = VttCue.Parse(WebVtt.Write(spoken));

        cues.Should().HaveCountGreaterThan(4);
        cues.Should().OnlyContain(c => c.Text.Length <= WebVtt.CueCharacters);
        VttCue.Words(string.Join(' ', cues.Select(c => c.Text))).Should().Equal(VttCue.Words(string.Join(' ', spoken.Select(s => s.Text))), "every word is in a cue once, in order");
        cues[^1].End.Should().Be(50);
    }

    [Fact]
    public void A_chunk_of_no_words_takes_its_time_without_a_cue()
    {
        var cues = VttCue.Parse(WebVtt.Write([new TimedText("First.", 1), new TimedText(" \n ", 2), new TimedText("Third.", 1)]));

        cues.Select(c => (c.Text, c.Start, c.End)).Should().Equal(("First.", 0, 1), ("Third.", 3, 4));
    }
}
