var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok());
await app.RunAsync();

/// <summary>The host's entry point; public so WebApplicationFactory can start it.</summary>
public partial class Program;
