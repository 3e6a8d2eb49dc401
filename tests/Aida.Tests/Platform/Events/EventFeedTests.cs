using System.Net;
using System.Text.Json.Nodes;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events;

/// <summary>
/// Every change appends domain events to the outbox in its own transaction; <c>/api/v1/events</c>
/// serves them in commit order to pollers that continue from the cursor they were given.
/// </summary>
public sealed class EventFeedTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    public static TheoryData<DatabaseKind, string> BadCursors => DatabaseCases.Cross("abc", "-1", "1.2.3", "x.1");

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_CustomerWithPrimaryContact_AppendsCustomerCreatedThenContactCreated(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Evi", lastName = "Event" });

        var (events, _) = await Feed.WaitForAsync(app, 2);
        var id = customer.Id();
        var contactId = customer.GetProperty("primaryContact").Id();
        Assert.Equal(["customer.created", "contact.created"], events.Types());
        Assert.Equal($"customers/{id}", events[0].Str("subject"));
        Assert.Equal(id, events[0].GetProperty("data").GetProperty("customer").Id());
        Assert.Equal($"customers/{id}/contacts/{contactId}", events[1].Str("subject"));
        Assert.Equal(contactId, events[1].GetProperty("data").GetProperty("contact").Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_Customer_EventEnvelopeCarriesIdTypeSubjectTimeActorRequestIdAndData(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Enve Lope" });
        var customer = await response.ExpectAsync(HttpStatusCode.Created);

        var (events, _) = await Feed.WaitForAsync(app, 1);
        var envelope = Assert.Single(events);
        Assert.NotEqual(Guid.Empty, envelope.Id());
        Assert.Equal("customer.created", envelope.Str("type"));
        Assert.Equal($"customers/{customer.Id()}", envelope.Str("subject"));
        Assert.EndsWith("Z", envelope.Str("time"), StringComparison.Ordinal);
        Assert.Equal(customer.GetProperty("createdAt").GetDateTime(), envelope.GetProperty("time").GetDateTime());
        Assert.Equal(app.Admin.Id, envelope.GetProperty("actor").GetGuid());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), envelope.Str("requestId"));
        // jsonb on PostgreSQL keeps the content, not the key order, so compare as JSON values.
        var data = envelope.GetProperty("data").GetProperty("customer");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(customer.GetRawText()), JsonNode.Parse(data.GetRawText())),
            $"Event data {data} is not the created customer {customer}");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_Customer_AppendsCustomerUpdatedNamingTheChangedFields(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var (_, cursor) = await Feed.WaitForAsync(app, 1);

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { status = "active", displayName = "Updated Ltd" }))
            .ExpectAsync(HttpStatusCode.OK);

        var (events, _) = await Feed.WaitForAsync(app, 1, cursor);
        var updated = Assert.Single(events);
        Assert.Equal("customer.updated", updated.Str("type"));
        var data = updated.GetProperty("data");
        Assert.Equal(["displayName", "status"], data.GetProperty("changes").EnumerateArray().Select(c => c.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("active", data.GetProperty("customer").Str("status"));
        Assert.Equal(2, data.GetProperty("customer").GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Customer_AppendsContactDeletedForEachContactAndCustomerDeletedWithCascadedCounts(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(
            primaryContact: new { firstName = "Del", lastName = "One" },
            addresses: [new { addressType = "billing", streetLine1 = "1 Gone Rd", city = "Void", country = "FR" }]);
        var id = customer.Id();
        var second = await app.Client.CreateContactAsync(id, new { firstName = "Del", lastName = "Two" });
        var (_, cursor) = await Feed.WaitForAsync(app, 4);

        await (await app.Client.DeleteAsync($"/api/v1/customers/{id}", null)).ExpectAsync(HttpStatusCode.NoContent);

        var (events, _) = await Feed.WaitForAsync(app, 4, cursor);
        Assert.Equal(["address.deleted", "contact.deleted", "contact.deleted", "customer.deleted"], events.Types().Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { customer.GetProperty("primaryContact").Id(), second.Id() }.Order(),
            events.Where(e => e.Str("type") == "contact.deleted").Select(e => e.GetProperty("data").GetProperty("contact").Id()).Order());
        var cascaded = events.Single(e => e.Str("type") == "customer.deleted").GetProperty("data").GetProperty("cascaded");
        Assert.Equal(2, cascaded.GetProperty("contacts").GetInt32());
        Assert.Equal(1, cascaded.GetProperty("addresses").GetInt32());
        Assert.Equal(0, cascaded.GetProperty("accounts").GetInt32());
        Assert.Equal(0, cascaded.GetProperty("relationships").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_LimitAndNextCursor_ServeEveryEventOnceInCommitOrder(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await app.Client.CreateOrganizationAsync()).Id());
        }

        await Feed.WaitForAsync(app, 5);

        var subjects = new List<string>();
        var sizes = new List<int>();
        string? cursor = null;
        for (var page = 0; page < 3; page++)
        {
            var (items, next) = await Feed.ReadAsync(app, cursor, "limit=2");
            sizes.Add(items.Length);
            subjects.AddRange(items.Select(e => e.Str("subject")));
            cursor = next;
        }

        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(ids.Select(id => $"customers/{id}"), subjects);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_AtTheEnd_ReturnsEmptyPageWithTheSameCursor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await app.Client.CreateOrganizationAsync();
        var (_, cursor) = await Feed.WaitForAsync(app, 1);

        var (items, next) = await Feed.ReadAsync(app, cursor);

        Assert.Empty(items);
        Assert.Equal(cursor, next);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_AfterAnEmptyPage_ServesEventsWrittenLater(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, cursor) = await Feed.ReadAsync(app);

        var customer = await app.Client.CreateOrganizationAsync();

        var (items, _) = await Feed.WaitForAsync(app, 1, cursor);
        Assert.Equal($"customers/{customer.Id()}", Assert.Single(items).Str("subject"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_TypeFilter_ServesOnlyThatType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var first = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Fil", lastName = "Ter" });
        var second = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Fil", lastName = "Tered" });
        await Feed.WaitForAsync(app, 4);

        var (items, _) = await Feed.ReadAsync(app, null, "type=contact.created");

        Assert.Equal(["contact.created", "contact.created"], items.Types());
        Assert.Equal(
            [first.GetProperty("primaryContact").Id(), second.GetProperty("primaryContact").Id()],
            items.Select(e => e.GetProperty("data").GetProperty("contact").Id()));
    }

    [Theory, MemberData(nameof(BadCursors))]
    public async Task Feed_CursorNotFromThisFeed_Returns400NamingAfter(DatabaseKind db, string cursor)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync($"/api/v1/events?after={Uri.EscapeDataString(cursor)}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "after");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_LimitOutOfRange_Returns400NamingLimit(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync("/api/v1/events?limit=201")).ExpectProblemAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Theory, MemberData(nameof(RejectedChanges.Cases), MemberType = typeof(RejectedChanges))]
    public async Task Patch_Rejected_AppendsNoEvent(DatabaseKind db, string rejection)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var (_, cursor) = await Feed.WaitForAsync(app, 1);

        await RejectedChanges.SendAsync(app, customer.Id(), rejection);

        // A later change's event proves the feed has caught up past the refused request.
        var marker = await app.Client.CreateOrganizationAsync();
        var (items, _) = await Feed.WaitForAsync(app, 1, cursor);
        Assert.Equal($"customers/{marker.Id()}", Assert.Single(items).Str("subject"));
    }
}
