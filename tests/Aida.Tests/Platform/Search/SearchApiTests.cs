using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Platform.Auth;
using Aida.Platform.Search;
using Aida.Tests.Features.Interactions;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform.Search;

/// <summary>GET /api/v1/search: full-text search over customers, contacts, interactions (AC-3) and notes (AC-1).</summary>
public sealed class SearchApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_FindsInteractionsNotesCustomersAndContacts_WithTheMatchesMarked(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(name: "Zqgamma Holdings", primaryContact: new { firstName = "Zqdelta", lastName = "Smithers", email = "zqdelta@holdings.example" });
        var interaction = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1),
            subject: "Quarterly zqalpha review", description: "We discussed zqbeta pricing at length.");
        var note = await app.Client.NoteAsync(customer.Id(), "Remember the zqepsilon discount they were promised.", title: "Discounts");

        var bySubject = Assert.Single(await app.Client.SearchAsync("zqalpha"));
        Assert.Equal(("interaction", interaction.Id(), customer.Id()), (bySubject.Str("kind"), bySubject.Id(), bySubject.GetProperty("customerId").GetGuid()));
        Assert.Contains("<mark>zqalpha</mark>", bySubject.Str("titleHtml"), StringComparison.Ordinal);
        Assert.Equal("Zqgamma Holdings", bySubject.Str("customerName"));
        var byDescription = Assert.Single(await app.Client.SearchAsync("zqbeta"));
        Assert.Equal(interaction.Id(), byDescription.Id());
        Assert.Contains("<mark>zqbeta</mark>", byDescription.Str("snippetHtml"), StringComparison.Ordinal);
        var byNote = Assert.Single(await app.Client.SearchAsync("zqepsilon"));
        Assert.Equal(("note", note.Id()), (byNote.Str("kind"), byNote.Id()));
        Assert.Contains("<mark>zqepsilon</mark>", byNote.Str("snippetHtml"), StringComparison.Ordinal);

        // Names by prefix, as type-ahead: every word of the query begins a word of the record.
        var byPrefix = await app.Client.SearchAsync("zqgam");
        var hit = Assert.Single(byPrefix, h => h.Str("kind") == "customer");
        Assert.Equal(customer.Id(), hit.Id());
        Assert.Contains("<mark>Zqgamma</mark>", hit.Str("titleHtml"), StringComparison.Ordinal);
        var contact = Assert.Single(await app.Client.SearchAsync("zqdel smi"));
        Assert.Equal(("contact", customer.GetProperty("primaryContact").Id()), (contact.Str("kind"), contact.Id()));
        Assert.Contains("<mark>Smithers</mark>", contact.Str("titleHtml"), StringComparison.Ordinal);
        Assert.Empty(await app.Client.SearchAsync("zqdel jones"));

        // kinds narrows; customerId narrows.
        Assert.Equal(["interaction"], (await app.Client.SearchAsync("zqalpha zqbeta", "&kinds=interaction")).Select(h => h.Str("kind")));
        Assert.Empty(await app.Client.SearchAsync("zqalpha", "&kinds=note,contact"));
        Assert.Empty(await app.Client.SearchAsync("zqalpha", $"&customerId={Guid.CreateVersion7()}"));
        Assert.Single(await app.Client.SearchAsync("zqalpha", $"&customerId={customer.Id()}"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_EscapesHtmlInStoredText(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1),
            subject: "<b>zqescape</b> & <script>alert(1)</script>", description: "<img src=x onerror=alert(2)> zqescape body");

        var hit = Assert.Single(await app.Client.SearchAsync("zqescape"));

        foreach (var html in new[] { hit.Str("titleHtml"), hit.Str("snippetHtml") })
        {
            Assert.Contains("<mark>zqescape</mark>", html, StringComparison.Ordinal);
            var withoutMarks = html.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal);
            Assert.DoesNotContain("<", withoutMarks, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;", hit.Str("titleHtml"), StringComparison.Ordinal);
        Assert.Contains("&amp;", hit.Str("titleHtml"), StringComparison.Ordinal);
        Assert.Contains("&lt;img", hit.Str("snippetHtml"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_FindsOnlyWhatTheActorMaySee(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (repA, repAClient) = await app.UserAsync(Role.Rep);
        var (_, repBClient) = await app.UserAsync(Role.Rep);
        var customer = await repAClient.CreateIndividualAsync(name: "Zqreach Person", ownerId: repA.Id);
        var interaction = await InteractionsApiTests.LogAsync(repAClient, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1), subject: "Zqreach kickoff");
        var note = await repAClient.NoteAsync(customer.Id(), "zqreach notes for all", visibility: "all");

        var found = await repAClient.SearchAsync("zqreach");
        Assert.Equal(new[] { customer.Id(), interaction.Id(), note.Id() }.Order(), found.Select(h => h.Id()).Order());
        Assert.Empty(await repBClient.SearchAsync("zqreach"));
        Assert.Equal(3, (await app.Client.SearchAsync("zqreach")).Length);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_FollowsEditsAndDeletes(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(name: "Zqkeep Corp", primaryContact: new { firstName = "Zqcontact", lastName = "Person" });
        var contactId = customer.GetProperty("primaryContact").Id();
        var interaction = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1), subject: "Zqoldsubject meeting");
        var note = await app.Client.NoteAsync(customer.Id(), "zqoldnote text");

        await (await app.Client.PatchJsonAsync($"/api/v1/interactions/{interaction.Id()}", new { subject = "Zqnewsubject meeting" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/notes/{note.Id()}", new { content = "zqnewnote text" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}/contacts/{contactId}", new { firstName = "Zqrenamed" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(await app.Client.SearchAsync("zqoldsubject"));
        Assert.Equal([interaction.Id()], (await app.Client.SearchAsync("zqnewsubject")).Select(h => h.Id()));
        Assert.Empty(await app.Client.SearchAsync("zqoldnote"));
        Assert.Equal([note.Id()], (await app.Client.SearchAsync("zqnewnote")).Select(h => h.Id()));
        Assert.Empty(await app.Client.SearchAsync("zqcontact"));
        Assert.Equal([contactId], (await app.Client.SearchAsync("zqrenamed")).Select(h => h.Id()));

        await (await app.Client.DeleteAsync($"/api/v1/interactions/{interaction.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.DeleteAsync($"/api/v1/notes/{note.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty(await app.Client.SearchAsync("zqnewsubject"));
        Assert.Empty(await app.Client.SearchAsync("zqnewnote"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_ADeletedCustomer_TakesItsContactsInteractionsAndNotesWithIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(name: "Zqgone Ltd", primaryContact: new { firstName = "Zqgone", lastName = "Contact" });
        await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1), subject: "Zqgone call");
        await app.Client.NoteAsync(customer.Id(), "zqgone note");
        Assert.Equal(4, (await app.Client.SearchAsync("zqgone")).Length);

        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        // The administrator reaches every customer, but a deleted one is no customer at all.
        Assert.Empty(await app.Client.SearchAsync("zqgone"));
    }

    /// <summary>The index is written by the write's own transaction: a write that fails leaves the index as it was.</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_AFailedEdit_LeavesTheIndexAsItWas(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, AtomicityTests.QuietFaults);
        var customer = await app.Client.CreateOrganizationAsync();
        var interaction = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1), subject: "Zqbefore");
        await app.QueryAsync(d => d.Database.ExecuteSqlRawAsync(app.Kind == DatabaseKind.Sqlite
            ? "CREATE TRIGGER test_fail_event BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'injected'); END;"
            : """
              CREATE FUNCTION test_fail_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
              CREATE TRIGGER test_fail_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_fail_event();
              """));

        await (await app.Client.PatchJsonAsync($"/api/v1/interactions/{interaction.Id()}", new { subject = "Zqafter" })).ExpectProblemAsync(HttpStatusCode.InternalServerError);

        Assert.Equal([interaction.Id()], (await app.Client.SearchAsync("zqbefore")).Select(h => h.Id()));
        Assert.Empty(await app.Client.SearchAsync("zqafter"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_NarrowQuery_RanksTitleMatchesAboveBodyMatches(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var inTitle = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-2), subject: "Zqranked offer");
        var inBody = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1), subject: "Other", description: "about the zqranked offer");

        Assert.Equal([inTitle.Id(), inBody.Id()], (await app.Client.SearchAsync("zqranked")).Select(h => h.Id()));
    }

    /// <summary>
    /// More matches than <see cref="FullTextSearch.RankedLimit"/>: not scored, but still a full page, the
    /// title matches first (here the oldest documents, which a plain newest-first walk would never reach).
    /// </summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_BroadQuery_StillFillsThePage_WithTitleMatchesFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, repClient) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CreateOrganizationAsync();
        var now = DateTime.UtcNow.AddDays(-1);
        var titleMatches = Enumerable.Range(0, 5).Select(i => NewInteraction(customer.Id(), now, $"Zqbroadtitle {i}", "nothing to see")).ToList();
        var bodyMatches = Enumerable.Range(0, FullTextSearch.RankedLimit + 100).Select(i => NewInteraction(customer.Id(), now, $"Body {i}", $"mentions zqbroadbody{i % 7} here")).ToList();
        await app.QueryAsync(async d =>
        {
            d.AddRange(titleMatches);
            await d.SaveChangesAsync();
            d.AddRange(bodyMatches);
            return await d.SaveChangesAsync();
        });

        var page = await app.Client.SearchAsync("zqbroad", "&limit=20");

        Assert.Equal(20, page.Length);
        Assert.Equal(titleMatches.Select(i => i.Id).Order(), page.Take(5).Select(h => h.Id()).Order());
        Assert.All(page.Skip(5), h => Assert.Contains(h.Id(), bodyMatches.Select(i => i.Id)));
        Assert.All(page.Take(5), h => Assert.Contains("<mark>Zqbroadtitle</mark>", h.Str("titleHtml"), StringComparison.Ordinal));
        Assert.All(page.Skip(5), h => Assert.Contains("<mark>", h.Str("snippetHtml"), StringComparison.Ordinal));
        Assert.Equal(50, (await app.Client.SearchAsync("zqbroad", "&limit=50")).Length);
        Assert.Equal(20, (await app.Client.SearchAsync("zqbroadbody1")).Length); // narrow again (about 160 matches): ranked, the default page
        Assert.Empty(await repClient.SearchAsync("zqbroad")); // and still only what the actor may see
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_BadQuery_Is400NamingTheParameter_AndMatchSyntaxIsJustText(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await app.Client.CreateOrganizationAsync(name: "Zqsyntax Ltd");

        foreach (var (query, field) in new[]
                 {
                     ("", "q"), ("?q=", "q"), ("?q=%20%20", "q"), ("?q=a", "q"), ("?q=!%20%3F", "q"), ("?q=ab&kinds=people", "kinds"),
                     ("?q=ab&kinds=note,bogus", "kinds"), ("?q=ab&limit=51", "limit"), ("?q=ab&limit=0", "limit"),
                 })
        {
            await (await app.Client.GetAsync("/api/v1/search" + query)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        }

        // Operators of FTS5 or tsquery in the text are words, never syntax: no 500, and the words still match.
        foreach (var text in new[] { "zqsyntax\" OR \"x", "zqsyntax*", "NEAR(zqsyntax ltd)", "zqsyntax:* & !ltd", "title:zqsyntax", "(zqsyntax" })
        {
            var hits = await app.Client.SearchAsync(text);
            Assert.True(hits.Length <= 1, text);
        }

        Assert.Single(await app.Client.SearchAsync("zqsyntax*"));
        Assert.Single(await app.Client.SearchAsync("\"zqsyntax\" ltd*"));
    }

    private static Interaction NewInteraction(Guid customerId, DateTime at, string subject, string description) => new()
    {
        CustomerId = customerId,
        InteractionType = InteractionType.Call,
        Direction = Direction.Outbound,
        Subject = subject,
        Description = description,
        OccurredAt = at,
        Source = InteractionSource.Api,
        CreatedBy = Aida.Platform.Auth.User.SystemId,
    };
}

public sealed class SearchTermsTests
{
    [Theory]
    [InlineData("Ann Smith", new[] { "ann", "smith" })]
    [InlineData("  ann   ann  ", new[] { "ann" })]
    [InlineData("O'Brien-Smyth", new[] { "brien", "smyth" })] // one-letter pieces are dropped
    [InlineData("\"x\" OR y*", new[] { "or" })]
    [InlineData("ZQ:* & !ab", new[] { "zq", "ab" })]
    [InlineData("Zoë Müller", new[] { "zoë", "müller" })]
    [InlineData("a b c", new string[0])]
    public void Terms_AreLetterOrDigitRuns_LowerCased(string query, string[] expected)
    {
        Assert.Equal(expected, FullTextSearch.Terms(query));
    }

    [Fact]
    public void Terms_AreCapped()
    {
        var many = string.Join(' ', Enumerable.Range(10, 20).Select(i => $"w{i}"));

        Assert.Equal(FullTextSearch.MaxTerms, FullTextSearch.Terms(many).Count);
    }
}
