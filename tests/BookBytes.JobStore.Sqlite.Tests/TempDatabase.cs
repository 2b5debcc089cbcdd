using Microsoft.Data.Sqlite;

namespace BookBytes.JobStore.Sqlite.Tests;

/// <summary>A database file in a fresh temp directory, deleted on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "bookbytes-sqlite-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = $"Data Source={Path.Combine(Directory, "bookbytes.db")}";
    }

    public string Directory { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker process may still hold the file for a moment; the temp dir is cleaned eventually.
        }
    }
}
