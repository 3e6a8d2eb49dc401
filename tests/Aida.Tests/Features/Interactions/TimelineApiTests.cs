using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Notes;
using Aida.Features.Lifecycle;
using Aida.Platform.Audit;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Interactions;

/// <summary>Spec 002 "Timeline Construction": GET /api/v1/customers/{id}/timeline.</summary>
public sealed class TimelineApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Timeline_ShowsInteractionsNotesCompletedActivitiesAndChanges_PinnedNotesFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Tim", lastName = "Line" });
        var id = customer.Id();
        var call = await InteractionsApiTests.LogAsync(app.Client, id, DateTimeOffset.UtcNow.AddHours(-5), subject: "Intro call");
        var pinned = await app.Client.NoteAsync(id, "Key account: **handle with care**", pinned: true, title: "Pinned");
        var note = await app.Client.NoteAsync(id, "Likes golf");
        var activity = await app.Client.ActivityAsync(id, DateTimeOffset.UtcNow.AddDays(1), "Send brochure", activityType: "email");
        var completed = await (await app.Client.PostJsonAsync($"/api/v1/activities/{activity.Id()}/complete", new { })).ExpectAsync(HttpStatusCode.OK);
        await app.Client.ActivityAsync(id, DateTimeOffset.UtcNow.AddDays(1), "Still open");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}", new { displayName = Builders.Unique("Renamed ") })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}/contacts/{customer.GetProperty("primaryContact").Id()}", new { jobTitle = "CFO" }))
            .ExpectAsync(HttpStatusCode.OK);

        var page = await TimelineAsync(app.Client, id);

        var pinnedItem = Assert.Single(page.GetProperty("pinned").EnumerateArray());
        Assert.Equal(pinned.Id(), pinnedItem.Id());
        Assert.Equal("note", pinnedItem.Str("kind"));
        Assert.Contains("<strong>handle with care</strong>", pinnedItem.Str("html"), StringComparison.Ordinal);
        var items = page.Items();
        Assert.DoesNotContain(items, i => i.Id() == pinned.Id());
        Assert.Equal("interaction", items.Single(i => i.Id() == call.Id()).Str("kind"));
        Assert.Equal("note", items.Single(i => i.Id() == note.Id()).Str("kind"));
        var result = items.Single(i => i.Id() == completed.GetProperty("interaction").Id());
        Assert.Equal("activity", result.Str("kind"));
        Assert.Equal(activity.Id(), result.GetProperty("activityId").GetGuid());
        Assert.Equal("Send brochure", result.Str("title"));
        var changes = items.Where(i => i.Str("kind") == "change").ToList();
        // An update lists its fields ({field: {from, to}}); a create names the record instead.
        Assert.Contains(changes, c => c.Str("entityType") == "customer" && Changed(c, "displayName"));
        Assert.Contains(changes, c => c.Str("entityType") == "contact" && Changed(c, "jobTitle"));
        Assert.Contains(changes, c => c.Str("entityType") == "contact" && c.Str("title") == "Contact created" && c.GetProperty("changes").ValueKind == JsonValueKind.Null);
        // Only what is shown as its own kind stays out of the changes: no audit of interactions, notes or activities.
        Assert.DoesNotContain(changes, c => c.Str("entityType") is "interaction" or "note" or "activity");
        Assert.Equal(items.Length, items.Select(i => i.Id()).Distinct().Count());
        var times = items.Select(i => i.GetProperty("occurredAt").GetDateTime()).ToList();
        Assert.Equal(times.OrderDescending().ToList(), times);
        Assert.Equal(app.Admin.DisplayName, items.Single(i => i.Id() == call.Id()).Str("actorName"));
        // The open activity is not history yet.
        Assert.DoesNotContain(items, i => i.Str("title") == "Still open");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Timeline_FiltersByTypeRangeAndActor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Aida.Platform.Auth.Role.Rep);
        var customer = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        var id = customer.Id();
        var now = DateTimeOffset.UtcNow;
        var call = await InteractionsApiTests.LogAsync(repClient, id, now.AddDays(-1), subject: "Rep's call");
        var email = await InteractionsApiTests.LogAsync(app.Client, id, now.AddDays(-2), subject: "Admin's email", type: "email");
        var old = await InteractionsApiTests.LogAsync(repClient, id, now.AddDays(-100), subject: "Ancient call");
        var note = await repClient.NoteAsync(id, "Rep's note");
        var adminsNote = await app.Client.NoteAsync(id, "Admin's note");

        var all = await app.Client.TimelineIdsAsync(id);
        Assert.Contains(call.Id(), all);
        Assert.Contains(email.Id(), all);
        Assert.DoesNotContain(old.Id(), all); // older than the default 90 days

        var callsAndNotes = await KindsAsync(app.Client, id, "&types=call,note");
        Assert.Equal(new[] { call.Id(), note.Id(), adminsNote.Id() }.Order(), callsAndNotes.Keys.Order());
        Assert.All(await KindsAsync(app.Client, id, "&types=change"), kv => Assert.Equal("change", kv.Value));
        Assert.Contains(old.Id(), await app.Client.TimelineIdsAsync(id, $"&from={Uri.EscapeDataString(now.AddDays(-120).ToString("O"))}"));
        var window = await app.Client.TimelineIdsAsync(id, $"&from={Uri.EscapeDataString(now.AddDays(-3).ToString("O"))}&to={Uri.EscapeDataString(now.AddDays(-1).AddHours(-1).ToString("O"))}");
        Assert.Equal([email.Id()], window);

        var reps = await KindsAsync(app.Client, id, $"&actor={rep.Id}");
        Assert.Contains(call.Id(), reps.Keys);
        Assert.Contains(note.Id(), reps.Keys);
        Assert.DoesNotContain(email.Id(), reps.Keys);
        Assert.DoesNotContain(adminsNote.Id(), reps.Keys);
        Assert.Contains("change", reps.Values); // the rep created the customer

        await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?types=call,fax")).ExpectProblemAsync(HttpStatusCode.BadRequest, "types");
        await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?from={Uri.EscapeDataString(now.ToString("O"))}&to={Uri.EscapeDataString(now.AddDays(-1).ToString("O"))}"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?cursor=garbage")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    /// <summary>Entries of every kind sharing one timestamp, paged two at a time: each is seen exactly once.</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Timeline_CursorPaging_VisitsEveryEntryOnce_EvenWithEqualTimestamps(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Page", lastName = "Turner" });
        var id = customer.Id();
        var shared = DateTime.UtcNow.AddHours(-3);
        shared = new DateTime(shared.Ticks - (shared.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        for (var i = 0; i < 4; i++)
        {
            await InteractionsApiTests.LogAsync(app.Client, id, new DateTimeOffset(shared), subject: $"Same time {i}");
            await InteractionsApiTests.LogAsync(app.Client, id, new DateTimeOffset(shared.AddMinutes(-i)), subject: $"Earlier {i}");
            await app.Client.NoteAsync(id, $"Note {i}");
        }

        await app.Client.NoteAsync(id, "Pinned, outside the stream", pinned: true);
        await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().Where(n => !n.IsPinned).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, shared)));
        await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().Where(a => a.CustomerId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.OccurredAt, shared)));
        // The first call is the customer's first contact, a milestone Lifecycle contributes: at the same time too.
        await app.QueryAsync(d => d.Set<JourneyMilestone>().IgnoreQueryFilters().Where(m => m.CustomerId == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.OccurredAt, shared)));

        var everything = await TimelineAsync(app.Client, id, "&limit=200");
        var expected = everything.Items().Select(i => i.Id()).ToList();
        Assert.Equal(8 + 4, everything.Items().Count(i => i.Str("kind") is not ("change" or "milestone"))); // the interactions and unpinned notes
        Assert.Equal("first_contact", Assert.Single(everything.Items(), i => i.Str("kind") == "milestone").Str("entityType"));
        Assert.True(everything.Items().Count(i => i.Str("kind") == "change") >= 2); // the customer and its contact were created
        Assert.True(everything.Items().Count(i => i.GetProperty("occurredAt").GetDateTime().ToUniversalTime() == shared) >= 11);

        var seen = new List<Guid>();
        var pinnedPages = 0;
        string? cursor = null;
        do
        {
            var page = await TimelineAsync(app.Client, id, "&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            pinnedPages += page.GetProperty("pinned").GetArrayLength() > 0 ? 1 : 0;
            seen.AddRange(page.Items().Select(i => i.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(1, pinnedPages); // pinned notes head the first page only
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Timeline_OfACustomerOutOfReach_IsNotFound_AndOthersPrivateNotesAreAbsent(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var w = await Crowd.BuildAsync(app);
        var secret = await w.AuthorClient.NoteAsync(w.CustomerId, "Just for me", visibility: "private", pinned: true);
        var shared = await w.AuthorClient.NoteAsync(w.CustomerId, "For the team", visibility: "team");

        await (await w.Outsider.GetAsync($"/api/v1/customers/{w.CustomerId}/timeline")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/customers/{Guid.CreateVersion7()}/timeline")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var teammates = await w.Teammate.TimelineIdsAsync(w.CustomerId);
        Assert.Contains(shared.Id(), teammates);
        Assert.DoesNotContain(secret.Id(), teammates);
        Assert.DoesNotContain(secret.Id(), await app.Client.TimelineIdsAsync(w.CustomerId));
        Assert.Contains(secret.Id(), await w.AuthorClient.TimelineIdsAsync(w.CustomerId));
    }

    private static async Task<JsonElement> TimelineAsync(HttpClient client, Guid customerId, string query = "") =>
        await (await client.GetAsync($"/api/v1/customers/{customerId}/timeline?{query.TrimStart('&')}")).ExpectAsync(HttpStatusCode.OK);

    private static async Task<Dictionary<Guid, string>> KindsAsync(HttpClient client, Guid customerId, string query)
    {
        var page = await TimelineAsync(client, customerId, "&limit=200" + query);
        return page.GetProperty("pinned").EnumerateArray().Concat(page.Items()).ToDictionary(i => i.Id(), i => i.Str("kind"));
    }

    private static bool Changed(JsonElement entry, string field) =>
        entry.GetProperty("changes") is { ValueKind: JsonValueKind.Object } changes && changes.TryGetProperty(field, out _);
}
