namespace BookBytes.Samples.Tests;

/// <summary>The README shows the quickstart's code as it is in <c>samples/Quickstart/Program.cs</c>, which the other tests run.</summary>
public sealed class ReadmeTests
{
    private const string Begin = "<!-- quickstart: samples/Quickstart/Program.cs";
    private const string End = "<!-- /quickstart -->";

    [Fact]
    public void The_readme_quickstart_is_the_tested_program()
    {
        var readme = Lines(Path.Combine(Quickstart.RepositoryRoot, "README.md"));
        var program = Lines(Path.Combine(Quickstart.RepositoryRoot, "samples", "Quickstart", "Program.cs"));

        var begin = readme.FindIndex(l => l.StartsWith(Begin, StringComparison.Ordinal));
        var end = readme.FindIndex(begin + 1, l => l == End);
        begin.Should().BeGreaterThanOrEqualTo(0, $"README.md has a line starting {Begin}");
        end.Should().BeGreaterThan(begin, $"README.md closes the quickstart with {End}");
        var block = readme[(begin + 1)..end];
        block.First().Should().Be("```csharp");
        block.Last().Should().Be("```");
        block[1..^1].Should().Equal(program, "README.md's quickstart is samples/Quickstart/Program.cs; copy the file into the block");
    }

    private static List<string> Lines(string path)
        => [.. File.ReadAllText(path).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')];
}
