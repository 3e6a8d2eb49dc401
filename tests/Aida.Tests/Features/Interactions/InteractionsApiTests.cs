using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Interactions;

public sealed class InteractionsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_StoresEveryFieldInUtc_AndPublishesInteractionLogged(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var contactId = customer.GetProperty("primaryContact").Id();
        // The related record must exist (issue 14.12): this test used to name a random id.
        var (deal, _) = await Aida.Tests.Features.Deals.DealsTesting.CreateDealAsync(app.Client, customer.Id());

        var response = await app.Client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = customer.Id(),
            contactId,
            interactionType = "call",
            direction = "outbound",
            subject = "Renewal call",
            description = "Talked about the renewal; wants a quote.",
            occurredAt = "2026-11-30T15:30:00+01:00",
            durationMinutes = 25,
            outcome = "successful",
            sentiment = "positive",
            relatedType = "opportunity",
            relatedId = deal.Id(),
        });
        var logged = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/interactions/{logged.Id()}", response.Headers.Location?.ToString());
        Assert.Equal(new DateTime(2026, 11, 30, 14, 30, 0, DateTimeKind.Utc), logged.GetProperty("occurredAt").GetDateTime().ToUniversalTime());
        Assert.Equal("call", logged.Str("interactionType"));
        Assert.Equal("successful", logged.Str("outcome"));
        Assert.Equal("positive", logged.Str("sentiment"));
        Assert.Equal("api", logged.Str("source")); // logged with an API token
        Assert.Equal(25, logged.GetProperty("durationMinutes").GetInt32());
        Assert.Equal(contactId, logged.GetProperty("contactId").GetGuid());
        Assert.Equal(app.Admin.Id, logged.GetProperty("createdBy").GetGuid());
        Assert.False(logged.GetProperty("backdated").GetBoolean());
        Assert.Equal(deal.Id(), logged.GetProperty("relatedId").GetGuid());

        var fetched = await (await app.Client.GetAsync($"/api/v1/interactions/{logged.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renewal call", fetched.Str("subject"));
        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "interaction.logged").ToListAsync());
        var logEvent = Assert.Single(events);
        Assert.Equal(customer.Id(), logEvent.CustomerId);
        Assert.Contains("Renewal call", logEvent.Data, StringComparison.Ordinal);
    }

    /// <summary>Issue 14.12: a related record must exist and be in the caller's reach, on create and on change.</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_RelatedToAnotherTeamsDealOrLead_OrANonexistentRecord_Is400NamingRelatedId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.RelatedId != null));
        var w = await Crowd.BuildAsync(app);
        var (theirDeal, _) = await Aida.Tests.Features.Deals.DealsTesting.CreateDealAsync(w.AuthorClient, w.CustomerId);
        var theirLead = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = $"{Builders.Unique("lead")}@example.com", assignedTo = w.Author.Id }))
            .ExpectAsync(HttpStatusCode.Created);
        var mine = await w.Outsider.CreateIndividualAsync(ownerId: w.OutsiderUser.Id);
        object Body(string type, Guid id) => new { customerId = mine.Id(), interactionType = "call", direction = "outbound", relatedType = type, relatedId = id };

        await (await w.Outsider.PostJsonAsync("/api/v1/interactions", Body("opportunity", theirDeal.Id()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/interactions", Body("lead", theirLead.Id()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/interactions", Body("opportunity", Guid.CreateVersion7()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        await (await w.Outsider.PostJsonAsync("/api/v1/interactions", Body("case", Guid.CreateVersion7()))).ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedType");
        var plain = await (await w.Outsider.PostJsonAsync("/api/v1/interactions", new { customerId = mine.Id(), interactionType = "call", direction = "outbound" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await w.Outsider.PatchJsonAsync($"/api/v1/interactions/{plain.Id()}", new { relatedType = "opportunity", relatedId = theirDeal.Id() }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "relatedId");
        Assert.Equal(interactionsBefore, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.RelatedId != null)));

        // The deal's own team may link to it.
        await (await w.Teammate.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = w.CustomerId, interactionType = "call", direction = "outbound", relatedType = "opportunity", relatedId = theirDeal.Id(),
        })).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_SameExternalIdTwice_StoresOnceAndAnswersTheStoredOne(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.ExternalId == "cal-123"));
        var outboxEventsBefore = await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "interaction.logged"));
        var customer = await app.Client.CreateOrganizationAsync();
        var body = new { customerId = customer.Id(), interactionType = "meeting", direction = "inbound", source = "calendar_sync", externalId = "cal-123", subject = "Kick-off" };

        var first = await (await app.Client.PostJsonAsync("/api/v1/interactions", body)).ExpectAsync(HttpStatusCode.Created);
        var second = await (await app.Client.PostJsonAsync("/api/v1/interactions", body with { subject = "Kick-off (again)" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first.Id(), second.Id());
        Assert.Equal("Kick-off", second.Str("subject"));
        Assert.Equal(interactionsBefore + 1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.ExternalId == "cal-123")));
        Assert.Equal(outboxEventsBefore + 1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "interaction.logged")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_ExternalIdOfACustomerOutOfReach_IsAConflictThatRevealsNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync());
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var hidden = await app.Client.CreateOrganizationAsync();
        var mine = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new { customerId = hidden.Id(), interactionType = "email", direction = "inbound", externalId = "mail-1", subject = "Secret" }))
            .ExpectAsync(HttpStatusCode.Created);

        var body = await (await repClient.PostJsonAsync("/api/v1/interactions", new { customerId = mine.Id(), interactionType = "email", direction = "inbound", externalId = "mail-1" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.DoesNotContain("Secret", body.ToString(), StringComparison.Ordinal);
        Assert.Equal(interactionsBefore + 1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_MoreThan30DaysAgo_IsAllowedAndFlaggedBackdated(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var recent = await LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddDays(-14));
        var old = await LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddDays(-45));

        Assert.False(recent.GetProperty("backdated").GetBoolean());
        Assert.True(old.GetProperty("backdated").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Log_BadInput_NamesEachFieldAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync());
        var customer = await app.Client.CreateOrganizationAsync();
        var other = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Not", lastName = "Theirs" });

        var problem = await (await app.Client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = customer.Id(),
            contactId = other.GetProperty("primaryContact").Id(),
            direction = "outbound",
            subject = new string('s', 501),
            occurredAt = DateTimeOffset.UtcNow.AddDays(2),
            durationMinutes = -5,
            relatedType = "opportunity",
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "interactionType", "contactId", "subject", "occurredAt", "durationMinutes", "relatedId" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for {field}: {errors}");
        }

        await (await app.Client.PostJsonAsync("/api/v1/interactions", new { customerId = customer.Id(), interactionType = "fax", direction = "outbound" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new { customerId = Guid.CreateVersion7(), interactionType = "call", direction = "outbound" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
        Assert.Equal(interactionsBefore, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Interactions_OfACustomerOutOfReach_AreNotFoundAndNotListed(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, repClient) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CreateOrganizationAsync();
        var logged = await LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1));

        await (await repClient.GetAsync($"/api/v1/interactions/{logged.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var list = await (await repClient.GetAsync($"/api/v1/interactions?customerId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        await (await repClient.PostJsonAsync("/api/v1/interactions", new { customerId = customer.Id(), interactionType = "call", direction = "outbound" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_PagesNewestFirstThroughEveryInteraction(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            // Two share each time: the id breaks the tie.
            ids.Add((await LogAsync(app.Client, customer.Id(), start.AddMinutes(i / 2))).Id());
        }

        var seen = new List<(DateTime, Guid)>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync($"/api/v1/interactions?customerId={customer.Id()}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}")))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("occurredAt").GetDateTime(), i.Id())));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order().ToList(), seen.Select(s => s.Item2).Order().ToList());
        Assert.Equal(seen.Select(s => s.Item1).OrderDescending().ToList(), seen.Select(s => s.Item1).ToList());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_And_Delete_FollowIfMatchAndWhoLoggedIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var customer = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        var adminLogged = await LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-2));

        await (await app.Client.PatchJsonAsync($"/api/v1/interactions/{adminLogged.Id()}", new { outcome = "no_answer" }, "\"7\""))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/interactions/{adminLogged.Id()}", new { outcome = "no_answer" }, "\"1\""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("no_answer", patched.Str("outcome"));

        // A rep may not delete what someone else logged; the admin may.
        await (await repClient.DeleteAsync($"/api/v1/interactions/{adminLogged.Id()}", "\"2\"")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var own = await LogAsync(repClient, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1));
        await (await repClient.DeleteAsync($"/api/v1/interactions/{own.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);
        await (await repClient.GetAsync($"/api/v1/interactions/{own.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    public static async Task<JsonElement> LogAsync(HttpClient client, Guid customerId, DateTimeOffset occurredAt, string subject = "Call", string? description = null, string type = "call") =>
        await (await client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId,
            interactionType = type,
            direction = "outbound",
            subject,
            description,
            occurredAt,
        })).ExpectAsync(HttpStatusCode.Created);
}
