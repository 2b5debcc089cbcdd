using Microsoft.Data.Sqlite;

namespace BookBytes.JobStore.Sqlite.Internal;

/// <summary>
/// An open connection with its pragmas set and its commands prepared once: the store keeps a few of
/// these so a claim or a completion costs its SQL, not a connection set-up and a re-parse.
/// </summary>
internal sealed class PooledConnection(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>Gets the cached command for <paramref name="sql"/> with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        else
        {
            command.Parameters.Clear();
        }

        return command;
    }

    public void Begin() => Command("BEGIN IMMEDIATE").ExecuteNonQuery();

    public void Commit() => Command("COMMIT").ExecuteNonQuery();

    public void Rollback()
    {
        // After some errors SQLite has already rolled back; a second rollback would throw.
        if (Connection.State == System.Data.ConnectionState.Open && !IsAutocommit())
        {
            Command("ROLLBACK").ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }

    private bool IsAutocommit() => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) != 0;
}
