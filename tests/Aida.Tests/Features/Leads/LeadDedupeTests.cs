using System.Net;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

public sealed class LeadDedupeTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_SameEmailInOtherCase_AttachesToOpenLead_FillsBlanksOnly(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var touchesBefore = await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync());
        var since = await app.LastEventSeqAsync();
        var first = await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Rosa", email = "Rosa.Diaz@Example.com", company = "Diaz Repairs" }))
            .ExpectAsync(HttpStatusCode.Created);

        var response = await app.Client.PostJsonAsync("/api/v1/leads",
            new { firstName = "Rosalind", lastName = "Diaz", email = "  rosa.diaz@EXAMPLE.com ", company = "Other Co", jobTitle = "Owner", needs = "Two more laptops" });
        var attached = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal($"/api/v1/leads/{first.Id()}", response.Headers.GetValues("Aida-Duplicate-Of").Single());
        Assert.Equal("attached_to_lead", attached.Str("outcome"));
        Assert.Equal(first.Id(), attached.GetProperty("leadId").GetGuid());
        var lead = attached.GetProperty("lead");
        Assert.Equal("Rosa", lead.Str("firstName"));
        Assert.Equal("Diaz", lead.Str("lastName"));
        Assert.Equal("Diaz Repairs", lead.Str("company"));
        Assert.Equal("Owner", lead.Str("jobTitle"));
        Assert.Equal("Two more laptops", lead.Str("needs"));
        Assert.Equal(2, lead.GetProperty("captureCount").GetInt32());

        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        Assert.Equal(touchesBefore + 1, await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync()));
        var touch = await app.QueryAsync(d => d.Set<LeadInteraction>().SingleAsync(i => i.LeadId == first.Id()));
        Assert.Equal(first.Id(), touch.LeadId);
        Assert.Equal(Direction.Inbound, touch.Direction);
        Assert.Equal("Captured again via API", touch.Subject);
        var captured = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "lead.captured" && e.Seq > since).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, captured.Count);
        Assert.Equal(first.Id(), System.Text.Json.JsonDocument.Parse(captured[1].Data).RootElement.GetProperty("duplicateOf").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_SamePhoneInOtherPunctuation_AttachesToOpenLead(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var first = await (await app.Client.PostJsonAsync("/api/v1/leads", new { phone = "+1 (555) 010-9999" })).ExpectAsync(HttpStatusCode.Created);

        var response = await app.Client.PostJsonAsync("/api/v1/leads", new { phone = "555.010.9999", email = "new@example.com" });
        var attached = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first.Id(), attached.GetProperty("leadId").GetGuid());
        Assert.Equal("new@example.com", attached.GetProperty("lead").Str("email"));
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_MatchingAContact_LogsAnInteractionOnItsCustomer_AndMakesNoLead(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateIndividualAsync("Known Person", email: "known@example.com", phone: "+44 20 7946 0958");
        var contactId = await app.QueryAsync(d => d.Set<Aida.Features.Customers.Contacts.Contact>().Where(c => c.CustomerId == customer.Id()).Select(c => c.Id).SingleAsync());
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync());
        var since = await app.LastEventSeqAsync();

        var byEmail = await app.Client.PostJsonAsync("/api/v1/leads", new { email = "KNOWN@example.com", needs = "A new quote" });
        var body = await byEmail.ExpectAsync(HttpStatusCode.OK);
        var byPhone = await (await app.Client.PostJsonAsync("/api/v1/leads", new { phone = "020 7946 0958" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("attached_to_contact", body.Str("outcome"));
        Assert.Equal(contactId, body.GetProperty("contactId").GetGuid());
        Assert.Equal(customer.Id(), body.GetProperty("customerId").GetGuid());
        Assert.Equal($"/api/v1/customers/{customer.Id()}/contacts/{contactId}", byEmail.Headers.GetValues("Aida-Duplicate-Of").Single());
        Assert.Equal(contactId, byPhone.GetProperty("contactId").GetGuid());
        Assert.Equal(leadsBefore, await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync()));
        var interactions = await app.QueryAsync(d => d.Set<Interaction>().Where(i => i.CustomerId == customer.Id()).OrderBy(i => i.Id).ToListAsync());
        Assert.Equal(2, interactions.Count);
        Assert.All(interactions, i => Assert.Equal(Direction.Inbound, i.Direction));
        Assert.Equal("Lead capture", interactions[0].Subject);
        Assert.Equal("A new quote", interactions[0].Description);
        var captured = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "lead.captured" && e.Seq > since).ToListAsync());
        Assert.Equal(2, captured.Count);
        Assert.All(captured, e => Assert.Equal(customer.Id(),
            System.Text.Json.JsonDocument.Parse(e.Data).RootElement.GetProperty("attachedTo").GetProperty("customerId").GetGuid()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_DeletedOrConvertedLeads_AreNotMatched(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var deleted = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "again@example.com" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.DeleteAsync($"/api/v1/leads/{deleted.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        var lost = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "lost@example.com" })).ExpectAsync(HttpStatusCode.Created);
        await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == lost.Id()).ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LeadStatus.Lost)));
        var customer = await app.Client.CreateIndividualAsync("Gone Person", email: "gone-contact@example.com");
        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        var again = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "again@example.com" })).ExpectAsync(HttpStatusCode.Created);
        var reopened = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "lost@example.com" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "gone-contact@example.com" })).ExpectAsync(HttpStatusCode.Created);

        Assert.NotEqual(deleted.Id(), again.Id());
        Assert.NotEqual(lost.Id(), reopened.Id());
        Assert.Equal(leadsBefore + 4, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
    }
}
