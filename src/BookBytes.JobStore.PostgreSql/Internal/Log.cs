using Microsoft.Extensions.Logging;

namespace BookBytes.JobStore.PostgreSql.Internal;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL store: applied migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL store: schema is at version {Version}")]
    public static partial void SchemaCurrent(ILogger logger, int version);
}
