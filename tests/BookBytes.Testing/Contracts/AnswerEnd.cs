namespace BookBytes.Testing.Contracts;

/// <summary>How a scripted model answer ends, in whatever words the adapter's wire format has for it.</summary>
public enum AnswerEnd
{
    /// <summary>The model finished its answer.</summary>
    Complete,

    /// <summary>The answer was cut off at the output token limit.</summary>
    CutOff,
}
