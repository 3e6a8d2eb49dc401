using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Contacts;
using Aida.Features.Deals;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// POST /api/v1/leads/{id}/convert: customer (+ account), contact, deal, moved touches, one transaction, idempotent.
/// On a server shared by the class: names and emails are the test's own (capture and conversion match
/// across the whole CRM), and rows and events are counted from the test's start.
/// </summary>
public sealed class ConvertLeadTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_LeadWithCompany_CreatesOrganizationAccountContactAndDeal(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep);
        var before = await CountsAsync(app);
        var since = await app.LastEventSeqAsync();
        var lead = await LeadAsync(app.Client, new { firstName = "Rosa", lastName = "Diaz", email = "rosa@diaz.example", phone = "+44 20 7946 0958", company = "Diaz Repairs", jobTitle = "Owner", sourceType = "referral", budgetAmount = 1500.50m, budgetCurrency = "GBP", urgency = "high", needs = "Three laptops", assignedTo = rep.Id });

        var response = await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new
        {
            deal = new { title = "Laptops for Diaz", expectedCloseOn = "2027-03-31" },
        });
        var result = await response.ExpectAsync(HttpStatusCode.Created);

        var customerId = result.GetProperty("customerId").GetGuid();
        Assert.Equal($"/api/v1/customers/{customerId}", response.Headers.Location?.ToString());
        var customer = await (await app.Client.GetAsync($"/api/v1/customers/{customerId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("organization", customer.Str("type"));
        Assert.Equal("Diaz Repairs", customer.Str("displayName"));
        Assert.Equal("referral", customer.Str("source"));
        Assert.Equal(rep.Id, customer.GetProperty("ownerId").GetGuid());

        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 1, before.Accounts + 1, before.Contacts + 1, before.Deals + 1), (after.Customers, after.Accounts, after.Contacts, after.Deals));
        var account = await app.QueryAsync(d => d.Set<Account>().SingleAsync(a => a.CustomerId == customerId));
        Assert.Equal(customerId, account.CustomerId);
        Assert.Equal("Diaz Repairs", account.LegalName);
        Assert.Equal(account.Id, result.GetProperty("accountId").GetGuid());

        var contact = await app.QueryAsync(d => d.Set<Contact>().SingleAsync(c => c.CustomerId == customerId));
        Assert.Equal((customerId, "Rosa", "Diaz", "rosa@diaz.example", "Owner", true), (contact.CustomerId, contact.FirstName, contact.LastName, contact.Email, contact.JobTitle, contact.IsPrimary));
        Assert.Equal(contact.Id, result.GetProperty("contactId").GetGuid());

        var deal = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.CustomerId == customerId));
        Assert.Equal(deal.Id, result.GetProperty("dealId").GetGuid());
        Assert.Equal(("Laptops for Diaz", 1500.50m, "GBP", customerId, contact.Id, lead.Id(), "referral", rep.Id), (deal.Title, deal.Value, deal.Currency, deal.CustomerId, deal.ContactId, deal.LeadId, deal.Source, deal.OwnerId));
        Assert.Equal((DealStatus.Open, DealPriority.High, new DateOnly(2027, 3, 31), "Three laptops"), (deal.Status, deal.Priority, deal.ExpectedCloseOn, deal.Description));
        var firstStage = await app.QueryAsync(d => d.Set<PipelineStage>().SingleAsync(s => s.PipelineId == Pipeline.DefaultId && s.Code == "initial_contact"));
        Assert.Equal(firstStage.Id, deal.StageId);

        var converted = result.GetProperty("lead");
        Assert.Equal("converted", converted.Str("status"));
        Assert.Equal("qualified", converted.Str("qualificationStatus"));
        Assert.Equal(customerId, converted.GetProperty("convertedCustomerId").GetGuid());
        Assert.Equal(contact.Id, converted.GetProperty("convertedContactId").GetGuid());
        Assert.Equal(deal.Id, converted.GetProperty("convertedOpportunityId").GetGuid());
        Assert.NotEqual(JsonValueKind.Null, converted.GetProperty("convertedAt").ValueKind);

        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().Where(e => e.Seq > since).Select(e => new { e.Type, e.Subject, e.Data }).ToListAsync());
        var convertedEvent = Assert.Single(events, e => e.Type == "lead.converted");
        Assert.Equal($"leads/{lead.Id()}", convertedEvent.Subject);
        using var data = JsonDocument.Parse(convertedEvent.Data);
        Assert.Equal(customerId, data.RootElement.GetProperty("customerId").GetGuid());
        Assert.Equal(deal.Id, data.RootElement.GetProperty("dealId").GetGuid());
        Assert.Equal(contact.Id, data.RootElement.GetProperty("contactId").GetGuid());
        Assert.Contains(events, e => e.Type == "customer.created");
        Assert.Contains(events, e => e.Type == "deal.created");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_LeadWithoutCompany_CreatesIndividualAndContact_NoDeal(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var before = await CountsAsync(app);
        var lead = await LeadAsync(app.Client, new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });

        var result = await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { })).ExpectAsync(HttpStatusCode.Created);

        var customer = await (await app.Client.GetAsync($"/api/v1/customers/{result.GetProperty("customerId").GetGuid()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("individual", customer.Str("type"));
        Assert.Equal("Ann Lee", customer.Str("displayName"));
        Assert.Equal(app.Admin.Id, customer.GetProperty("ownerId").GetGuid());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("accountId").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("dealId").ValueKind);
        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 1, before.Accounts, before.Contacts + 1, before.Deals), (after.Customers, after.Accounts, after.Contacts, after.Deals));
        var customerId = result.GetProperty("customerId").GetGuid();
        Assert.Equal("ann@lee.example", (await app.QueryAsync(d => d.Set<Contact>().SingleAsync(c => c.CustomerId == customerId))).Email);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_ToExistingCustomer_LinksItsContactOrAddsOne(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var before = await CountsAsync(app);
        var org = await app.Client.CreateOrganizationAsync("Existing Ltd", account: new { legalName = "Existing Limited" }, primaryContact: new { firstName = "Old", lastName = "Contact", email = "old@existing.example" });
        var existingContactId = (await app.QueryAsync(d => d.Set<Contact>().SingleAsync(c => c.CustomerId == org.Id()))).Id;

        var first = await LeadAsync(app.Client, new { firstName = "New", lastName = "Person", email = "new@existing.example", company = "Existing" });
        var linked = await (await app.Client.PostJsonAsync($"/api/v1/leads/{first.Id()}/convert", new
        {
            customer = new { existingCustomerId = org.Id() },
            contact = new { existingContactId },
        })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(org.Id(), linked.GetProperty("customerId").GetGuid());
        Assert.Equal(existingContactId, linked.GetProperty("contactId").GetGuid());

        var second = await LeadAsync(app.Client, new { firstName = "Second", lastName = "Buyer", email = "second@existing.example" });
        var added = await (await app.Client.PostJsonAsync($"/api/v1/leads/{second.Id()}/convert", new
        {
            customer = new { existingCustomerId = org.Id() },
        })).ExpectAsync(HttpStatusCode.Created);
        var contact = await app.QueryAsync(d => d.Set<Contact>().SingleAsync(c => c.FirstName == "Second"));
        Assert.Equal(contact.Id, added.GetProperty("contactId").GetGuid());
        Assert.Equal(org.Id(), contact.CustomerId);
        Assert.False(contact.IsPrimary);

        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 1, before.Accounts + 1, before.Contacts + 2), (after.Customers, after.Accounts, after.Contacts));
        var accountId = await app.QueryAsync(d => d.Set<Account>().Where(a => a.CustomerId == org.Id()).Select(a => a.Id).SingleAsync());
        Assert.Equal(accountId, added.GetProperty("accountId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_MovesTheLeadsTouches_ToTheCustomersTimeline(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = (await CountsAsync(app)).Interactions;
        var lead = await LeadAsync(app.Client, new { firstName = "Tom", lastName = "Ito", email = "tom@ito.example" });
        var now = DateTime.UtcNow;
        var touches = await TouchesAsync(app, lead.Id(),
            (InteractionType.Call, Direction.Outbound, "Intro call", now.AddDays(-3), InteractionOutcome.NoAnswer),
            (InteractionType.Email, Direction.Inbound, "Re: pricing", now.AddDays(-1), null));

        var result = await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(2, result.GetProperty("movedInteractions").GetInt32());

        var customerId = result.GetProperty("customerId").GetGuid();
        Assert.Equal(interactionsBefore + 2, (await CountsAsync(app)).Interactions);
        var interactions = await app.QueryAsync(d => d.Set<Interaction>().Where(i => i.CustomerId == customerId).OrderBy(i => i.OccurredAt).ToListAsync());
        Assert.Equal(2, interactions.Count);
        Assert.All(interactions, i => Assert.Equal((customerId, result.GetProperty("contactId").GetGuid(), RelatedRecordType.Lead, lead.Id()), (i.CustomerId, i.ContactId!.Value, i.RelatedType!.Value, i.RelatedId!.Value)));
        Assert.Equal((InteractionType.Call, Direction.Outbound, "Intro call", InteractionOutcome.NoAnswer), (interactions[0].InteractionType, interactions[0].Direction, interactions[0].Subject!, interactions[0].Outcome!.Value));
        Assert.Equal("Description of Intro call", interactions[0].Description);
        var stored = await app.QueryAsync(d => d.Set<LeadInteraction>().Where(t => t.LeadId == lead.Id()).ToDictionaryAsync(t => t.Id, t => t.InteractionId));
        Assert.Equal(interactions[0].Id, stored[touches[0]]);
        Assert.Equal(interactions[1].Id, stored[touches[1]]);

        var timeline = await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/timeline")).ExpectAsync(HttpStatusCode.OK);
        var titles = timeline.Items().Where(i => i.Str("kind") == "interaction").Select(i => i.Id()).ToList();
        Assert.Equal([interactions[1].Id, interactions[0].Id], titles);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_BadInput_NamesTheField_AndWritesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var before = await CountsAsync(app);
        var since = await app.LastEventSeqAsync();
        var lee = Builders.Unique("Lee");
        var lead = await LeadAsync(app.Client, new { firstName = "Ann", lastName = lee, email = $"ann@{lee}.example", company = $"{lee} & Co" });
        await TouchesAsync(app, lead.Id(), (InteractionType.Call, Direction.Outbound, "Call", DateTime.UtcNow.AddHours(-1), null));

        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { title = "Deal", value = 10, currency = "XYZ" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "deal.currency");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { value = 10, currency = "EUR" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "deal.title");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { title = "Deal", currency = "EUR", stageId = Guid.NewGuid() } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "deal.stageId");
        var wonStage = await app.QueryAsync(d => d.Set<PipelineStage>().Where(s => s.Code == "closed_won").Select(s => s.Id).SingleAsync());
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { title = "Deal", currency = "EUR", stageId = wonStage } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "deal.stageId");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { customer = new { displayName = new string('x', 300) } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customer.displayName");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { customer = new { ownerId = Guid.NewGuid() } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customer.ownerId");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { contact = new { email = "nope" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "contact.email");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { customer = new { existingCustomerId = Guid.NewGuid() } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customer.existingCustomerId");
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { contact = new { existingContactId = Guid.NewGuid() } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "contact.existingContactId");

        // A lead with no name cannot make a contact without one being given.
        var nameless = await LeadAsync(app.Client, new { email = $"who@{lee}.example" });
        await (await app.Client.PostJsonAsync($"/api/v1/leads/{nameless.Id()}/convert", new { })).ExpectProblemAsync(HttpStatusCode.BadRequest, "contact.firstName");

        Assert.Equal(before, await CountsAsync(app));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.Type == "lead.converted" && e.Seq > since)));
        var stored = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == lead.Id()));
        Assert.Equal((LeadStatus.Active, (Guid?)null, 1), (stored.Status, stored.ConvertedCustomerId, stored.Version));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_Retried_AnswersTheSameResult_AndWritesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var before = await CountsAsync(app);
        var lee = Builders.Unique("Lee");
        var lead = await LeadAsync(app.Client, new { firstName = "Ann", lastName = lee, email = $"ann@{lee}.example", company = $"{lee} & Co", budgetAmount = 100, budgetCurrency = "EUR" });
        await TouchesAsync(app, lead.Id(), (InteractionType.Call, Direction.Outbound, "Call", DateTime.UtcNow.AddHours(-1), null));
        var first = await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { title = "Deal" } })).ExpectAsync(HttpStatusCode.Created);
        var eventsBefore = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync());

        // A retry, even with a different body, answers what the lead became.
        var again = await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { customer = new { type = "individual" } })).ExpectAsync(HttpStatusCode.OK);

        foreach (var field in new[] { "customerId", "contactId", "accountId", "dealId" })
        {
            Assert.Equal(first.GetProperty(field).GetGuid(), again.GetProperty(field).GetGuid());
        }

        Assert.Equal(1, again.GetProperty("movedInteractions").GetInt32());
        Assert.Equal(first.GetProperty("lead").GetProperty("version").GetInt32(), again.GetProperty("lead").GetProperty("version").GetInt32());
        Assert.Equal(eventsBefore, await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync()));
        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 1, before.Interactions + 1), (after.Customers, after.Interactions));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_EightConcurrentRetries_CreateOneCustomerAndOneDeal(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var before = await CountsAsync(app);
        var since = await app.LastEventSeqAsync();
        var lee = Builders.Unique("Lee");
        var lead = await LeadAsync(app.Client, new { firstName = "Ann", lastName = lee, email = $"ann@{lee}.example", company = $"{lee} & Co" });
        await TouchesAsync(app, lead.Id(), (InteractionType.Call, Direction.Outbound, "Call", DateTime.UtcNow.AddHours(-1), null));
        var clients = Enumerable.Range(0, 8).Select(_ =>
        {
            var client = app.NewClient(null);
            client.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
            return client;
        }).ToList();

        var responses = await Task.WhenAll(clients.Select(c =>
            c.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { deal = new { title = "Deal", value = 500, currency = "EUR" } })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        Assert.Single(bodies.Select(b => (b.GetProperty("customerId").GetGuid(), b.GetProperty("dealId").GetGuid())).Distinct());
        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 1, before.Contacts + 1, before.Deals + 1, before.Interactions + 1), (after.Customers, after.Contacts, after.Deals, after.Interactions));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.Type == "lead.converted" && e.Seq > since)));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Convert_OutOfReach_Is404_LostIs409_AndNeedsPermission(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var teamA = await app.TeamAsync();
        var teamB = await app.TeamAsync();
        var (owner, ownerClient) = await app.UserAsync(Role.Rep, teamA.Id);
        var (_, outsider) = await app.UserAsync(Role.Rep, teamB.Id);
        var (_, viewer) = await app.UserAsync(Role.Viewer);
        var customersBefore = (await CountsAsync(app)).Customers;
        var lee = Builders.Unique("Lee");
        var lead = await LeadAsync(app.Client, new { firstName = "Ann", lastName = lee, email = $"ann@{lee}.example", assignedTo = owner.Id });

        await (await outsider.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { })).StatusCode);
        Assert.Equal(customersBefore, (await CountsAsync(app)).Customers);

        var lost = await LeadAsync(app.Client, new { firstName = "Lo", lastName = "St", email = $"lost@{lee}.example", assignedTo = owner.Id });
        await app.QueryAsync(async d =>
        {
            var row = await d.Set<Lead>().IgnoreQueryFilters().SingleAsync(l => l.Id == lost.Id());
            row.Status = LeadStatus.Lost;
            row.LostReason = "Went elsewhere";
            return await d.SaveChangesAsync();
        });
        await (await ownerClient.PostJsonAsync($"/api/v1/leads/{lost.Id()}/convert", new { })).ExpectProblemAsync(HttpStatusCode.Conflict, "status");

        var result = await (await ownerClient.PostJsonAsync($"/api/v1/leads/{lead.Id()}/convert", new { })).ExpectAsync(HttpStatusCode.Created);
        var customer = await (await ownerClient.GetAsync($"/api/v1/customers/{result.GetProperty("customerId").GetGuid()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(owner.Id, customer.GetProperty("ownerId").GetGuid());
    }

    /// <summary>How many customers, accounts, contacts, deals and interactions there are now (deleted ones left out, as the tests read them).</summary>
    private static Task<(int Customers, int Accounts, int Contacts, int Deals, int Interactions)> CountsAsync(AidaApp app) =>
        app.QueryAsync(async d => (await d.Set<Customer>().CountAsync(), await d.Set<Account>().CountAsync(), await d.Set<Contact>().CountAsync(),
            await d.Set<Opportunity>().CountAsync(), await d.Set<Interaction>().CountAsync()));

    private static async Task<JsonElement> LeadAsync(HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/leads", body)).ExpectAsync(HttpStatusCode.Created);

    /// <summary>A lead's touches, stored directly: logging them has its own endpoint, not under test here.</summary>
    private static async Task<List<Guid>> TouchesAsync(AidaApp app, Guid leadId, params (InteractionType Type, Direction Direction, string Subject, DateTime OccurredAt, InteractionOutcome? Outcome)[] touches) =>
        await app.QueryAsync(async d =>
        {
            var rows = touches.Select(t => new LeadInteraction
            {
                LeadId = leadId,
                InteractionType = t.Type,
                Direction = t.Direction,
                Subject = t.Subject,
                Description = "Description of " + t.Subject,
                OccurredAt = Aida.Platform.Time.Truncate(t.OccurredAt),
                Outcome = t.Outcome,
                CreatedBy = app.Admin.Id,
            }).ToList();
            d.AddRange(rows);
            await d.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });
}
