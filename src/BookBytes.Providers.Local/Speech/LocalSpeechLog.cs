using Microsoft.Extensions.Logging;

namespace BookBytes.Providers.Local.Speech;

/// <summary>Source-generated log messages of the local speech engines. The text spoken is never logged.</summary>
internal static partial class LocalSpeechLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Local speech: {Missing}")]
    public static partial void EngineMissing(ILogger logger, string missing);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Local speech: {VoiceCount} voices found, default {DefaultVoice}, MP3 {CanEncodeMp3}")]
    public static partial void EnginesFound(ILogger logger, int voiceCount, string? defaultVoice, bool canEncodeMp3);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Debug, Message = "Speaking {Characters} characters with {Voice} as {Format} at speed {Speed}")]
    public static partial void Speaking(ILogger logger, int characters, string voice, string format, float speed);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Debug, Message = "Spoke {Characters} characters with {Voice} into {Bytes} bytes")]
    public static partial void Spoke(ILogger logger, int characters, string voice, int bytes);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "{Program} failed: {Reason}")]
    public static partial void ProgramFailed(ILogger logger, string program, string reason);
}
