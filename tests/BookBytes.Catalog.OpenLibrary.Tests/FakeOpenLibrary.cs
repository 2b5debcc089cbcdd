using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BookBytes.Catalog.OpenLibrary.Tests;

/// <summary>A WireMock server that answers like Open Library from the JSON files under Fixtures/.</summary>
internal sealed class FakeOpenLibrary : IDisposable
{
    public FakeOpenLibrary() => Server = WireMockServer.Start();

    public WireMockServer Server { get; }

    public Uri Url => new(Server.Url!);

    /// <summary>The paths requested so far, in order.</summary>
    public IReadOnlyList<string> RequestedPaths => Server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => e.RequestMessage.Path)
        .ToList();

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Answers <c>/isbn/{isbn}.json</c> like Open Library: a 302 to the edition's <c>/books/…M.json</c>.</summary>
    public FakeOpenLibrary GivenIsbn(string isbn, string editionKey, bool absoluteLocation = false)
    {
        var location = absoluteLocation ? $"{Server.Url}{editionKey}.json" : $"{editionKey}.json";
        Server.Given(Request.Create().WithPath($"/isbn/{isbn}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", location));
        return this;
    }

    public FakeOpenLibrary GivenRecord(string key, string fixture)
    {
        Server.Given(Request.Create().WithPath($"{key}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Fixture(fixture)));
        return this;
    }

    public FakeOpenLibrary GivenBody(string path, int status, string body, string contentType = "application/json")
    {
        Server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
        return this;
    }

    public FakeOpenLibrary GivenStatus(string path, int status)
    {
        Server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status));
        return this;
    }

    public FakeOpenLibrary GivenDelay(string path, TimeSpan delay)
    {
        Server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{}").WithDelay(delay));
        return this;
    }

    /// <summary>Fantastic Mr Fox: edition with object-form TOC, work with {type,value} description, one author.</summary>
    public FakeOpenLibrary GivenFantasticMrFox(bool absoluteLocation = false) => GivenIsbn("9780140328721", "/books/OL7353617M", absoluteLocation)
        .GivenRecord("/books/OL7353617M", "fantastic-mr-fox.edition.json")
        .GivenRecord("/works/OL45804W", "fantastic-mr-fox.work.json")
        .GivenRecord("/authors/OL34184A", "roald-dahl.author.json");

    /// <summary>The 7 Habits: legacy string TOC, subtitle, no edition authors, work authors (one of them unknown).</summary>
    public FakeOpenLibrary GivenSevenHabits() => GivenIsbn("9780743269513", "/books/OL7928048M")
        .GivenRecord("/books/OL7928048M", "seven-habits.edition.json")
        .GivenRecord("/works/OL2629977W", "seven-habits.work.json")
        .GivenRecord("/authors/OL383444A", "stephen-covey.author.json");

    /// <summary>Gödel, Escher, Bach: known only under its ISBN-10; nested TOC with front and back matter.</summary>
    public FakeOpenLibrary GivenGodelEscherBach() => GivenIsbn("0465026567", "/books/OL4732588M")
        .GivenRecord("/books/OL4732588M", "godel-escher-bach.edition.json")
        .GivenRecord("/works/OL2934457W", "godel-escher-bach.work.json")
        .GivenRecord("/authors/OL2756394A", "douglas-hofstadter.author.json");

    /// <summary>Le petit prince: French, no work, no authors, no cover, page count written as a string.</summary>
    public FakeOpenLibrary GivenLePetitPrince() => GivenIsbn("9782070612758", "/books/OL26363125M")
        .GivenRecord("/books/OL26363125M", "le-petit-prince.edition.json");

    public void Dispose() => Server.Stop();
}
