using System.Net;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// The lead API on a server shared by the class: lists are read from the test's start (createdFrom), so
/// they hold exactly the leads the test made, as on a server of its own; counts are counted from its start.
/// </summary>
public sealed class LeadsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    /// <summary>A createdFrom filter that leaves out every lead made before this moment (by earlier tests on the server).</summary>
    private static string From(DateTime start) => "createdFrom=" + start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<System.Text.Json.JsonElement> LeadAsync(HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/leads", body)).ExpectAsync(HttpStatusCode.Created);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_FiltersByStatusSourceAssigneeScoreAndPrefix(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep);
        var from = From(DateTime.UtcNow);
        var ann = await LeadAsync(app.Client, new { firstName = "Annabel", lastName = "Smith", email = "annabel@example.com", sourceType = "website", company = "Zeta Works" });
        var bob = await LeadAsync(app.Client, new { firstName = "Bob", lastName = "Jones", email = "bob@example.com", sourceType = "referral", assignedTo = rep.Id });
        var cat = await LeadAsync(app.Client, new { firstName = "Cat", email = "cat@sample.org", sourceType = "referral" });
        await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == cat.Id()).ExecuteUpdateAsync(s => s.SetProperty(l => l.Score, 80).SetProperty(l => l.Status, LeadStatus.Lost)));

        async Task<Guid[]> Ids(string query) =>
            (await (await app.Client.GetAsync("/api/v1/leads" + (query.Length == 0 ? "?" : query + "&") + from)).ExpectAsync(HttpStatusCode.OK)).Items().Select(i => i.Id()).ToArray();

        Assert.Equal([cat.Id(), bob.Id(), ann.Id()], await Ids(""));
        Assert.Equal([bob.Id(), ann.Id()], await Ids("?status=active"));
        Assert.Equal([cat.Id(), bob.Id()], await Ids("?sourceType=referral"));
        Assert.Equal([bob.Id()], await Ids($"?assignedTo={rep.Id}"));
        Assert.Equal([cat.Id(), ann.Id()], await Ids("?assignedTo=none"));
        Assert.Empty(await Ids("?assignedTo=me"));
        Assert.Equal([cat.Id()], await Ids("?minScore=50"));
        Assert.Equal([cat.Id(), bob.Id(), ann.Id()], await Ids("?qualificationStatus=unqualified"));
        Assert.Equal([ann.Id()], await Ids("?q=ANNA"));
        Assert.Equal([ann.Id()], await Ids("?q=smi"));
        Assert.Equal([ann.Id()], await Ids("?q=zeta"));
        Assert.Equal([cat.Id()], await Ids("?q=cat@sam"));
        Assert.Equal(cat.Id(), (await Ids("?sort=-score"))[0]);
        Assert.Empty((await (await app.Client.GetAsync("/api/v1/leads?createdFrom=2199-01-01")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(3, (await Ids("?createdTo=2199-01-01")).Length);
        await (await app.Client.GetAsync("/api/v1/leads?createdFrom=2999-01-01")).ExpectProblemAsync(HttpStatusCode.BadRequest, "createdFrom");

        await (await app.Client.GetAsync("/api/v1/leads?status=open")).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
        await (await app.Client.GetAsync("/api/v1/leads?assignedTo=someone")).ExpectProblemAsync(HttpStatusCode.BadRequest, "assignedTo");
        await (await app.Client.GetAsync("/api/v1/leads?minScore=101")).ExpectProblemAsync(HttpStatusCode.BadRequest, "minScore");
        await (await app.Client.GetAsync("/api/v1/leads?sort=name")).ExpectProblemAsync(HttpStatusCode.BadRequest, "sort");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_PagesWithCursor_WithoutGapsOrRepeats(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var from = From(DateTime.UtcNow);
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await LeadAsync(app.Client, new { email = $"page{i}@example.com" })).Id());
        }

        await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == created[3] || l.Id == created[5])
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Score, 40)));

        foreach (var sort in new[] { "-createdAt", "-score", "createdAt", "score" })
        {
            var seen = new List<Guid>();
            string? cursor = null;
            do
            {
                var page = await (await app.Client.GetAsync($"/api/v1/leads?{from}&limit=3&sort={sort}" + (cursor is null ? "" : $"&cursor={cursor}"))).ExpectAsync(HttpStatusCode.OK);
                seen.AddRange(page.Items().Select(i => i.Id()));
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            Assert.Equal(7, seen.Distinct().Count());
            Assert.Equal(7, seen.Count);
            if (sort == "-createdAt")
            {
                Assert.Equal(Enumerable.Reverse(created), seen);
            }
            else if (sort == "-score")
            {
                Assert.Equal(2, seen.Take(2).Intersect(created.Where((_, i) => i is 3 or 5)).Count());
            }
        }

        var first = await (await app.Client.GetAsync($"/api/v1/leads?{from}&limit=3")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync($"/api/v1/leads?sort=-score&cursor={first.Str("nextCursor")}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ShowsOnlyLeadsInTheRepsReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (other, _) = await app.UserAsync(Role.Rep);
        var mine = await LeadAsync(app.Client, new { email = "mine@example.com", assignedTo = rep.Id });
        await LeadAsync(app.Client, new { email = "theirs@example.com", assignedTo = other.Id });

        var page = await (await repClient.GetAsync("/api/v1/leads")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([mine.Id()], page.Items().Select(i => i.Id()));
        Assert.Equal([mine.Id()], (await (await repClient.GetAsync("/api/v1/leads?assignedTo=me")).ExpectAsync(HttpStatusCode.OK)).Items().Select(i => i.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_MergesFields_RescoresAndPublishesLeadUpdated(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var since = await app.LastEventSeqAsync();
        var lead = await LeadAsync(app.Client, new { firstName = "Rosa", lastName = "Diaz", email = "rosa@example.com", company = "Old Co", utm = new { source = "ads", campaign = "spring" } });
        var get = await app.Client.GetAsync($"/api/v1/leads/{lead.Id()}");

        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}",
            new { company = "New Co", lastName = (string?)null, timeline = "this_quarter", budgetAmount = 900, budgetCurrency = "eur", utm = new { source = "mail" } }, get.ETag()))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("New Co", patched.Str("company"));
        Assert.Equal("Rosa", patched.Str("firstName"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("lastName").ValueKind);
        Assert.Equal("this_quarter", patched.Str("timeline"));
        Assert.Equal("EUR", patched.Str("budgetCurrency"));
        Assert.Equal("mail", patched.GetProperty("utm").Str("source"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("utm").GetProperty("campaign").ValueKind);
        Assert.Equal("rosa@example.com", patched.Str("email"));
        Assert.True(patched.GetProperty("version").GetInt32() > lead.GetProperty("version").GetInt32());
        Assert.True(patched.GetProperty("scoredAt").GetDateTime() >= lead.GetProperty("scoredAt").GetDateTime());
        var updated = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "lead.updated" && e.Seq > since).ToListAsync());
        Assert.Equal($"leads/{lead.Id()}", Assert.Single(updated).Subject);
        Assert.Contains("company", updated[0].Data, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_StaleIfMatch_Is412_BadField400_AndNothingChanges(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var lead = await LeadAsync(app.Client, new { email = "stale@example.com", company = "Before" });
        var etag = (await app.Client.GetAsync($"/api/v1/leads/{lead.Id()}")).ETag();
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "First" }, etag)).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "Second" }, etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "Third", email = "nope" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "email");
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { email = (string?)null })).ExpectProblemAsync(HttpStatusCode.BadRequest, "email");
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { country = "Atlantis" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "country");

        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == lead.Id()));
        Assert.Equal("First", stored.Company);
        Assert.Equal("stale@example.com", stored.Email);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_AssignedTo_NeedsLeadsAssign(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var lead = await LeadAsync(app.Client, new { email = "assign@example.com", assignedTo = rep.Id });

        await (await repClient.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { assignedTo = (Guid?)null })).ExpectProblemAsync(HttpStatusCode.Forbidden, "assignedTo");
        // A rep may still edit the lead's other fields.
        await (await repClient.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "Rep Co" })).ExpectAsync(HttpStatusCode.OK);

        var (manager, _) = await app.UserAsync(Role.Manager);
        var assigned = await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { assignedTo = manager.Id })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(manager.Id, assigned.GetProperty("assignedTo").GetGuid());
        Assert.Equal("Assigned by hand.", assigned.Str("routingReason"));
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { assignedTo = Guid.NewGuid() })).ExpectProblemAsync(HttpStatusCode.BadRequest, "assignedTo");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_ConvertedLead_Is409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var lead = await LeadAsync(app.Client, new { email = "converted@example.com" });
        var customer = await app.Client.CreateIndividualAsync();
        await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == lead.Id()).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Status, LeadStatus.Converted).SetProperty(l => l.ConvertedCustomerId, customer.Id())));

        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "Late" })).ExpectProblemAsync(HttpStatusCode.Conflict, "status");
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        Assert.Null(await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == lead.Id()).Select(l => l.Company).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_SoftDeletes_WithIfMatch_AndPublishesLeadDeleted(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var from = From(DateTime.UtcNow);
        var since = await app.LastEventSeqAsync();
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync());
        var lead = await LeadAsync(app.Client, new { email = "gone@example.com" });
        var (_, viewer) = await app.UserAsync(Role.Viewer);

        await (await viewer.DeleteAsync($"/api/v1/leads/{lead.Id()}", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Client.DeleteAsync($"/api/v1/leads/{lead.Id()}", "\"99\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.DeleteAsync($"/api/v1/leads/{lead.Id()}", lead.GetProperty("version").GetInt32() is var v ? $"\"{v}\"" : null)).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync($"/api/v1/leads/{lead.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await app.Client.GetAsync($"/api/v1/leads?{from}")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync()));
        Assert.NotNull(await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == lead.Id()).Select(l => l.DeletedAt).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "lead.deleted" && e.Seq > since)));
        await (await app.Client.DeleteAsync($"/api/v1/leads/{lead.Id()}", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
