using System.Text;
using System.Text.Json;
using BookBytes.Providers.ExtensionsAI.Chat;

namespace BookBytes.Providers.ExtensionsAI.Tests;

public sealed class SummaryTextDecoderTests
{
    private const string Fence = "```";

    /// <summary>Answers, and the JSON in each (the answer without its code fence), whose summary is the expected text.</summary>
    public static TheoryData<string, string> Answers()
    {
        var escapes = """{"summary":"Line one.\nTwo \"quoted\" \\ back\/slash\tcaf\u00e9 \u00E9t\u00e9 \ud83d\ude00 smile\r\n\r\nEnd."}""";
        var raw = "  {\r\n  \"summary\" :\n\t \"Raw é and 😀 and 𝄞, \\\"in\\\" a \\u20ac \\ud834\\udd1e.\"  \n}\n";
        var fenced = """{"summary":"Fenced \u0041nswer."}""";
        var others = """{"title":"x \"}\" {y","meta":{"a":[1,{"summary":"not this"}],"b":"]}"},"n":-1.5e3,"ok":true,"none":null,"summary":"Found after others."}""";
        var escapedKey = """{ "\u0073umm\u0061ry" : "Escaped key \u0021" }""";
        return new()
        {
            { escapes, escapes },
            { raw, raw },
            { Fence + "json\n" + fenced + "\n" + Fence, fenced },
            { "\n" + Fence + "\n" + escapes + "\n" + Fence + "\n", escapes },
            { others, others },
            { escapedKey, escapedKey },
        };
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void Every_split_in_two_gives_the_decoded_summary_in_final_pieces(string answer, string json)
    {
        var expected = SummaryOf(json);

        for (var split = 0; split <= answer.Length; split++)
        {
            AssertDecodes([answer[..split], answer[split..]], expected, $"split at {split}");
        }
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void Every_split_in_three_gives_the_decoded_summary_in_final_pieces(string answer, string json)
    {
        var expected = SummaryOf(json);

        for (var first = 0; first <= answer.Length; first++)
        {
            for (var second = first; second <= answer.Length; second++)
            {
                AssertDecodes([answer[..first], answer[first..second], answer[second..]], expected, $"splits at {first} and {second}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void One_character_at_a_time_gives_the_decoded_summary_in_final_pieces(string answer, string json)
    {
        var expected = SummaryOf(json);

        AssertDecodes([.. answer.Select(c => c.ToString())], expected, "one character at a time");
    }

    [Fact]
    public void An_escape_is_given_only_when_it_is_whole()
    {
        var decoder = new SummaryTextDecoder();

        var pieces = new[] { "{\"sum", "mary\":\"ab\\", "n", "c\\u00", "e9", "\\ud83d", "\\ude", "00", "\"}" }.Select(p => decoder.Append(p)).ToArray();

        pieces.Should().Equal("", "ab", "\n", "c", "é", "", "", "😀", "");
        decoder.Completed.Should().BeTrue();
    }

    [Fact]
    public void A_raw_surrogate_pair_split_between_pieces_is_given_whole()
    {
        var decoder = new SummaryTextDecoder();
        var smile = "😀";

        var pieces = new[] { "{\"summary\":\"a" + smile[0], smile[1] + "b\"}" }.Select(p => decoder.Append(p)).ToArray();

        pieces.Should().Equal("a", smile + "b");
    }

    [Fact]
    public void Nothing_after_the_summary_is_given()
    {
        var decoder = new SummaryTextDecoder();

        decoder.Append("""{"summary":"Only this.","summary":"Not this."}""").Should().Be("Only this.");

        decoder.Append("more").Should().BeEmpty();
        decoder.Text.Should().Be("Only this.");
        decoder.Completed.Should().BeTrue();
    }

    [Fact]
    public void A_cut_off_answer_gives_what_arrived_and_is_not_completed()
    {
        var decoder = new SummaryTextDecoder();

        decoder.Append("""{"summary":"In this chap""").Should().Be("In this chap");

        decoder.Completed.Should().BeFalse();
        decoder.Stopped.Should().BeFalse();
    }

    [Theory]
    [InlineData("Here is a summary: it is about thinking.", "")]
    [InlineData("""["summary","x"]""", "")]
    [InlineData("""{"summary":42}""", "")]
    [InlineData("""{"summary":null}""", "")]
    [InlineData("""{"text":"no summary here"}""", "")]
    [InlineData("""{summary:"unquoted key"}""", "")]
    [InlineData("""{"summary" "no colon"}""", "")]
    [InlineData("``json\n{\"summary\":\"two ticks\"}", "")]
    [InlineData("""{"summary":"bad \x escape"}""", "bad ")]
    [InlineData("""{"summary":"bad \u12G4 hex"}""", "bad ")]
    [InlineData("""{"summary":"lone \ud83d high"}""", "lone ")]
    [InlineData("""{"summary":"lone \ude00 low"}""", "lone ")]
    [InlineData("""{"summary":"high \ud83d\n then escape"}""", "high ")]
    [InlineData("{\"summary\":\"raw\ncontrol\"}", "raw")]
    public void Text_that_is_not_the_expected_JSON_stops_the_text(string answer, string given)
    {
        var decoder = new SummaryTextDecoder();

        var text = decoder.Append(answer);

        text.Should().Be(given);
        decoder.Stopped.Should().BeTrue();
        decoder.Completed.Should().BeFalse();
        decoder.Append("\"}").Should().BeEmpty("a stopped decoder gives nothing more");
    }

    private static string SummaryOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("summary").GetString()!;
    }

    private static void AssertDecodes(string[] pieces, string expected, string because)
    {
        var decoder = new SummaryTextDecoder();
        var given = new StringBuilder();
        foreach (var piece in pieces)
        {
            var text = decoder.Append(piece);

            // Final: every piece extends what was given towards the value, and no piece splits a surrogate pair.
            given.Append(text);
            expected.Should().StartWith(given.ToString(), because);
            if (text.Length > 0)
            {
                char.IsLowSurrogate(text[0]).Should().BeFalse(because);
                char.IsHighSurrogate(text[^1]).Should().BeFalse(because);
            }
        }

        given.ToString().Should().Be(expected, because);
        decoder.Text.Should().Be(expected, because);
        decoder.Completed.Should().BeTrue(because);
    }
}
