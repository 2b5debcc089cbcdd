using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.WebHost.Tests;

/// <summary>A WireMock server answering like Open Library from the JSON files under Fixtures/ (copied from the catalog's tests).</summary>
public sealed class FakeOpenLibrary : IDisposable
{
    public const string FantasticMrFox = "9780140328721";
    public const string SevenHabits = "9780743269513";
    public const string LePetitPrince = "9782070612758";
    public const string GodelEscherBach = "0465026567";
    public const string Unknown = "9780306406157";
    public const string Failing = "9781861972712";

    public FakeOpenLibrary()
    {
        Server = WireMockServer.Start();
        Isbn(FantasticMrFox, "/books/OL7353617M")
            .Record("/books/OL7353617M", "fantastic-mr-fox.edition.json")
            .Record("/works/OL45804W", "fantastic-mr-fox.work.json")
            .Record("/authors/OL34184A", "roald-dahl.author.json");
        Isbn(SevenHabits, "/books/OL7928048M")
            .Record("/books/OL7928048M", "seven-habits.edition.json")
            .Record("/works/OL2629977W", "seven-habits.work.json")
            .Record("/authors/OL383444A", "stephen-covey.author.json");
        Isbn(GodelEscherBach, "/books/OL4732588M")
            .Record("/books/OL4732588M", "godel-escher-bach.edition.json")
            .Record("/works/OL2934457W", "godel-escher-bach.work.json")
            .Record("/authors/OL2756394A", "douglas-hofstadter.author.json");
        Isbn(LePetitPrince, "/books/OL26363125M")
            .Record("/books/OL26363125M", "le-petit-prince.edition.json");
        Server.Given(Request.Create().WithPath($"/isbn/{Unknown}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("{\"error\": \"notfound\"}"));
        Server.Given(Request.Create().WithPath($"/isbn/{Failing}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream overloaded"));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    private FakeOpenLibrary Isbn(string isbn, string editionKey)
    {
        Server.Given(Request.Create().WithPath($"/isbn/{isbn}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", $"{editionKey}.json"));
        return this;
    }

    private FakeOpenLibrary Record(string key, string fixture)
    {
        Server.Given(Request.Create().WithPath($"{key}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture))));
        return this;
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
