using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// Issue 14: capture deduplicates across the whole CRM, but its answer shows the caller only what they may
/// see. A rep of team B capturing a person team A already has gets the same 202 as for a new lead routed
/// out of their reach — no id, no header — while team A finds the capture on its record, by B, inbound.
/// </summary>
public sealed class CaptureReachTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private sealed record Teams(AidaApp App, User RepA, HttpClient RepAApi, HttpClient TeammateA, User RepB, HttpClient RepBApi);

    private static async Task<Teams> TwoTeamsAsync(AidaApp app)
    {
        var teamA = await app.TeamAsync();
        var teamB = await app.TeamAsync();
        var (repA, repAApi) = await app.UserAsync(Role.Rep, teamA.Id);
        var (_, teammateA) = await app.UserAsync(Role.Rep, teamA.Id);
        var (repB, repBApi) = await app.UserAsync(Role.Rep, teamB.Id);
        return new Teams(app, repA, repAApi, teammateA, repB, repBApi);
    }

    /// <summary>Status, the headers that could name a record, and the raw body.</summary>
    private static async Task<(HttpStatusCode Status, string? DuplicateOf, string? Location, bool ETag, string Body)> AnswerAsync(HttpResponseMessage response) =>
        (response.StatusCode,
            response.Headers.TryGetValues(CaptureAttachedResponse.DuplicateOfHeader, out var of) ? of.Single() : null,
            response.Headers.Location?.ToString(),
            response.Headers.ETag is not null,
            await response.Content.ReadAsStringAsync());

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_OfAnotherTeamsLead_AnswersLikeANewLeadOutOfReach_AndTheOwnerSeesAnInboundTouchByTheCaller(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var t = await TwoTeamsAsync(app);
        var email = $"{Builders.Unique("known")}@example.com";
        var lead = await app.Client.CreateLeadAsync(new { firstName = "Known", email, assignedTo = t.RepA.Id });

        var known = await AnswerAsync(await t.RepBApi.PostJsonAsync("/api/v1/leads", new { email = email.ToUpperInvariant(), needs = "A quote", jobTitle = "Buyer" }));
        // A person nobody has: the new lead waits in the unassigned pool, which a rep does not reach either.
        var unknown = await AnswerAsync(await t.RepBApi.PostJsonAsync("/api/v1/leads", new { email = $"{Builders.Unique("new")}@example.com", needs = "A quote", jobTitle = "Buyer" }));

        Assert.Equal(HttpStatusCode.Accepted, known.Status);
        Assert.Equal(unknown, known);
        Assert.Null(known.DuplicateOf);
        Assert.Null(known.Location);
        Assert.False(known.ETag);
        Assert.Equal("accepted", JsonDocument.Parse(known.Body).RootElement.Str("status"));
        Assert.DoesNotContain(lead.Id().ToString(), known.Body, StringComparison.OrdinalIgnoreCase);
        await (await t.RepBApi.GetAsync($"/api/v1/leads/{lead.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The owner's side: the capture joined their lead as an inbound touch by the rep who captured it.
        var seen = await t.RepAApi.LeadAsync(lead.Id());
        Assert.Equal(2, seen.GetProperty("captureCount").GetInt32());
        Assert.Equal("Buyer", seen.Str("jobTitle"));
        var touch = Assert.Single((await (await t.RepAApi.GetAsync($"/api/v1/leads/{lead.Id()}/interactions")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal("inbound", touch.Str("direction"));
        Assert.Equal(t.RepB.Id, touch.GetProperty("createdBy").GetGuid());
        Assert.Equal("A quote", touch.Str("description"));

        // Someone who may see the lead is still told where the capture went.
        var response = await t.TeammateA.PostJsonAsync("/api/v1/leads", new { email });
        var attached = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(lead.Id(), attached.GetProperty("leadId").GetGuid());
        Assert.Equal($"/api/v1/leads/{lead.Id()}", response.Headers.GetValues(CaptureAttachedResponse.DuplicateOfHeader).Single());
        Assert.Equal(3, attached.GetProperty("lead").GetProperty("captureCount").GetInt32());
    }

    [Fact]
    public async Task OpenApi_DocumentsThe202ReceiptOfCaptureAndOfAReceivedMessage()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);

        var paths = (await (await app.Client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK)).GetProperty("paths");

        foreach (var path in new[] { "/api/v1/leads", "/api/v1/communications" })
        {
            var responses = paths.GetProperty(path).GetProperty("post").GetProperty("responses");
            Assert.True(responses.TryGetProperty("202", out var accepted), $"{path} documents no 202");
            Assert.True(accepted.TryGetProperty("content", out _), $"{path} documents no body for 202");
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Capture_OfAnotherTeamsContact_AnswersLikeANewLeadOutOfReach_AndLogsAnInboundInteractionByTheCaller(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var t = await TwoTeamsAsync(app);
        var email = $"{Builders.Unique("client")}@example.com";
        var customer = await t.RepAApi.CreateIndividualAsync("Known Client", email: email, ownerId: t.RepA.Id);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync());

        var known = await AnswerAsync(await t.RepBApi.PostJsonAsync("/api/v1/leads", new { email, needs = "Wants a call" }));
        var unknown = await AnswerAsync(await t.RepBApi.PostJsonAsync("/api/v1/leads", new { email = $"{Builders.Unique("new")}@example.com", needs = "Wants a call" }));

        Assert.Equal(HttpStatusCode.Accepted, known.Status);
        Assert.Equal(unknown, known);
        Assert.DoesNotContain(customer.Id().ToString(), known.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync())); // only the unknown person's

        var logged = Assert.Single((await (await t.RepAApi.GetAsync($"/api/v1/interactions?customerId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal("inbound", logged.Str("direction"));
        Assert.Equal(t.RepB.Id, logged.GetProperty("createdBy").GetGuid());
        Assert.Equal("Wants a call", logged.Str("description"));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.CustomerId == customer.Id())));
    }
}
