using System.Globalization;

namespace BookBytes.Pipeline.Tests.Transcripts;

/// <summary>One cue of a WebVTT document as <see cref="Pipeline.Transcripts.WebVtt"/> writes them: a number, a timing line and one line of text.</summary>
internal sealed record VttCue(int Number, double Start, double End, string Text)
{
    /// <summary>Reads the cues of a document, checking its header and each cue's shape as it goes.</summary>
    public static IReadOnlyList<VttCue> Parse(string vtt)
    {
        vtt.Should().StartWith("WEBVTT\n");
        var cues = new List<VttCue>();
        foreach (var block in vtt["WEBVTT\n".Length..].Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Trim('\n').Split('\n');
            lines.Should().HaveCount(3, "a cue is its number, its timing and one line of text: {0}", block);
            var timing = lines[1].Split(" --> ");
            timing.Should().HaveCount(2, "the timing line is 'start --> end': {0}", lines[1]);
            cues.Add(new VttCue(int.Parse(lines[0], CultureInfo.InvariantCulture), Seconds(timing[0]), Seconds(timing[1]), lines[2]));
        }

        return cues;
    }

    /// <summary>Reads a <c>hh:mm:ss.mmm</c> timestamp.</summary>
    public static double Seconds(string timestamp)
    {
        timestamp.Should().MatchRegex(@"^\d{2,}:\d{2}:\d{2}\.\d{3}$");
        var parts = timestamp.Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture) * 3600)
            + (int.Parse(parts[1], CultureInfo.InvariantCulture) * 60)
            + double.Parse(parts[2], CultureInfo.InvariantCulture);
    }

    /// <summary>The words of a text, in order, whatever white space separated them.</summary>
    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
