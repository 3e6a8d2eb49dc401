using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Notes;
using Aida.Platform.Audit;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aida.Tests.Features.Interactions;

/// <summary>Notes (spec 002): safe Markdown, pinning, who edits, visibility everywhere a note can surface, and PII.</summary>
public sealed class NotesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Card = "4111 1111 1111 1111";
    private const string CardDigits = "4111111111111111";
    private const string Ssn = "123-45-6789";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_RendersMarkdownSafely_EscapingHtmlAndNeutralisingScriptLinks(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        const string content = "**Bold** call notes <script>alert('x')</script>\n\n[safe](https://example.com/page) [bad](javascript:alert(1)) [worse](JaVaScRiPt:alert(2)) ![img](javascript:alert(3))";

        var response = await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content });
        var note = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/notes/{note.Id()}", response.Headers.Location?.ToString());
        Assert.Equal(content, note.Str("content")); // the Markdown is kept as written
        foreach (var html in new[] { note.Str("contentHtml"), (await (await app.Client.GetAsync($"/api/v1/notes/{note.Id()}")).ExpectAsync(HttpStatusCode.OK)).Str("contentHtml") })
        {
            Assert.Contains("<strong>Bold</strong>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("href=\"https://example.com/page\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(3, CountOf(html, "href=\"#\""));
        }

        Assert.Equal("team", note.Str("visibility")); // the default
        Assert.False(note.GetProperty("isPinned").GetBoolean());
        Assert.False(note.GetProperty("piiReview").GetBoolean());
        Assert.False(response.Headers.Contains("Aida-Warning"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_PinnedNotesComeFirst_ThenNewestFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var oldPinned = await app.Client.NoteAsync(customer.Id(), "Always call before noon", pinned: true);
        var older = await app.Client.NoteAsync(customer.Id(), "First note");
        var newer = await app.Client.NoteAsync(customer.Id(), "Second note");

        Assert.True(oldPinned.GetProperty("isPinned").GetBoolean());
        Assert.Equal([oldPinned.Id(), newer.Id(), older.Id()], await app.Client.IdsAsync($"/api/v1/notes?customerId={customer.Id()}"));

        // Pinning the oldest unpinned note moves it up; unpinning the first moves it back down.
        await (await app.Client.PatchJsonAsync($"/api/v1/notes/{older.Id()}", new { isPinned = true })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/notes/{oldPinned.Id()}", new { isPinned = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([older.Id(), newer.Id(), oldPinned.Id()], await app.Client.IdsAsync($"/api/v1/notes?customerId={customer.Id()}"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_BadInput_NamesTheFieldAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var notesBefore = await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync());
        var (_, repClient) = await app.UserAsync(Aida.Platform.Auth.Role.Rep);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "  " })).ExpectProblemAsync(HttpStatusCode.BadRequest, "content");
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { content = "No customer" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "x", title = new string('t', 201) }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "title");
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "x", relatedType = "contact" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "x", visibility = "everyone" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        // A customer the rep cannot see is, for them, no customer at all.
        await (await repClient.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "Sneaky" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");

        Assert.Equal(notesBefore, await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync()));
    }

    /// <summary>Issue 14.12: relatedType interaction used to take any relatedId — another team's interaction or a random id.</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_RelatedToAnotherTeamsInteraction_OrANonexistentRecord_Is400NamingRelatedId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var notesBefore = await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync());
        var w = await Crowd.BuildAsync(app);
        var theirs = await (await w.AuthorClient.PostJsonAsync("/api/v1/interactions", new { customerId = w.CustomerId, interactionType = "call", direction = "outbound" }))
            .ExpectAsync(HttpStatusCode.Created);
        var theirContact = (await w.AuthorClient.CreateOrganizationAsync(primaryContact: new { firstName = "Their", lastName = "Contact" })).GetProperty("primaryContact").Id();
        var mine = await w.Outsider.CreateIndividualAsync(ownerId: w.OutsiderUser.Id);
        object Body(string type, Guid id) => new { customerId = mine.Id(), content = "About that", relatedType = type, relatedId = id };

        await (await w.Outsider.PostJsonAsync("/api/v1/notes", Body("interaction", theirs.Id()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/notes", Body("interaction", Guid.CreateVersion7()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/notes", Body("contact", theirContact))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/notes", Body("lead", Guid.CreateVersion7()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/notes", Body("case", Guid.CreateVersion7()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedType");
        Assert.Equal(notesBefore, await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync()));

        // Within reach it links.
        var note = await (await w.Teammate.PostJsonAsync("/api/v1/notes", new { customerId = w.CustomerId, content = "Follow-up", relatedType = "interaction", relatedId = theirs.Id() }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(theirs.Id(), note.GetProperty("relatedId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Update_OnlyTheAuthorChangesTextTitleOrVisibility_OthersMayPin(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var w = await Crowd.BuildAsync(app);
        var note = await w.AuthorClient.NoteAsync(w.CustomerId, "Prefers email", visibility: "team", title: "Contact habits");
        var url = $"/api/v1/notes/{note.Id()}";

        foreach (var other in new[] { w.Teammate, w.Manager, app.Client })
        {
            await (await other.PatchJsonAsync(url, new { content = "Prefers fax" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.PatchJsonAsync(url, new { title = "Hijacked" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.PatchJsonAsync(url, new { visibility = "all" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.PatchJsonAsync(url, new { isPinned = true, content = "Sneaked in with a pin" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        var unchanged = await (await w.AuthorClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Prefers email", unchanged.Str("content"));
        Assert.Equal("Contact habits", unchanged.Str("title"));
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());

        var pinned = await (await w.Teammate.PatchJsonAsync(url, new { isPinned = true }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(pinned.GetProperty("isPinned").GetBoolean());
        Assert.Equal("Prefers email", pinned.Str("content"));

        var edited = await (await w.AuthorClient.PatchJsonAsync(url, new { content = "Prefers *phone*", visibility = "private" }, "\"2\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Prefers *phone*", edited.Str("content"));
        Assert.Contains("<em>phone</em>", edited.Str("contentHtml"), StringComparison.Ordinal);
        Assert.Equal("private", edited.Str("visibility"));
        Assert.True(edited.GetProperty("isPinned").GetBoolean());

        // Now private: the teammate who pinned it cannot even see it any more.
        await (await w.Teammate.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await w.Teammate.PatchJsonAsync(url, new { isPinned = false })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_ByTheAuthorOrSomeoneWhoMayDeleteCustomers_Only(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var w = await Crowd.BuildAsync(app);
        var first = await w.AuthorClient.NoteAsync(w.CustomerId, "To be removed by its author", visibility: "team");
        var second = await w.AuthorClient.NoteAsync(w.CustomerId, "To be removed by the manager", visibility: "team");

        await (await w.Teammate.DeleteAsync($"/api/v1/notes/{first.Id()}", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await w.AuthorClient.DeleteAsync($"/api/v1/notes/{first.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);
        await (await w.Manager.DeleteAsync($"/api/v1/notes/{second.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        foreach (var id in new[] { first.Id(), second.Id() })
        {
            await (await w.AuthorClient.GetAsync($"/api/v1/notes/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Empty(await w.AuthorClient.IdsAsync($"/api/v1/notes?customerId={w.CustomerId}"));
    }

    /// <summary>
    /// Private: the author alone. Team: the author's team, its manager and admins. All: anyone who sees the
    /// customer. The same answer on every route where a note can surface.
    /// </summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Visibility_IsEnforcedOnGetListTimelineSearchAuditAndEventFeed(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var w = await Crowd.BuildAsync(app);
        var readers = new Dictionary<string, string[]>
        {
            ["private"] = ["author"],
            ["team"] = ["author", "teammate", "manager", "admin"],
            ["all"] = ["author", "teammate", "manager", "admin", "viewer"],
        };
        var notes = new Dictionary<string, (Guid Id, string Word)>();
        foreach (var visibility in readers.Keys)
        {
            var word = Builders.Unique("zq");
            var note = await w.AuthorClient.NoteAsync(w.CustomerId, $"Budget talk {word} with the CFO", visibility, title: $"Heads up {visibility}");
            // An edit too, so each note has more than one audit entry and event.
            await (await w.AuthorClient.PatchJsonAsync($"/api/v1/notes/{note.Id()}", new { content = $"Budget talk {word} with the CFO, again" })).ExpectAsync(HttpStatusCode.OK);
            notes[visibility] = (note.Id(), word);
        }

        // A marker the administrator can see, committed after the notes: once it is served, so is everything before it.
        var marker = await InteractionsApiTests.LogAsync(w.AuthorClient, w.CustomerId, DateTimeOffset.UtcNow.AddMinutes(-1));
        await InteractionsTesting.WaitForEventAsync(app, "interaction.logged", marker.Id());

        foreach (var (name, client) in w.Everyone)
        {
            var listed = name == "outsider" ? [] : await client.IdsAsync($"/api/v1/notes?customerId={w.CustomerId}");
            var timeline = name == "outsider" ? [] : await client.TimelineIdsAsync(w.CustomerId);
            var feed = string.Join("\n", (await InteractionsTesting.FeedAsync(app, client)).Select(e => e.GetRawText()));
            foreach (var (visibility, (id, word)) in notes)
            {
                var sees = readers[visibility].Contains(name);
                var because = $"{name} and a {visibility} note";
                var get = await client.GetAsync($"/api/v1/notes/{id}");
                Assert.True(get.StatusCode == (sees ? HttpStatusCode.OK : HttpStatusCode.NotFound), $"{because}: GET answered {(int)get.StatusCode}");
                Assert.True(sees == listed.Contains(id), $"{because}: list");
                Assert.True(sees == timeline.Contains(id), $"{because}: timeline");
                Assert.True(sees == (await client.SearchAsync(word)).Any(h => h.Id() == id), $"{because}: search");
                Assert.True(sees == (await client.IdsAsync($"/api/v1/audit?entityType=note&entityId={id}")).Count > 0, $"{because}: audit by note");
                var byCustomer = await (await client.GetAsync($"/api/v1/audit?customerId={w.CustomerId}&limit=200")).ExpectAsync(HttpStatusCode.OK);
                Assert.True(sees == byCustomer.Items().Any(a => a.GetProperty("entityId").GetGuid() == id), $"{because}: audit by customer");
                Assert.True(sees == feed.Contains(id.ToString(), StringComparison.Ordinal), $"{because}: event feed");
            }
        }

        // The outsider does not see the customer, so its lists and timeline are not there to read at all.
        await (await w.Outsider.GetAsync($"/api/v1/customers/{w.CustomerId}/timeline")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await w.Outsider.IdsAsync($"/api/v1/notes?customerId={w.CustomerId}"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithCardNumberOrSsn_IsFlaggedAndWarned_AndTheNumberStaysOutOfAuditEventsAndLogs(DatabaseKind db)
    {
        var logs = new CapturedLogs();
        await using var app = await AidaApp.StartAsync(db, CapturedLogs.Everything);
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        var customer = await app.Client.CreateOrganizationAsync();

        var cardResponse = await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = $"Read out the card {Card} on the call", visibility = "all" });
        var card = await cardResponse.ExpectAsync(HttpStatusCode.Created);
        var ssnResponse = await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = $"Her SSN is {Ssn}.", visibility = "all" });
        var ssn = await ssnResponse.ExpectAsync(HttpStatusCode.Created);
        // A Luhn-invalid number of the same shape is an order number, not a card.
        var plainResponse = await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "Order 4111 1111 1111 1112 shipped", visibility = "all" });
        var plain = await plainResponse.ExpectAsync(HttpStatusCode.Created);
        // A clean note edited to hold a card is flagged by the edit.
        var later = await app.Client.NoteAsync(customer.Id(), "Nothing sensitive yet");
        var laterResponse = await app.Client.PatchJsonAsync($"/api/v1/notes/{later.Id()}", new { content = $"Card: {CardDigits}" });
        var edited = await laterResponse.ExpectAsync(HttpStatusCode.OK);

        Assert.True(card.GetProperty("piiReview").GetBoolean());
        Assert.Equal(["payment_card"], card.GetProperty("piiKinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("payment card", Warning(cardResponse), StringComparison.Ordinal);
        Assert.True(ssn.GetProperty("piiReview").GetBoolean());
        Assert.Equal(["national_id"], ssn.GetProperty("piiKinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("national id", Warning(ssnResponse), StringComparison.Ordinal);
        Assert.False(plain.GetProperty("piiReview").GetBoolean());
        Assert.False(plainResponse.Headers.Contains("Aida-Warning"));
        Assert.True(edited.GetProperty("piiReview").GetBoolean());
        Assert.Contains("payment card", Warning(laterResponse), StringComparison.Ordinal);
        var stored = await (await app.Client.GetAsync($"/api/v1/notes/{card.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(stored.GetProperty("piiReview").GetBoolean());
        Assert.Contains(Card, stored.Str("content"), StringComparison.Ordinal); // saved as written, for review

        await InteractionsTesting.WaitForEventAsync(app, "note.updated", later.Id());
        var audit = await (await app.Client.GetAsync($"/api/v1/audit?customerId={customer.Id()}&limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(audit.Items(), a => a.GetProperty("entityId").GetGuid() == card.Id());
        var feed = (await InteractionsTesting.FeedAsync(app, app.Client)).Select(e => e.GetRawText()).ToList();
        Assert.Contains(feed, e => e.Contains(card.Id().ToString(), StringComparison.Ordinal));
        var storedAudit = (await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().Select(a => new { a.Changes, a.Context }).ToListAsync()))
            .Select(a => a.Changes + " " + a.Context).ToList();
        var storedEvents = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().Select(e => e.Data).ToListAsync());
        foreach (var (where, texts) in new[] { ("audit", audit.Items().Select(a => a.GetRawText())), ("events", feed), ("stored audit", storedAudit), ("stored events", storedEvents), ("logs", logs.Messages) })
        {
            foreach (var text in texts)
            {
                Assert.False(ContainsSecret(text), $"{where} holds the number: {text}");
            }
        }

        // The capture works: it holds the server's own trace of these very requests.
        Assert.Contains(logs.Messages, m => m.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal) && m.Contains("/api/v1/notes", StringComparison.Ordinal));
    }

    /// <summary>The title is free text too: a number typed there is flagged, and stays out of the audit trail and the events.</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithACardNumberInTheTitle_IsFlagged_AndTheTitleStaysOutOfAuditAndEvents(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var response = await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), title = $"Card {Card}", content = "See the title", visibility = "all" });
        var note = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.True(note.GetProperty("piiReview").GetBoolean());
        Assert.Contains("payment card", Warning(response), StringComparison.Ordinal);

        // Taking the number out of the title clears the mark, and a title-only edit is saved and audited.
        var cleaned = await (await app.Client.PatchJsonAsync($"/api/v1/notes/{note.Id()}", new { title = "Card on file" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(cleaned.GetProperty("piiReview").GetBoolean());
        Assert.Equal(2, cleaned.GetProperty("version").GetInt32());
        var stored = await (await app.Client.GetAsync($"/api/v1/notes/{note.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Card on file", stored.Str("title"));
        var audit = await (await app.Client.GetAsync($"/api/v1/audit?entityType=note&entityId={note.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["update", "create"], audit.Items().Select(a => a.Str("action")));

        var storedAudit = (await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().Select(a => new { a.Changes, a.Context }).ToListAsync()))
            .Select(a => a.Changes + " " + a.Context);
        var storedEvents = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().Select(e => e.Data).ToListAsync());
        Assert.Equal(2, storedEvents.Count(e => e.Contains(note.Id().ToString(), StringComparison.Ordinal)));
        Assert.All(storedAudit.Concat(storedEvents), text => Assert.False(ContainsSecret(text), text));
    }

    private static bool ContainsSecret(string text) =>
        text.Contains(Card, StringComparison.Ordinal) || text.Contains(CardDigits, StringComparison.Ordinal) || text.Contains(Ssn, StringComparison.Ordinal);

    private static string Warning(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Aida-Warning", out var values) ? string.Join(" ", values) : "";

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
