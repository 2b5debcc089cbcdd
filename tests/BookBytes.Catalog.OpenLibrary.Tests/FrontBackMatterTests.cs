namespace BookBytes.Catalog.OpenLibrary.Tests;

public sealed class FrontBackMatterTests
{
    [Theory]
    [InlineData("Preface")]
    [InlineData("Preface to the Second Edition")]
    [InlineData("Foreword")]
    [InlineData("Foreword by Bill Gates")]
    [InlineData("Acknowledgments")]
    [InlineData("Acknowledgements.")]
    [InlineData("Contents")]
    [InlineData("Table of Contents")]
    [InlineData("INDEX")]
    [InlineData("Index of Names")]
    [InlineData("Notes")]
    [InlineData("Bibliography")]
    [InlineData("References")]
    [InlineData("About the Author")]
    [InlineData("About the Authors")]
    [InlineData("Copyright")]
    [InlineData("Dedication")]
    [InlineData("Appendix")]
    [InlineData("Appendix B: Further Examples")]
    [InlineData("Glossary")]
    [InlineData("Further Reading")]
    [InlineData("Title Page")]
    [InlineData("List of Illustrations")]
    public void Front_and_back_matter_is_recognised(string title)
    {
        var flagged = FrontBackMatter.IsFrontOrBackMatter(title);

        flagged.Should().BeTrue();
    }

    [Theory]
    [InlineData("Introduction")]
    [InlineData("Introduction: Why We Sleep")]
    [InlineData("Prologue")]
    [InlineData("Epilogue")]
    [InlineData("Conclusion")]
    [InlineData("Afterword")]
    [InlineData("Notes from Underground")]
    [InlineData("Index Funds and the Efficient Market")]
    [InlineData("The Tyranny of the Urgent")]
    [InlineData("Habit 1: Be Proactive")]
    public void Chapters_including_introductions_and_conclusions_are_not_flagged(string title)
    {
        var flagged = FrontBackMatter.IsFrontOrBackMatter(title);

        flagged.Should().BeFalse();
    }
}
