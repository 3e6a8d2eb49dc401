using System.Net;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>Connect, follow-ups, qualification and closing of a lead through the API.</summary>
public sealed class LeadWorkflowTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FirstOutboundTouch_ConnectsTheLead_Once(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var lead = await app.Client.CreateLeadAsync(new { email = "c@firm.example" });

        var inbound = await app.Client.TouchAsync(lead.Id(), "inbound", "email");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, inbound.GetProperty("connectedAt").ValueKind);
        var first = await app.Client.TouchAsync(lead.Id(), "outbound");
        var second = await app.Client.TouchAsync(lead.Id(), "outbound", "email");

        Assert.Equal(first.GetProperty("connectedAt").GetDateTime(), second.GetProperty("connectedAt").GetDateTime());
        Assert.Equal(2, second.GetProperty("followUpCount").GetInt32());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, second.GetProperty("lastContactAt").ValueKind);
        Assert.Single(await app.EventsAsync("lead.connected", lead.Id()));
        var touches = await (await app.Client.GetAsync($"/api/v1/leads/{lead.Id()}/interactions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["outbound email", "outbound call", "inbound email"], touches.Items().Select(t => t.Str("subject")).ToArray());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ConcurrentTouches_AreAllCounted_AndConnectOnce(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var lead = await app.Client.CreateLeadAsync(new { email = "busy@firm.example" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/interactions", new { interactionType = "call", direction = "outbound" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(4, (await app.Client.LeadAsync(lead.Id())).GetProperty("followUpCount").GetInt32());
        Assert.Single(await app.EventsAsync("lead.connected", lead.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MaxFollowUpsWithoutAnswer_MakesTheLeadUnresponsive_AndAnAnswerReactivatesIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await (await app.Client.PatchJsonAsync("/api/v1/lead-settings", new { maxFollowUps = 3 })).ExpectAsync(HttpStatusCode.OK);
        var lead = await app.Client.CreateLeadAsync(new { email = "quiet@firm.example" });

        await app.Client.TouchAsync(lead.Id(), "outbound");
        await app.Client.TouchAsync(lead.Id(), "inbound", "email");
        await app.Client.TouchAsync(lead.Id(), "outbound");
        var stillActive = await app.Client.TouchAsync(lead.Id(), "outbound");
        Assert.Equal(("active", 2), (stillActive.Str("status"), stillActive.GetProperty("followUpCount").GetInt32()));
        var unresponsive = await app.Client.TouchAsync(lead.Id(), "outbound", "email");
        Assert.Equal(("unresponsive", 3), (unresponsive.Str("status"), unresponsive.GetProperty("followUpCount").GetInt32()));
        var marked = Assert.Single(await app.EventsAsync("lead.unresponsive", lead.Id()));
        Assert.Equal(3, marked.GetProperty("maxFollowUps").GetInt32());
        Assert.Equal("unresponsive", (await app.Client.TouchAsync(lead.Id(), "outbound")).Str("status"));
        Assert.Single(await app.EventsAsync("lead.unresponsive", lead.Id()));

        var answered = await app.Client.TouchAsync(lead.Id(), "inbound", "email");

        Assert.Equal(("active", 0, "qualifying"), (answered.Str("status"), answered.GetProperty("followUpCount").GetInt32(), answered.Str("qualificationStatus")));
        Assert.Single(await app.EventsAsync("lead.reactivated", lead.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Touch_BadInput_IsRefusedNamingTheField_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadInteractionsBefore = await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync());
        var lead = await app.Client.CreateLeadAsync(new { email = "t@firm.example" });

        var problem = await (await app.Client.PostJsonAsync($"/api/v1/leads/{lead.Id()}/interactions", new { subject = "?", occurredAt = DateTimeOffset.UtcNow.AddDays(3) }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "interactionType", "direction", "occurredAt" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }

        await (await app.Client.PostJsonAsync($"/api/v1/leads/{Guid.NewGuid()}/interactions", new { interactionType = "call", direction = "outbound" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(leadInteractionsBefore, await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync()));
        Assert.Equal(0, (await app.Client.LeadAsync(lead.Id())).GetProperty("followUpCount").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task QualifyDisqualifyLoseReopen_NeedReasonsWhereTheSpecSays_AndEmitTheirEvents(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var lead = await app.Client.CreateLeadAsync(new { email = "q@firm.example" });
        var url = $"/api/v1/leads/{lead.Id()}";

        await (await app.Client.PostJsonAsync($"{url}/disqualify", new { reason = "  " })).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await app.Client.PostJsonAsync($"{url}/lose", new { })).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await app.Client.SendJsonAsync(HttpMethod.Post, $"{url}/qualify", new { }, "\"7\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("unqualified", (await app.Client.LeadAsync(lead.Id())).Str("qualificationStatus"));

        var qualified = await (await app.Client.SendJsonAsync(HttpMethod.Post, $"{url}/qualify", new { reason = "Budget confirmed" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("qualified", "Budget confirmed"), (qualified.Str("qualificationStatus"), qualified.Str("qualificationReason")));
        await (await app.Client.PostJsonAsync($"{url}/qualify", new { reason = "Budget confirmed" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(await app.EventsAsync("lead.qualified", lead.Id()));

        var disqualified = await (await app.Client.PostJsonAsync($"{url}/disqualify", new { reason = "Student project" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("disqualified", disqualified.Str("qualificationStatus"));
        Assert.Equal("Student project", Assert.Single(await app.EventsAsync("lead.disqualified", lead.Id())).Str("reason"));

        var lost = await (await app.Client.PostJsonAsync($"{url}/lose", new { reason = "Went with a competitor" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("lost", "Went with a competitor"), (lost.Str("status"), lost.Str("lostReason")));
        Assert.Single(await app.EventsAsync("lead.lost", lead.Id()));
        await (await app.Client.PostJsonAsync($"{url}/lose", new { reason = "Again" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"{url}/qualify", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var reopened = await (await app.Client.PostJsonAsync($"{url}/reopen", new { })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("active", "unqualified"), (reopened.Str("status"), reopened.Str("qualificationStatus")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reopened.GetProperty("lostReason").ValueKind);
        await (await app.Client.PostJsonAsync($"{url}/reopen", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ConvertedLead_RefusesEveryWorkflowChangeWith409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadInteractionsBefore = await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync());
        var lead = await app.Client.CreateLeadAsync(new { email = "won@firm.example" });
        var customer = (await app.Client.CreateOrganizationAsync()).Id();
        await app.QueryAsync(async d =>
        {
            var stored = await d.Set<Lead>().SingleAsync(l => l.Id == lead.Id());
            stored.Status = LeadStatus.Converted;
            stored.ConvertedCustomerId = customer;
            return await d.SaveChangesAsync();
        });
        var url = $"/api/v1/leads/{lead.Id()}";

        await (await app.Client.PostJsonAsync($"{url}/qualify", new { })).ExpectProblemAsync(HttpStatusCode.Conflict, "status");
        await (await app.Client.PostJsonAsync($"{url}/disqualify", new { reason = "x" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"{url}/lose", new { reason = "x" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"{url}/reopen", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"{url}/schedule-follow-up", new { at = DateTimeOffset.UtcNow.AddDays(2) })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"{url}/interactions", new { interactionType = "call", direction = "outbound" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(leadInteractionsBefore, await app.QueryAsync(d => d.Set<LeadInteraction>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ScheduleFollowUp_SetsTheDate_AndTheNextOutboundTouchClearsIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var lead = await app.Client.CreateLeadAsync(new { email = "f@firm.example" });
        var url = $"/api/v1/leads/{lead.Id()}/schedule-follow-up";

        await (await app.Client.PostJsonAsync(url, new { at = DateTimeOffset.UtcNow.AddHours(-1) })).ExpectProblemAsync(HttpStatusCode.BadRequest, "at");
        await (await app.Client.PostJsonAsync(url, new { })).ExpectProblemAsync(HttpStatusCode.BadRequest, "at");
        var due = DateTimeOffset.UtcNow.AddHours(20);
        var scheduled = await (await app.Client.PostJsonAsync(url, new { at = due })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(due.UtcDateTime, scheduled.GetProperty("nextFollowUpAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));

        var chased = await app.Client.TouchAsync(lead.Id(), "outbound");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, chased.GetProperty("nextFollowUpAt").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ARepOfAnotherTeam_GetsNotFound_ForTheLeadAndItsWorkflow(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (owner, ownerApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (_, stranger) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var lead = await app.Client.CreateLeadAsync(new { email = "mine@firm.example", assignedTo = owner.Id });
        var url = $"/api/v1/leads/{lead.Id()}";

        await (await stranger.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"{url}/interactions")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostJsonAsync($"{url}/interactions", new { interactionType = "call", direction = "outbound" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostJsonAsync($"{url}/qualify", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostJsonAsync($"{url}/lose", new { reason = "mine now" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("active", (await ownerApi.LeadAsync(lead.Id())).Str("status"));
        Assert.Equal(1, (await ownerApi.TouchAsync(lead.Id(), "outbound")).GetProperty("followUpCount").GetInt32());
    }
}
