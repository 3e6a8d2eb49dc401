using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Leads;
using Aida.Features.Leads.Duplicates;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// Issue 17 part 3 for leads: the background scan pairs open leads that are likely one person (past the capture's
/// own join on the same email or phone), the queue lists them with <c>type=lead</c>, and a merge folds a duplicate
/// into the lead kept.
/// </summary>
public sealed class LeadDuplicateReviewTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Queue = "/api/v1/duplicates";
    private const string Password = "a long enough password";

    /// <summary>Letters only: the name and company words are compared as words.</summary>
    private static string Unique() => string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    private static string Phone() => "+49 30 " + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static Task<DuplicateScanSummary> ScanAsync(AidaApp app) => DuplicateQueue.ScanAsync(app);

    private static Task<List<JsonElement>> ClustersAsync(HttpClient client, string status = "open") => DuplicateQueue.ClustersAsync(client, "lead", status);

    private static JsonElement? PairOf(List<JsonElement> clusters, Guid a, Guid b) => DuplicateQueue.PairOf(clusters, a, b);

    private static bool Lists(List<JsonElement> clusters, Guid id) => DuplicateQueue.Lists(clusters, id);

    /// <summary>"Jürgen Weiß" and "Juergen Weiss" at one company's mail domain, under two addresses the capture cannot join.</summary>
    private static async Task<(Guid First, Guid Second, string Last, string Domain)> PlantAsync(HttpClient client)
    {
        var u = Unique();
        var last = "Weiß" + u;
        var domain = $"acme{u}.de";
        var first = (await client.CreateLeadAsync(new { firstName = "Jürgen", lastName = last, email = $"jw@{domain}", company = $"Acme{u} GmbH", country = "DE" })).Id();
        var second = (await client.CreateLeadAsync(new
        {
            firstName = "Juergen", lastName = "Weiss" + u, email = $"j.weiss@{domain}", company = $"Acme{u}", country = "DE", phone = Phone(), jobTitle = "Head of Purchasing",
        })).Id();
        return (first, second, last, domain);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Scan_PairsOnePersonUnderTwoAddresses_NotTheSameNameAtAnotherCompany_NorALostLead(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, last, domain) = await PlantAsync(app.Client);
        var u = Unique();
        var elsewhere = (await app.Client.CreateLeadAsync(new { firstName = "Jürgen", lastName = last, email = $"jweiss{u}@gmail.com", company = $"Globex{u} AG", country = "DE" })).Id();
        var lost = (await app.Client.CreateLeadAsync(new { firstName = "Jürgen", lastName = last, email = $"juergen@{domain}", country = "DE" })).Id();
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lost}/lose", new { reason = "No budget" })).ExpectAsync(HttpStatusCode.OK);

        await ScanAsync(app);

        var clusters = await ClustersAsync(app.Client);
        var pair = PairOf(clusters, first, second) ?? throw new Xunit.Sdk.XunitException("the planted pair is not in the lead queue");
        Assert.Equal("lead", pair.Str("recordType"));
        Assert.True(pair.GetProperty("score").GetDouble() >= 0.8, pair.GetRawText());
        var reasons = pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("name", reasons);
        Assert.Contains("domain", reasons);
        Assert.False(Lists(clusters, elsewhere), "the same name at another company is not a likely duplicate");
        Assert.False(Lists(clusters, lost), "a lost lead is not scanned");
        var member = clusters.SelectMany(c => c.GetProperty("members").EnumerateArray()).First(m => m.Id() == second);
        Assert.Equal($"/leads/{second}", member.Str("url"));
        Assert.Contains("Acme", member.Str("detail"), StringComparison.Ordinal);

        // The customer queue does not show leads, and the scan's state is kept per type.
        var customers = await (await app.Client.GetAsync($"{Queue}?type=customer&limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(customers.Items(), c => c.GetProperty("members").EnumerateArray().Any(m => m.Id() == first));
        var state = await (await app.Client.GetAsync($"{Queue}/scan?type=lead")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("lead", state.Str("recordType"));
        Assert.True(state.GetProperty("recordsScanned").GetInt64() >= 3);
        await (await app.Client.GetAsync($"{Queue}/scan?type=deal")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");

        // Scanning again adds no second row for the pair.
        await ScanAsync(app);
        var (a, b) = DuplicatePair.Canonical(first, second);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<DuplicatePair>().CountAsync(p => p.RecordType == DuplicateRecordType.Lead && p.FirstId == a && p.SecondId == b)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Backfill_FillsTheNameKeysOfLeadsStoredBeforeThem_AndTheScanThenFindsThemByName(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var u = Unique();
        // The first pass over every lead, so that the passes below are incremental.
        await ScanAsync(app);
        // "Bob" and "Robert" differ in name key and sound: only the name block (nicknames folded) brings them together.
        var robert = (await app.Client.CreateLeadAsync(new { firstName = "Robert", lastName = "Okafor" + u, email = $"robert@okafor{u}.example" })).Id();
        // As a row stored long before migration 0020 has it: no name keys, and not changed since.
        var longAgo = DateTime.UtcNow.AddDays(-30);
        await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == robert)
            .ExecuteUpdateAsync(update => update.SetProperty(l => l.NameKey, (string?)null).SetProperty(l => l.NamePhonetic, (string?)null)
                .SetProperty(l => l.NameBlock, (string?)null).SetProperty(l => l.UpdatedAt, longAgo)));
        var bob = (await app.Client.CreateLeadAsync(new { firstName = "Bob", lastName = "Okafor" + u, email = $"bob@okafor{u}.example" })).Id();

        await ScanAsync(app);
        Assert.Null(PairOf(await ClustersAsync(app.Client), robert, bob));

        var backfill = new LeadNameKeyBackfill(app.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<LeadNameKeyBackfill>.Instance);
        while (await backfill.FillAsync(CancellationToken.None) > 0)
        {
        }

        var stored = await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == robert).Select(l => new { l.NameKey, l.NameBlock }).SingleAsync());
        Assert.Equal(Aida.Features.Customers.Matching.NameKey($"Robert Okafor{u}"), stored.NameKey);
        Assert.Equal(NameMatching.NameBlock(Aida.Features.Customers.CustomerType.Individual, $"Robert Okafor{u}"), stored.NameBlock);
        // Bob changed within the incremental pass's overlap, so he is scanned again, and now finds Robert.
        await ScanAsync(app);
        var pair = PairOf(await ClustersAsync(app.Client), robert, bob) ?? throw new Xunit.Sdk.XunitException("Bob and Robert at one company are not paired");
        Assert.Contains("domain", pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_FoldsTheDuplicateIntoTheSurvivor_MovesItsTouches_RedirectsItsId_AndDecidesThePair(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _, _) = await PlantAsync(app.Client);
        var secondLead = await app.Client.LeadAsync(second);
        await app.Client.TouchAsync(second, "outbound");
        await ScanAsync(app);
        Assert.NotNull(PairOf(await ClustersAsync(app.Client), first, second));

        var merged = await (await app.Client.PostJsonAsync("/api/v1/leads/merge", new { survivorId = first, mergedIds = new[] { second } })).ExpectAsync(HttpStatusCode.OK);

        var survivor = merged.GetProperty("survivor");
        Assert.Equal(first, survivor.Id());
        Assert.Equal("Jürgen", survivor.Str("firstName"));
        Assert.Equal(secondLead.Str("phone"), survivor.Str("phone"));
        Assert.Equal("Head of Purchasing", survivor.Str("jobTitle"));
        Assert.Equal(2, survivor.GetProperty("captureCount").GetInt32());
        Assert.Equal(1, merged.GetProperty("merge").GetProperty("touchesMoved").GetInt32());
        var touches = await (await app.Client.GetAsync($"/api/v1/leads/{first}/interactions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(touches.Items());

        using var noRedirects = app.NewHttpClient(allowAutoRedirect: false);
        noRedirects.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        var response = await noRedirects.GetAsync($"/api/v1/leads/{second}");
        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"/api/v1/leads/{first}", response.Headers.Location?.ToString());
        Assert.Equal(first, await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == second && l.DeletedAt != null).Select(l => l.MergedIntoId).SingleAsync()));

        Assert.Null(PairOf(await ClustersAsync(app.Client), first, second));
        var (a, b) = DuplicatePair.Canonical(first, second);
        Assert.Equal(DuplicatePairStatus.Merged, await app.QueryAsync(d => d.Set<DuplicatePair>().Where(p => p.RecordType == DuplicateRecordType.Lead && p.FirstId == a && p.SecondId == b).Select(p => p.Status).SingleAsync()));
        var events = await app.EventsAsync("lead.merged", first);
        Assert.Equal([second], Assert.Single(events).GetProperty("mergedIds").EnumerateArray().Select(e => e.GetGuid()));

        // Whoever merges the same leads a moment later is told they are merged already, and nothing changes.
        await (await app.Client.PostJsonAsync("/api/v1/leads/merge", new { survivorId = first, mergedIds = new[] { second } }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "mergedIds");
        await (await app.Client.PostJsonAsync("/api/v1/leads/merge", new { survivorId = second, mergedIds = new[] { first } }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "survivorId");
        Assert.Equal(first, (await app.Client.LeadAsync(first)).Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Undo_BringsTheMergedLeadBackWithItsTouches_GivesBackFilledFields_AndKeepsALaterChange(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _, _) = await PlantAsync(app.Client);
        var secondBefore = await app.Client.LeadAsync(second);
        await app.Client.TouchAsync(second, "outbound");
        await ScanAsync(app);
        var merged = await (await app.Client.PostJsonAsync("/api/v1/leads/merge", new { survivorId = first, mergedIds = new[] { second } })).ExpectAsync(HttpStatusCode.OK);
        var mergeId = merged.GetProperty("merge").Id();
        // After the merge someone corrects the job title the merge brought in, and logs a touch on the survivor.
        var etag = (await app.Client.GetAsync($"/api/v1/leads/{first}")).ETag();
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{first}", new { jobTitle = "Purchasing Director" }, etag)).ExpectAsync(HttpStatusCode.OK);
        await app.Client.TouchAsync(first, "outbound", "email");

        var undone = await (await app.Client.PostAsync($"/api/v1/lead-merges/{mergeId}/undo", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([second], undone.GetProperty("restoredLeadIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(1, undone.GetProperty("touchesReturned").GetInt32());
        var kept = Assert.Single(undone.GetProperty("keptChanges").EnumerateArray());
        Assert.Equal("jobTitle", kept.Str("field"));
        Assert.Equal("Purchasing Director", kept.Str("current"));
        var back = await app.Client.LeadAsync(second);
        Assert.Equal(secondBefore.Str("email"), back.Str("email"));
        Assert.Single((await (await app.Client.GetAsync($"/api/v1/leads/{second}/interactions")).ExpectAsync(HttpStatusCode.OK)).Items());
        var restoredSurvivor = await app.Client.LeadAsync(first);
        Assert.Null(restoredSurvivor.Str("phone"));
        Assert.Equal("Purchasing Director", restoredSurvivor.Str("jobTitle"));
        Assert.Equal(1, restoredSurvivor.GetProperty("captureCount").GetInt32());
        Assert.Equal("email", Assert.Single((await (await app.Client.GetAsync($"/api/v1/leads/{first}/interactions")).ExpectAsync(HttpStatusCode.OK)).Items()).Str("interactionType"));
        Assert.NotNull(PairOf(await ClustersAsync(app.Client), first, second));
        Assert.Single(await app.EventsAsync("lead.merge_undone", first));

        await (await app.Client.PostAsync($"/api/v1/lead-merges/{mergeId}/undo", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var (_, repClient) = await app.UserAsync(Role.Rep);
        await (await repClient.GetAsync($"/api/v1/lead-merges/{mergeId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsync($"/api/v1/lead-merges/{Guid.NewGuid()}/undo", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_RefusesBadInput_AConvertedLead_AndALeadOutOfReach_ChangingNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _, _) = await PlantAsync(app.Client);
        const string Url = "/api/v1/leads/merge";

        await (await app.Client.PostJsonAsync(Url, new { mergedIds = new[] { second } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "survivorId");
        await (await app.Client.PostJsonAsync(Url, new { survivorId = first, mergedIds = Array.Empty<Guid>() })).ExpectProblemAsync(HttpStatusCode.BadRequest, "mergedIds");
        await (await app.Client.PostJsonAsync(Url, new { survivorId = first, mergedIds = new[] { first } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "mergedIds");
        await (await app.Client.PostJsonAsync(Url, new { survivorId = first, mergedIds = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()) }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "mergedIds");
        await (await app.Client.PostJsonAsync(Url, new { survivorId = first, mergedIds = new[] { Guid.NewGuid() } })).ExpectProblemAsync(HttpStatusCode.NotFound);

        var u = Unique();
        var converted = (await app.Client.CreateLeadAsync(new { firstName = "Ann", lastName = "Lee" + u, email = $"ann@lee{u}.example" })).Id();
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{converted}/convert", new { })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync(Url, new { survivorId = first, mergedIds = new[] { converted } })).ExpectProblemAsync(HttpStatusCode.Conflict, "mergedIds");

        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (stranger, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = (await app.Client.CreateLeadAsync(new { firstName = "Kim", lastName = "Park" + u, email = $"kim@park{u}.example", assignedTo = rep.Id })).Id();
        var theirs = (await app.Client.CreateLeadAsync(new { firstName = "Kim", lastName = "Park" + u, email = $"k.park@park{u}.example", assignedTo = stranger.Id })).Id();
        await (await repClient.PostJsonAsync(Url, new { survivorId = mine, mergedIds = new[] { theirs } })).ExpectProblemAsync(HttpStatusCode.NotFound);

        foreach (var id in new[] { first, second, theirs })
        {
            Assert.Equal(id, (await app.Client.LeadAsync(id)).Id());
        }

        Assert.Null((await app.Client.LeadAsync(first)).Str("phone"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task QueuePage_ShowsLeadClusters_AndMergesIntoTheLeadPickedToKeep(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (manager, managerApi) = await app.UserAsync(Role.Manager, password: Password);
        var (first, second, last, _) = await PlantAsync(managerApi);
        await ScanAsync(app);
        using var browser = await PageBrowser.SignedInAsync(app, manager, Password);

        var queue = await browser.OpenAsync("/duplicates?type=lead");
        Assert.Equal(HttpStatusCode.OK, queue.Status);
        var cluster = queue.Document.QuerySelectorAll("section.duplicate-cluster").SingleOrDefault(s => s.TextContent.Contains(last, StringComparison.Ordinal));
        Assert.True(cluster is not null, queue.Text("main"));
        Assert.Contains("Same company domain", cluster!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(cluster.QuerySelector($"a[href='/leads/{second}']"));
        Assert.Null(cluster.QuerySelector("a.button[href*='/merge']"));

        Assert.NotNull(cluster.QuerySelector($"form.record-merge input[type=radio][value='{second}']"));
        var done = await browser.SubmitAsync(queue, $"#merge-{new[] { first, second }.Min()}", new() { ["survivor"] = second.ToString() });

        Assert.StartsWith("Merged 1 lead into this one", done.Flash, StringComparison.Ordinal);
        Assert.Equal(second, (await managerApi.LeadAsync(second)).Id());
        var gone = await browser.OpenAsync($"/leads/{first}");
        Assert.Equal(HttpStatusCode.OK, gone.Status);
        Assert.Contains("Juergen", gone.Text("main"), StringComparison.Ordinal);
        Assert.Contains($"Jürgen {last} was merged into this lead", gone.Text("main"), StringComparison.Ordinal);
        Assert.Null(PairOf(await ClustersAsync(managerApi), first, second));

        var undone = await browser.SubmitAsync(gone, "form[action*='/merges/']");
        Assert.StartsWith("Merge undone: 1 lead is back", undone.Flash, StringComparison.Ordinal);
        Assert.Equal(first, (await managerApi.LeadAsync(first)).Id());
    }
}
