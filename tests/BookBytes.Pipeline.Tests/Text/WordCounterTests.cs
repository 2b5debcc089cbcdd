using System.Text;
using BookBytes.Internal.Text;

namespace BookBytes.Pipeline.Tests.Text;

public class WordCounterTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("   \n\t", 0)]
    [InlineData("one", 1)]
    [InlineData("Mr. Fox's  three\nsmall — children,\n\nand one more.", 8)]
    [InlineData("L'été dernier, à Zürich: naïve façades.", 6)]
    [InlineData("Война и мир", 3)]
    [InlineData("三只小狐狸", 3)] // five ideographs: two words per three characters
    [InlineData("「こんにちは」、世界。", 5)] // seven kana and ideographs; CJK punctuation is not counted
    [InlineData("Kindle版の物語", 4)] // a Latin word, then five kana and ideographs
    [InlineData("สวัสดีครับ", 3)] // ten Thai letters: a word per four
    public void Counts_words_in_spaced_and_unspaced_scripts(string? text, int expected)
    {
        WordCounter.Count(text).Should().Be(expected);
    }

    [Fact]
    public void A_chinese_summary_of_about_five_hundred_words_counts_near_five_hundred()
    {
        // About 750 characters: the length a model writes when asked for 500 words of Chinese.
        var sentence = "狐狸先生每天晚上都会去三个农场偷鸡和鸭子。";
        var text = new StringBuilder();
        while (text.Length < 750)
        {
            text.Append(sentence);
        }

        WordCounter.Count(text.ToString()).Should().BeInRange(450, 550);
    }
}
