// A BookBytes worker node for the job stores' multi-node and crash tests. Everything comes from
// configuration (command line or environment):
//   --WorkerHost:Store=Sqlite|PostgreSql  --ConnectionStrings:BookBytes=...
//   --BookBytes:OpenAI:Endpoint=http://127.0.0.1:PORT/v1 --BookBytes:OpenAI:ApiKey=test
//   --BookBytes:Storage:Local:RootPath=DIR  and any other BookBytes:* key.
//   --WorkerHost:Packaging=true registers ffmpeg's packager (BookBytes:Packaging:* configures it).
// It logs "Job <id> ... started" lines (JobRunner, Information) so a test can see who ran what.
using BookBytes.JobStore.PostgreSql;
using BookBytes.JobStore.Sqlite;
using BookBytes.Packaging.Ffmpeg;
using BookBytes.Providers.OpenAI;
using BookBytes.Storage.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("BookBytes.Pipeline.Jobs.JobRunner", LogLevel.Information);

var connectionString = builder.Configuration.GetConnectionString("BookBytes")
    ?? throw new InvalidOperationException("Set ConnectionStrings:BookBytes.");
var bookBytes = builder.Services.AddBookBytes(builder.Configuration);
switch (builder.Configuration["WorkerHost:Store"])
{
    case "PostgreSql":
        bookBytes.AddPostgreSqlStore(connectionString);
        break;
    case "Sqlite":
        bookBytes.AddSqliteStore(connectionString);
        break;
    default:
        throw new InvalidOperationException("Set WorkerHost:Store to Sqlite or PostgreSql.");
}

bookBytes.AddOpenAI().AddLocalStorage();
if (builder.Configuration.GetValue<bool>("WorkerHost:Packaging"))
{
    bookBytes.AddFfmpegPackaging();
}

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("WORKER READY");
await host.WaitForShutdownAsync();
