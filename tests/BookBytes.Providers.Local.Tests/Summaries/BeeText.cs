namespace BookBytes.Providers.Local.Tests.Summaries;

/// <summary>
/// A short text about honey bees: three long sentences share most of the vocabulary of the others (the central ones),
/// four sentences are about something else entirely.
/// </summary>
internal static class BeeText
{
    public const string CentralFirst = "Worker bees fly from the hive to gather nectar and pollen from flowers, and they carry the nectar home to make honey for the colony.";
    public const string CentralSecond = "Inside the hive, worker bees feed the queen and her eggs with honey and pollen, so the colony grows through the summer.";
    public const string CentralThird = "When flowers fade in autumn, the colony lives on the honey the worker bees stored in the hive, and the queen rests until spring.";

    /// <summary>The words of the three central sentences together.</summary>
    public const int CentralWords = 25 + 22 + 24;

    public static readonly string[][] Paragraphs =
    [
        [
            "Honey bees live together in a hive of many thousands.",
            "The weather in the valley was cold that spring.",
            CentralFirst,
            "Flowers need the pollen that bees carry.",
        ],
        [
            "A railway line was built along the river in 1890.",
            "The queen lays the eggs of the colony.",
            CentralSecond,
            "Nectar turns into honey slowly.",
        ],
        [
            "My uncle preferred chess to cards.",
            "In summer the colony is at its largest.",
            CentralThird,
            "Workers guard the entrance.",
        ],
        [
            "The old bridge was painted green last year.",
            "Beekeepers take only the spare honey.",
            "The train was late again on Tuesday.",
        ],
    ];

    public static readonly string[] OffTopic =
    [
        "The weather in the valley was cold that spring.",
        "A railway line was built along the river in 1890.",
        "My uncle preferred chess to cards.",
        "The old bridge was painted green last year.",
        "The train was late again on Tuesday.",
    ];

    public static IEnumerable<string> Sentences => Paragraphs.SelectMany(p => p);

    public static string Text => Join(Paragraphs);

    public static string Join(IEnumerable<string[]> paragraphs) => string.Join("\n\n", paragraphs.Select(p => string.Join(' ', p)));
}
