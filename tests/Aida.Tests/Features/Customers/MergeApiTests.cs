using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Merges;
using Aida.Features.Customers.Relationships;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Notes;
using Aida.Features.Segments;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class MergeApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string MergeUrl = "/api/v1/customers/merge";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_MovesEveryChildToTheSurvivor_AndLeavesNoOrphan(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (survivor, other, outsider) = await ThreeWithChildrenAsync(app);

        var merged = await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { survivor, other }, survivorId = survivor }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(survivor, merged.GetProperty("survivor").Id());
        Assert.Equal([other], merged.GetProperty("merge").GetProperty("mergedIds").EnumerateArray().Select(e => e.GetGuid()));
        var contacts = await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().Where(c => c.CustomerId == survivor && c.DeletedAt == null).ToListAsync());
        Assert.Equal(2, contacts.Count);
        Assert.Single(contacts, c => c.IsPrimary);
        Assert.Equal(2, await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync(n => n.CustomerId == survivor)));
        var addresses = await app.QueryAsync(d => d.Set<Address>().IgnoreQueryFilters().Where(a => a.CustomerId == survivor && a.DeletedAt == null).ToListAsync());
        Assert.Equal(2, addresses.Count);
        Assert.Single(addresses, a => a.IsDefault);
        // other→outsider moves; other→survivor would link the survivor to itself and is soft-deleted.
        var links = await app.QueryAsync(d => d.Set<Relationship>().IgnoreQueryFilters()
            .Where(r => r.DeletedAt == null && (r.FromCustomerId == survivor || r.ToCustomerId == survivor)).ToListAsync());
        Assert.Single(links);
        Assert.Equal((survivor, outsider), (links[0].FromCustomerId, links[0].ToCustomerId));
        Assert.Equal(0, await LiveChildrenOfAsync(app, other));
        Assert.NotNull(await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == other).Select(c => c.DeletedAt).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_ChosenValues_AreTheSurvivors(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var survivor = await CreateAsync(app, "Acme GmbH", externalId: null);
        var otherExternal = Builders.Unique("crm-");
        var other = await CreateAsync(app, "ACME Gesellschaft mbH", externalId: otherExternal, status: "active");

        var preview = await (await app.Client.PostJsonAsync(MergeUrl + "/preview", new { ids = new[] { survivor, other }, survivorId = survivor }))
            .ExpectAsync(HttpStatusCode.OK);
        var name = preview.GetProperty("fields").EnumerateArray().Single(f => f.Str("field") == "displayName");
        Assert.True(name.GetProperty("conflict").GetBoolean());
        Assert.Equal(survivor, name.GetProperty("chosenFrom").GetGuid());
        // The survivor has no external id: the other's is kept without being asked for.
        Assert.Equal(otherExternal, preview.GetProperty("merged").Str("externalId"));

        var merged = await (await app.Client.PostJsonAsync(MergeUrl,
                new { ids = new[] { survivor, other }, survivorId = survivor, choices = new Dictionary<string, Guid> { ["displayName"] = other, ["status"] = other } }))
            .ExpectAsync(HttpStatusCode.OK);

        var customer = await (await app.Client.GetAsync($"/api/v1/customers/{survivor}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ACME Gesellschaft mbH", customer.Str("displayName"));
        Assert.Equal("active", customer.Str("status"));
        Assert.Equal(otherExternal, customer.Str("externalId"));
        Assert.Equal("Acme GmbH", merged.GetProperty("merge").GetProperty("survivorBefore").Str("displayName"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Get_MergedAwayId_Answers308ToTheSurvivor_AndItsExternalIdFindsTheSurvivor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var survivor = await CreateAsync(app, Builders.Unique("Survivor "), externalId: Builders.Unique("s-"));
        var oldExternal = Builders.Unique("old-");
        var other = await CreateAsync(app, Builders.Unique("Other "), externalId: oldExternal);
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { survivor, other }, survivorId = survivor })).ExpectAsync(HttpStatusCode.OK);

        using var noRedirects = app.NewHttpClient(allowAutoRedirect: false);
        noRedirects.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        var response = await noRedirects.GetAsync($"/api/v1/customers/{other}");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"/api/v1/customers/{survivor}", response.Headers.Location?.ToString());
        var followed = await (await app.Client.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(survivor, followed.Id());
        var found = await (await app.Client.GetAsync($"/api/v1/customers?q={oldExternal}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([survivor], found.Items().Select(c => c.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_PublishesOneCustomerMergedEvent(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var ids = new[] { await CreateAsync(app), await CreateAsync(app), await CreateAsync(app) };
        var after = await app.LastEventSeqAsync();

        await (await app.Client.PostJsonAsync(MergeUrl, new { ids, survivorId = ids[1] })).ExpectAsync(HttpStatusCode.OK);

        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.Seq > after && e.Subject.StartsWith("customers/")).Select(e => new { e.Type, e.Subject }).ToListAsync());
        var merged = Assert.Single(events, e => e.Type == "customer.merged");
        Assert.Equal($"customers/{ids[1]}", merged.Subject);
        Assert.DoesNotContain(events, e => e.Type == "customer.deleted");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Undo_RestoresEveryRecordParentAndValue_KeepingLaterChangesToTheSurvivor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (survivor, other, outsider) = await ThreeWithChildrenAsync(app);
        var before = await SnapshotAsync(app, survivor, other);
        var merge = await (await app.Client.PostJsonAsync(MergeUrl,
                new { ids = new[] { survivor, other }, survivorId = survivor, choices = new Dictionary<string, Guid> { ["displayName"] = other, ["status"] = other } }))
            .ExpectAsync(HttpStatusCode.OK);
        var mergeId = merge.GetProperty("merge").Id();
        // After the merge the survivor changes: its status by hand, and a note of its own.
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{survivor}", new { status = "churned" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = survivor, content = "After the merge" })).ExpectAsync(HttpStatusCode.Created);

        var undone = await (await app.Client.PostAsync($"/api/v1/merges/{mergeId}/undo", null)).ExpectAsync(HttpStatusCode.OK);

        var kept = Assert.Single(undone.GetProperty("keptChanges").EnumerateArray());
        Assert.Equal("status", kept.Str("field"));
        Assert.Equal("churned", kept.Str("current"));
        var restored = await (await app.Client.GetAsync($"/api/v1/customers/{other}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(other, restored.Id());
        var survivorNow = await (await app.Client.GetAsync($"/api/v1/customers/{survivor}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.SurvivorName, survivorNow.Str("displayName"));
        Assert.Equal("churned", survivorNow.Str("status"));
        var afterUndo = await SnapshotAsync(app, survivor, other);
        Assert.Equal(before.Children, afterUndo.Children);
        Assert.Equal(3, await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync(n => n.CustomerId == survivor || n.CustomerId == other)));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().CountAsync(n => n.CustomerId == other)));
        Assert.NotNull((await app.QueryAsync(d => d.Set<CustomerMerge>().SingleAsync(m => m.Id == mergeId))).UndoneAt);
        await (await app.Client.PostAsync($"/api/v1/merges/{mergeId}/undo", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "id");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MergeThenUndo_InteractionsActivitiesAndStaticSegmentMemberships_MoveAndComeBack(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (survivor, a, b) = (await CreateAsync(app), await CreateAsync(app), await CreateAsync(app));
        var interaction = (await (await app.Client.PostJsonAsync("/api/v1/interactions",
            new { customerId = a, interactionType = "call", direction = "outbound", occurredAt = DateTime.UtcNow.AddMinutes(-1) })).ExpectAsync(HttpStatusCode.Created)).Id();
        var activity = (await (await app.Client.PostJsonAsync("/api/v1/activities",
            new { customerId = b, activityType = "task", subject = "Call back", dueDate = DateTimeOffset.UtcNow.AddDays(1) })).ExpectAsync(HttpStatusCode.Created)).Id();
        // Both merged-away customers in one segment: one membership moves, the other stays behind (one row per customer).
        var both = await StaticSegmentAsync(app, a, b);
        var withSurvivor = await StaticSegmentAsync(app, survivor, a);
        var membersBefore = await MembersAsync(app, both, withSurvivor);

        var merge = await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { survivor, a, b }, survivorId = survivor })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(survivor, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().Where(i => i.Id == interaction).Select(i => i.CustomerId).SingleAsync()));
        Assert.Equal((Guid?)survivor, await app.QueryAsync(d => d.Set<Activity>().IgnoreQueryFilters().Where(i => i.Id == activity).Select(i => i.CustomerId).SingleAsync()));
        Assert.Equal([survivor], (await MembersAsync(app, both)).Intersect([survivor, a]));
        Assert.Contains(survivor, await MembersAsync(app, withSurvivor));

        await (await app.Client.PostAsync($"/api/v1/merges/{merge.GetProperty("merge").Id()}/undo", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(a, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().Where(i => i.Id == interaction).Select(i => i.CustomerId).SingleAsync()));
        Assert.Equal((Guid?)b, await app.QueryAsync(d => d.Set<Activity>().IgnoreQueryFilters().Where(i => i.Id == activity).Select(i => i.CustomerId).SingleAsync()));
        Assert.Equal(membersBefore, await MembersAsync(app, both, withSurvivor));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Undo_AfterThirtyDays_Returns409AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var ids = new[] { await CreateAsync(app), await CreateAsync(app) };
        var merge = await (await app.Client.PostJsonAsync(MergeUrl, new { ids, survivorId = ids[0] })).ExpectAsync(HttpStatusCode.OK);
        var mergeId = merge.GetProperty("merge").Id();
        await app.QueryAsync(d => d.Set<CustomerMerge>().Where(m => m.Id == mergeId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.UndoableUntil, DateTime.UtcNow.AddDays(-1))));

        await (await app.Client.PostAsync($"/api/v1/merges/{mergeId}/undo", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "id");

        Assert.NotNull(await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == ids[1]).Select(c => c.DeletedAt).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_WithACustomerTheUserCannotSee_Returns404AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (stranger, _) = await app.UserAsync(Role.Rep);
        var own = (await repClient.CreateIndividualAsync(ownerId: rep.Id)).Id();
        var unseen = (await app.Client.CreateIndividualAsync(ownerId: stranger.Id)).Id();

        await (await repClient.PostJsonAsync(MergeUrl, new { ids = new[] { own, unseen }, survivorId = own })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await repClient.PostJsonAsync(MergeUrl + "/preview", new { ids = new[] { own, unseen }, survivorId = own })).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await app.QueryAsync(d => d.Set<CustomerMergeSource>().CountAsync(s => s.CustomerId == own || s.CustomerId == unseen)));
        await (await app.Client.GetAsync($"/api/v1/customers/{unseen}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_TwoAtOnceOfTheSameCustomers_OneWinsTheOtherGets409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, second) = await app.UserAsync(Role.Admin);
        var ids = new[] { await CreateAsync(app), await CreateAsync(app) };

        var responses = await Task.WhenAll(
            app.Client.PostJsonAsync(MergeUrl, new { ids, survivorId = ids[0] }),
            second.PostJsonAsync(MergeUrl, new { ids, survivorId = ids[1] }));

        var statuses = responses.Select(r => r.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ExpectProblemAsync(HttpStatusCode.Conflict, "ids");
        Assert.Equal(1, await app.QueryAsync(d => d.Set<CustomerMergeSource>().CountAsync(s => ids.Contains(s.CustomerId))));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_StaleVersion_Returns409NamingVersions(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var ids = new[] { await CreateAsync(app), await CreateAsync(app) };
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{ids[1]}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.PostJsonAsync(MergeUrl, new { ids, survivorId = ids[0], versions = new Dictionary<Guid, int> { [ids[1]] = 1 } }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "versions");

        await (await app.Client.GetAsync($"/api/v1/customers/{ids[1]}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_BadInput_Returns400NamingTheField(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var eleven = new List<Guid>();
        for (var i = 0; i < 11; i++)
        {
            eleven.Add(await CreateAsync(app));
        }

        var two = eleven.Take(2).ToArray();
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = eleven, survivorId = eleven[0] })).ExpectProblemAsync(HttpStatusCode.BadRequest, "ids");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = two.Take(1), survivorId = two[0] })).ExpectProblemAsync(HttpStatusCode.BadRequest, "ids");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { two[0], two[0] }, survivorId = two[0] })).ExpectProblemAsync(HttpStatusCode.BadRequest, "ids");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = two })).ExpectProblemAsync(HttpStatusCode.BadRequest, "survivorId");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = two, survivorId = eleven[5] })).ExpectProblemAsync(HttpStatusCode.BadRequest, "survivorId");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = two, survivorId = two[0], choices = new Dictionary<string, Guid> { ["createdBy"] = two[1] } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "choices.createdBy");
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = two, survivorId = two[0], choices = new Dictionary<string, Guid> { ["displayName"] = eleven[5] } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "choices.displayName");

        // Ten is allowed.
        await (await app.Client.PostJsonAsync(MergeUrl + "/preview", new { ids = eleven.Take(10), survivorId = eleven[0] })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, await app.QueryAsync(d => d.Set<CustomerMergeSource>().CountAsync(s => eleven.Contains(s.CustomerId))));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GetMerge_UnknownId_Returns404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync($"/api/v1/merges/{Guid.CreateVersion7()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsync($"/api/v1/merges/{Guid.CreateVersion7()}/undo", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<Guid> StaticSegmentAsync(AidaApp app, params Guid[] members)
    {
        var segment = await (await app.Client.PostJsonAsync("/api/v1/segments", new { name = Builders.Unique("Merge "), type = "static" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/api/v1/segments/{segment.Id()}/members", new { customerIds = members })).ExpectAsync(HttpStatusCode.OK);
        return segment.Id();
    }

    private static async Task<List<Guid>> MembersAsync(AidaApp app, params Guid[] segments) =>
        await app.QueryAsync(d => d.Set<SegmentMember>().Where(m => segments.Contains(m.SegmentId))
            .OrderBy(m => m.SegmentId).ThenBy(m => m.CustomerId).Select(m => m.CustomerId).ToListAsync());

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_KeepingAParentThatIsBelowAnotherMergedCustomer_IsRefusedAsALoop_AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        // top above middle above bottom: merging top and bottom with bottom's parent (middle) would put the merged
        // customer above and below middle.
        var (top, middle, bottom) = (await CreateAsync(app), await CreateAsync(app), await CreateAsync(app));
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{middle}", new { parentId = top })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{bottom}", new { parentId = middle })).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { top, bottom }, survivorId = top, choices = new { parentId = bottom } }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "ids");
        Assert.Contains("circular", problem.Str("detail"), StringComparison.Ordinal);

        Assert.Null(await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == bottom).Select(c => c.DeletedAt).SingleAsync()));
        Assert.Equal((Guid?)top, await app.QueryAsync(d => d.Set<Customer>().Where(c => c.Id == middle).Select(c => c.ParentId).SingleAsync()));
        // Keeping top's own parent (none), the same two merge: bottom's link to middle goes with bottom.
        await (await app.Client.PostJsonAsync(MergeUrl, new { ids = new[] { top, bottom }, survivorId = top, choices = new { parentId = top } })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((Guid?)top, await app.QueryAsync(d => d.Set<Customer>().Where(c => c.Id == middle).Select(c => c.ParentId).SingleAsync()));
    }

    private static async Task<Guid> CreateAsync(AidaApp app, string? name = null, string? externalId = null, string? status = null)
    {
        var response = await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true",
            new { type = "organization", displayName = name ?? Builders.Unique("Org "), externalId, status });
        return (await response.ExpectAsync(HttpStatusCode.Created)).Id();
    }

    /// <summary>A survivor and another customer, each with a primary contact, a default billing address and a note; the other linked to the survivor and to an outsider.</summary>
    private static async Task<(Guid Survivor, Guid Other, Guid Outsider)> ThreeWithChildrenAsync(AidaApp app)
    {
        var survivor = await CreateAsync(app);
        var other = await CreateAsync(app, status: "active");
        var outsider = await CreateAsync(app);
        foreach (var id in new[] { survivor, other })
        {
            await app.Client.CreateContactAsync(id, new { firstName = "Kim", lastName = Builders.Unique("Lee"), isPrimary = true });
            await (await app.Client.PostJsonAsync($"/api/v1/customers/{id}/addresses",
                new { addressType = "billing", isDefault = true, streetLine1 = "1 Main St", city = "Berlin", country = "DE" })).ExpectAsync(HttpStatusCode.Created);
            await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = id, content = "Met at the fair" })).ExpectAsync(HttpStatusCode.Created);
        }

        await (await app.Client.PostJsonAsync($"/api/v1/customers/{other}/relationships", new { toCustomerId = outsider, relationshipType = "partner" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/api/v1/customers/{other}/relationships", new { toCustomerId = survivor, relationshipType = "partner" })).ExpectAsync(HttpStatusCode.Created);
        return (survivor, other, outsider);
    }

    private static Task<int> LiveChildrenOfAsync(AidaApp app, Guid customerId) => app.QueryAsync(async d =>
        await d.Set<Contact>().IgnoreQueryFilters().CountAsync(c => c.CustomerId == customerId && c.DeletedAt == null)
        + await d.Set<Address>().IgnoreQueryFilters().CountAsync(a => a.CustomerId == customerId && a.DeletedAt == null)
        + await d.Set<Note>().IgnoreQueryFilters().CountAsync(n => n.CustomerId == customerId && n.DeletedAt == null)
        + await d.Set<Relationship>().IgnoreQueryFilters().CountAsync(r => (r.FromCustomerId == customerId || r.ToCustomerId == customerId) && r.DeletedAt == null));

    private sealed record Snapshot(string SurvivorName, string Children);

    /// <summary>Every child of the two customers with its parent, flags and deletion, as one comparable text.</summary>
    private static async Task<Snapshot> SnapshotAsync(AidaApp app, Guid survivor, Guid other)
    {
        Guid[] ids = [survivor, other];
        var name = await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == survivor).Select(c => c.DisplayName).SingleAsync());
        var contacts = await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().Where(c => ids.Contains(c.CustomerId))
            .Select(c => $"contact {c.Id} {c.CustomerId} {c.IsPrimary} {c.DeletedAt == null}").ToListAsync());
        var addresses = await app.QueryAsync(d => d.Set<Address>().IgnoreQueryFilters().Where(c => ids.Contains(c.CustomerId))
            .Select(c => $"address {c.Id} {c.CustomerId} {c.IsDefault} {c.DeletedAt == null}").ToListAsync());
        var notes = await app.QueryAsync(d => d.Set<Note>().IgnoreQueryFilters().Where(c => ids.Contains(c.CustomerId) && c.Content != "After the merge")
            .Select(c => $"note {c.Id} {c.CustomerId}").ToListAsync());
        var links = await app.QueryAsync(d => d.Set<Relationship>().IgnoreQueryFilters().Where(r => ids.Contains(r.FromCustomerId) || ids.Contains(r.ToCustomerId))
            .Select(r => $"link {r.Id} {r.FromCustomerId} {r.ToCustomerId} {r.DeletedAt == null}").ToListAsync());
        return new Snapshot(name, string.Join("\n", contacts.Concat(addresses).Concat(notes).Concat(links).Order(StringComparer.Ordinal)));
    }
}
