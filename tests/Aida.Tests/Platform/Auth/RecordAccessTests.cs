using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Auth;

/// <summary>
/// Record-level access (IDOR): a customer outside your reach does not exist for you — 404 on every
/// route, absent from lists, search, the audit log and the event feed — while your team's customers
/// stay in reach. Two teams, each with a manager and reps; team B's customer is the target.
/// </summary>
public sealed class RecordAccessTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private sealed record World(
        AidaApp App,
        HttpClient RepA, User RepAUser, HttpClient TeammateA, User TeammateAUser, HttpClient ManagerA,
        HttpClient RepB, User RepBUser, Guid TargetB, Guid TargetContact, string TargetName, Guid TeammateCustomer);

    private async Task<World> BuildAsync(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (managerAUser, managerA) = await app.UserAsync(Role.Manager);
        var (managerBUser, _) = await app.UserAsync(Role.Manager);
        var teamA = await app.TeamAsync(managerAUser.Id);
        var teamB = await app.TeamAsync(managerBUser.Id);
        var (repAUser, repA) = await app.UserAsync(Role.Rep, teamA.Id);
        var (teammateAUser, teammateA) = await app.UserAsync(Role.Rep, teamA.Id);
        var (repBUser, repB) = await app.UserAsync(Role.Rep, teamB.Id);

        var name = $"Zed{Guid.NewGuid():N}"[..12];
        var target = await repB.CreateOrganizationAsync(name: name + " Holdings", primaryContact: new { firstName = name, lastName = "Target", email = $"{name}@target.example" });
        var teammateCustomer = await teammateA.CreateIndividualAsync();
        return new World(app, repA, repAUser, teammateA, teammateAUser, managerA, repB, repBUser,
            target.Id(), target.GetProperty("primaryContact").Id(), name, teammateCustomer.Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RepOfTeamA_CannotReadListSearchPatchDeleteOrSeeHistoryOfTeamBsCustomer(DatabaseKind db)
    {
        var w = await BuildAsync(db);
        var app = w.App;
        var url = $"/api/v1/customers/{w.TargetB}";

        foreach (var client in new[] { w.RepA, w.ManagerA })
        {
            await (await client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/contacts")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/contacts/{w.TargetContact}")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/account")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/addresses")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"{url}/relationships")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.PatchJsonAsync(url, new { displayName = "Hijacked" })).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.PatchJsonAsync($"{url}/contacts/{w.TargetContact}", new { jobTitle = "Hijacked" })).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.PostJsonAsync($"{url}/contacts", new { firstName = "Sneaky", lastName = "Add" })).ExpectProblemAsync(HttpStatusCode.NotFound);

            Assert.DoesNotContain(w.TargetB, await ListIdsAsync(client, "/api/v1/customers?limit=200"));
            Assert.DoesNotContain(w.TargetB, await ListIdsAsync(client, $"/api/v1/customers?q={w.TargetName}"));
            Assert.DoesNotContain(w.TargetContact, await ListIdsAsync(client, $"/api/v1/contacts?q={w.TargetName}"));
            Assert.Empty(await ListIdsAsync(client, $"/api/v1/audit?customerId={w.TargetB}"));
            Assert.Empty(await ListIdsAsync(client, $"/api/v1/audit?entityType=customer&entityId={w.TargetB}"));
            var events = await ReadAllEventsAsync(app, client);
            Assert.DoesNotContain(events, e => e.Contains(w.TargetB.ToString(), StringComparison.Ordinal));
        }

        // The manager may delete customers, but not one outside their reach: 404, and it is still there.
        await (await w.ManagerA.DeleteAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var stillThere = await (await w.RepB.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(w.TargetName + " Holdings", stillThere.Str("displayName"));
        Assert.Equal(1, stillThere.GetProperty("version").GetInt32());

        // Its owner's side sees all of it, history included.
        Assert.NotEmpty(await ListIdsAsync(w.RepB, $"/api/v1/audit?customerId={w.TargetB}"));
        Assert.Contains(await ReadAllEventsAsync(app, w.RepB), e => e.Contains(w.TargetB.ToString(), StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TeamMembersAndTheirManager_SeeTheTeamsCustomers(DatabaseKind db)
    {
        var w = await BuildAsync(db);
        var app = w.App;
        var url = $"/api/v1/customers/{w.TeammateCustomer}";

        await (await w.RepA.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        await (await w.ManagerA.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(w.TeammateCustomer, await ListIdsAsync(w.RepA, "/api/v1/customers?limit=200"));
        Assert.Contains(w.TeammateCustomer, await ListIdsAsync(w.ManagerA, "/api/v1/customers?limit=200"));
        await (await w.RepB.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var listed = await ListIdsAsync(w.RepA, "/api/v1/customers?limit=200");
        Assert.Equal([w.TeammateCustomer], listed);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Rep_CannotGiveACustomerToSomeoneOutsideTheirReach_OrLinkToAnUnreachableCustomer(DatabaseKind db)
    {
        var w = await BuildAsync(db);
        var app = w.App;

        await (await w.RepA.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Pass The Parcel", ownerId = w.RepBUser.Id }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
        await (await w.RepA.PatchJsonAsync($"/api/v1/customers/{w.TeammateCustomer}", new { ownerId = w.RepBUser.Id }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
        await (await w.RepA.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Child Of Nobody", parentId = w.TargetB }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "parentId");
        var link = await w.RepA.PostJsonAsync($"/api/v1/customers/{w.TeammateCustomer}/relationships",
            new { toCustomerId = w.TargetB, relationshipType = "partner" });
        Assert.True(link.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"linking to an unreachable customer answered {(int)link.StatusCode}");

        // Handing a customer to a teammate is fine.
        await (await w.RepA.PatchJsonAsync($"/api/v1/customers/{w.TeammateCustomer}", new { ownerId = w.RepAUser.Id }))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DuplicateCheck_NamesNoCustomerOutsideReach(DatabaseKind db)
    {
        var w = await BuildAsync(db);
        var app = w.App;

        var response = await w.RepA.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = w.TargetName + " Holdings",
            primaryContact = new { firstName = w.TargetName, lastName = "Target", email = $"{w.TargetName}@target.example" },
        });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        var candidate = Assert.Single(problem.GetProperty("candidates").EnumerateArray());
        // Only that something not visible to you matches: no id, type, status, score or reasons (issue 14.10).
        Assert.Equal(["visible"], candidate.EnumerateObject().Select(p => p.Name));
        Assert.False(candidate.GetProperty("visible").GetBoolean());
        Assert.DoesNotContain(w.TargetName, problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(w.TargetB.ToString(), problem.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Created anyway: its history, which its own team reads, does not name the other team's customer either.
        var created = await (await w.RepA.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization",
            displayName = w.TargetName + " Holdings",
            primaryContact = new { firstName = w.TargetName, lastName = "Target", email = $"{w.TargetName}@target.example" },
        })).ExpectAsync(HttpStatusCode.Created);
        var history = await (await w.TeammateA.GetAsync($"/api/v1/audit?customerId={created.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEmpty(history.Items());
        Assert.DoesNotContain(w.TargetB.ToString(), history.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client, string url)
    {
        var page = await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        return page.Items().Select(i => i.Id()).ToList();
    }

    /// <summary>The whole feed as one reader sees it (after the test server's own set-up), as raw JSON per event.</summary>
    private static async Task<List<string>> ReadAllEventsAsync(AidaApp app, HttpClient client)
    {
        var cursor = await app.FeedStartAsync();
        var all = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var page = await (await client.GetAsync($"/api/v1/events?limit=200&after={Uri.EscapeDataString(cursor)}")).ExpectAsync(HttpStatusCode.OK);
            all.AddRange(page.Items().Select(i => i.GetRawText()));
            cursor = page.Str("nextCursor");
            if (page.Items().Length == 0 && (app.Kind == DatabaseKind.Sqlite || all.Count > 0 || DateTime.UtcNow > deadline))
            {
                return all;
            }

            if (page.Items().Length == 0)
            {
                // PostgreSQL serves an event once every older transaction has ended: look again shortly.
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
            }
        }
    }
}
