using System.Data.Common;
using System.Net;
using System.Text.Json;
using Aida.Features.Lifecycle;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Features.Deals;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// WF-LC-001 through the API: where a customer starts, allowed and refused moves, the administrator's
/// override, approval by a manager, the history (CustomerLifecycle AC-1, LifecycleHistory AC-1) and the
/// events <c>customer.stage_changed</c> and <c>customer.retained</c>.
/// </summary>
public sealed class LifecycleApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static readonly Guid Lead = LifecycleStage.LeadId;
    private static readonly Guid Prospect = LifecycleStage.ProspectId;
    private static readonly Guid Opportunity = LifecycleStage.OpportunityId;
    private static readonly Guid Customer = LifecycleStage.CustomerId;
    private static readonly Guid Churned = LifecycleStage.ChurnedId;
    private static readonly Guid WonBack = LifecycleStage.WonBackId;

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ANewCustomer_StartsByItsStatus_AndAllowedMoves_AreRecordedAndAnnounced(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateIndividualAsync();
        var id = customer.Id();

        var start = await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("prospect", start.GetProperty("stage").Str("code"));
        Assert.Equal(
            new[] { "lead", "opportunity", "churned" },
            start.GetProperty("allowedMoves").EnumerateArray().Select(m => m.GetProperty("to").Str("code")).ToArray());

        var toOpportunity = await (await MoveAsync(app.Client, id, Opportunity, "Asked for a quote")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("moved", toOpportunity.Str("outcome"));
        var toCustomer = await (await MoveAsync(app.Client, id, Customer)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("customer", toCustomer.GetProperty("lifecycle").GetProperty("stage").Str("code"));
        Assert.Equal("opportunity", toCustomer.GetProperty("lifecycle").GetProperty("previousStage").Str("code"));
        // Sent twice: already there, nothing recorded again.
        Assert.Equal("unchanged", (await (await MoveAsync(app.Client, id, Customer)).ExpectAsync(HttpStatusCode.OK)).Str("outcome"));

        var history = await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK);
        var entries = history.EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal(("opportunity", "customer"), (entries[0].GetProperty("from").Str("code"), entries[0].GetProperty("to").Str("code")));
        Assert.Equal(("prospect", "opportunity"), (entries[1].GetProperty("from").Str("code"), entries[1].GetProperty("to").Str("code")));
        Assert.Equal("Asked for a quote", entries[1].Str("reason"));
        Assert.All(entries, e => Assert.Equal("api", e.Str("trigger")));
        Assert.All(entries, e => Assert.Equal(app.Admin.Id, e.GetProperty("changedBy").GetGuid()));

        // Becoming a customer is the "retained" step of AIDA; moving between pipeline stages is not.
        var events = await EventTypesAsync(app, id);
        Assert.Equal(new[] { "customer.stage_changed", "customer.stage_changed", "customer.retained" }, events);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ABackwardMove_IsRefused_UnlessAnAdministratorOverridesItWithAReason(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var id = (await repClient.CreateIndividualAsync()).Id();
        await (await MoveAsync(repClient, id, Opportunity)).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(repClient, id, Customer)).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await MoveAsync(repClient, id, Lead)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("At Risk", refused.Str("detail"), StringComparison.Ordinal);
        await (await MoveAsync(repClient, id, Lead, "Wrong stage", @override: true)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await MoveAsync(app.Client, id, Lead, reason: null, @override: true)).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");

        var overridden = await (await MoveAsync(app.Client, id, Lead, "Imported in the wrong stage", @override: true)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("lead", overridden.GetProperty("lifecycle").GetProperty("stage").Str("code"));
        var latest = (await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().First();
        Assert.True(latest.GetProperty("isOverride").GetBoolean());
        Assert.Equal(app.Admin.Id, latest.GetProperty("changedBy").GetGuid());
        Assert.Equal(rep.Id, (await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK))
            .EnumerateArray().Last().GetProperty("changedBy").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AMoveThatRequiresApproval_WaitsForAManager_AndIsAppliedOnlyWhenApproved(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var original = await TransitionsAsync(app);
        try
        {
            // Churning a customer needs a manager's word.
            await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/lifecycle/transitions", new
            {
                rules = original.Select(r => new { r.From, r.To, requiresApproval = (r.From == Customer && r.To == Churned) || r.RequiresApproval })
                    .Select(r => new { fromStageId = r.From, toStageId = r.To, r.requiresApproval }).ToArray(),
            }, null)).ExpectAsync(HttpStatusCode.OK);
            var (manager, managerClient) = await app.UserAsync(Role.Manager);
            var team = await app.TeamAsync(manager.Id);
            var (rep, repClient) = await app.UserAsync(Role.Rep, team.Id);
            var approved = await CustomerInStageAsync(repClient);
            var rejected = await CustomerInStageAsync(repClient);

            var waiting = await (await MoveAsync(repClient, approved, Churned, "Cancelled the contract")).ExpectAsync(HttpStatusCode.Accepted);
            Assert.Equal("pending", waiting.Str("outcome"));
            Assert.Equal("customer", waiting.GetProperty("lifecycle").GetProperty("stage").Str("code"));
            Assert.Equal("churned", waiting.GetProperty("lifecycle").GetProperty("pendingRequest").GetProperty("to").Str("code"));
            await (await MoveAsync(repClient, approved, Churned, "Again")).ExpectProblemAsync(HttpStatusCode.Conflict);
            var otherRequest = (await (await MoveAsync(repClient, rejected, Churned, "Went quiet")).ExpectAsync(HttpStatusCode.Accepted))
                .GetProperty("request").Id();
            await (await repClient.GetAsync("/api/v1/lifecycle/approvals")).ExpectProblemAsync(HttpStatusCode.Forbidden);

            var pending = await (await managerClient.GetAsync("/api/v1/lifecycle/approvals")).ExpectAsync(HttpStatusCode.OK);
            var request = pending.EnumerateArray().Single(r => r.GetProperty("customerId").GetGuid() == approved);
            Assert.Equal(rep.Id, request.GetProperty("requestedBy").GetGuid());
            var decided = await (await managerClient.PostJsonAsync($"/api/v1/lifecycle/approvals/{request.Id()}/approve", new { note = "Confirmed with finance" }))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("approved", decided.Str("status"));
            await (await managerClient.PostJsonAsync($"/api/v1/lifecycle/approvals/{request.Id()}/reject", new { })).ExpectProblemAsync(HttpStatusCode.Conflict);
            await (await managerClient.PostJsonAsync($"/api/v1/lifecycle/approvals/{otherRequest}/reject", new { note = "Still talking to us" }))
                .ExpectAsync(HttpStatusCode.OK);

            var now = await (await repClient.GetAsync($"/api/v1/customers/{approved}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("churned", now.GetProperty("stage").Str("code"));
            Assert.Equal(JsonValueKind.Null, now.GetProperty("pendingRequest").ValueKind);
            var entry = (await (await repClient.GetAsync($"/api/v1/customers/{approved}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().First();
            Assert.Equal((rep.Id, manager.Id), (entry.GetProperty("changedBy").GetGuid(), entry.GetProperty("approvedBy").GetGuid()));
            var stillCustomer = await (await repClient.GetAsync($"/api/v1/customers/{rejected}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("customer", stillCustomer.GetProperty("stage").Str("code"));

            // A manager's own move of that kind needs no one else's approval.
            var managersOwn = await CustomerInStageAsync(managerClient);
            Assert.Equal("moved", (await (await MoveAsync(managerClient, managersOwn, Churned, "Closed the account")).ExpectAsync(HttpStatusCode.OK)).Str("outcome"));
            Assert.Equal(
                new[] { "customer.stage_change_requested", "customer.stage_change_approved", "customer.stage_changed" },
                (await EventTypesAsync(app, approved)).Where(t => t != "customer.retained").Skip(2).ToArray());
        }
        finally
        {
            await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/lifecycle/transitions", new
            {
                rules = original.Select(r => new { fromStageId = r.From, toStageId = r.To, requiresApproval = r.RequiresApproval }).ToArray(),
            }, null)).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Deals_MoveTheCustomer_OpenedToOpportunity_WonToCustomer_WonAfterChurnToWonBack(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();

        var (deal, etag) = await DealsTesting.CreateDealAsync(app.Client, id);
        Assert.Equal("opportunity", await StageCodeAsync(app, id));
        await (await DealsTesting.MoveAsync(app.Client, deal.Id(), DealsTesting.ClosedWon, etag, "Signed")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("customer", await StageCodeAsync(app, id));

        // Churned, then a new deal is won: the customer is won back.
        await (await MoveAsync(app.Client, id, Churned, "Cancelled")).ExpectAsync(HttpStatusCode.OK);
        var (again, againTag) = await DealsTesting.CreateDealAsync(app.Client, id);
        Assert.Equal("churned", await StageCodeAsync(app, id));
        await (await DealsTesting.MoveAsync(app.Client, again.Id(), DealsTesting.ClosedWon, againTag, "Came back")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("won_back", await StageCodeAsync(app, id));

        var history = (await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToArray();
        Assert.Equal(
            new[] { ("won_back", "rule", "Deal won after churn"), ("churned", "api", null), ("customer", "rule", "Deal won"), ("opportunity", "rule", "Deal opened") },
            history.Select(h => (h.GetProperty("to").Str("code"), h.Str("trigger"), h.GetProperty("ruleName").GetString())).ToArray());
        Assert.All(history.Where(h => h.Str("trigger") == "rule"), h => Assert.Equal(JsonValueKind.Null, h.GetProperty("changedBy").ValueKind));
        Assert.Equal(2, (await EventTypesAsync(app, id)).Count(t => t == "customer.retained"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheHistory_CannotBeChangedOrDeleted_EvenInTheDatabase(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        await (await MoveAsync(app.Client, id, Opportunity, "First")).ExpectAsync(HttpStatusCode.OK);
        var entryId = await app.QueryAsync(d => d.Set<LifecycleHistory>().IgnoreQueryFilters().Where(h => h.CustomerId == id).Select(h => h.Id).SingleAsync());
        var idText = entryId.ToString();

        var key = app.Kind == DatabaseKind.Sqlite ? (object)idText : entryId;
        var update = await Assert.ThrowsAnyAsync<DbException>(() => app.QueryAsync(d => d.Database.ExecuteSqlAsync($"UPDATE lifecycle_history SET reason = 'Rewritten' WHERE id = {key}")));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => app.QueryAsync(d => d.Database.ExecuteSqlAsync($"DELETE FROM lifecycle_history WHERE id = {key}")));
        Assert.Contains("lifecycle history is immutable", update.Message, StringComparison.Ordinal);
        Assert.Contains("lifecycle history is immutable", delete.Message, StringComparison.Ordinal);

        var kept = await app.QueryAsync(d => d.Set<LifecycleHistory>().IgnoreQueryFilters().SingleAsync(h => h.Id == entryId));
        Assert.Equal("First", kept.Reason);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stages_AreAddedEditedAndDeleted_ButNotWhileCustomersAreInThem(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var name = Builders.Unique("Onboarding ");
        var created = await (await app.Client.PostJsonAsync("/api/v1/lifecycle/stages", new { name, category = "customer", phase = "retain", color = "#10B981" }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.StartsWith("onboarding_", created.Str("code"), StringComparison.Ordinal);
        Assert.Equal("#10b981", created.Str("color"));
        Assert.True(created.GetProperty("displayOrder").GetInt32() > 8);

        await (await app.Client.PostJsonAsync("/api/v1/lifecycle/stages", new { name = name.ToUpperInvariant(), category = "customer", phase = "retain" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "name");
        await (await app.Client.PostJsonAsync("/api/v1/lifecycle/stages", new { name = Builders.Unique("Bad "), category = "customer", phase = "retain", color = "green" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "color");
        await (await app.Client.PostJsonAsync("/api/v1/lifecycle/stages", new { name = Builders.Unique("No phase "), category = "customer" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "phase");
        var (_, repClient) = await app.UserAsync(Role.Rep);
        await (await repClient.PostJsonAsync("/api/v1/lifecycle/stages", new { name = Builders.Unique("Rep's "), category = "customer", phase = "retain" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        var url = $"/api/v1/lifecycle/stages/{created.Id()}";
        var reordered = await app.Client.PatchJsonAsync(url, new { displayOrder = 45, isActive = false }, "\"1\"");
        Assert.Equal(45, (await reordered.ExpectAsync(HttpStatusCode.OK)).GetProperty("displayOrder").GetInt32());
        await (await app.Client.PatchJsonAsync(url, new { displayOrder = 46 }, "\"1\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        // AC-2: the default Prospect stage holds every new customer.
        await app.Client.CreateIndividualAsync();
        await (await app.Client.DeleteAsync($"/api/v1/lifecycle/stages/{Prospect}", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.DeleteAsync(url, reordered.ETag())).ExpectAsync(HttpStatusCode.NoContent);
        var stages = await (await app.Client.GetAsync("/api/v1/lifecycle/stages")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(stages.EnumerateArray(), s => s.Id() == created.Id());
        Assert.Contains(stages.EnumerateArray(), s => s.Str("code") == "advocacy" && s.Str("phase") == "retain");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ACustomerOutOfReach_HasNoLifecycle_AndTheStatsCountOnlyWhatTheCallerReaches(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, ownerClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (_, otherClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var id = (await ownerClient.CreateIndividualAsync()).Id();
        await (await MoveAsync(ownerClient, id, Opportunity)).ExpectAsync(HttpStatusCode.OK);

        await (await otherClient.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherClient.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await MoveAsync(otherClient, id, Customer)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var owners = await (await ownerClient.GetAsync("/api/v1/customers/lifecycle/stats")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, owners.GetProperty("total").GetInt32());
        var convert = owners.GetProperty("phases").EnumerateArray().Single(p => p.Str("phase") == "convert");
        Assert.Equal(1, convert.GetProperty("customers").GetInt32());
        Assert.Equal(0, (await (await otherClient.GetAsync("/api/v1/customers/lifecycle/stats")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BadMovesAndTables_AreRefusedWithTheFieldNamed_AndChangeNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        var url = $"/api/v1/customers/{id}/lifecycle";

        await (await app.Client.SendJsonAsync(HttpMethod.Put, url, new { reason = "No stage" }, null)).ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
        await (await MoveAsync(app.Client, id, Guid.CreateVersion7())).ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
        await (await MoveAsync(app.Client, id, Opportunity, new string('x', 501))).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, url, new { stageId = Opportunity }, "\"99\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await MoveAsync(app.Client, Guid.CreateVersion7(), Opportunity)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("prospect", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).GetProperty("stage").Str("code"));

        var before = await TransitionsAsync(app);
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/lifecycle/transitions",
            new { rules = new object[] { new { fromStageId = Lead, toStageId = Prospect }, new { fromStageId = Guid.CreateVersion7(), toStageId = Prospect } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "rules[1].fromStageId");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/lifecycle/transitions",
            new { rules = new object[] { new { fromStageId = Lead, toStageId = Lead } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "rules[0].toStageId");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/lifecycle/transitions",
            new { rules = new object[] { new { fromStageId = Churned, toStageId = WonBack }, new { fromStageId = Churned, toStageId = WonBack } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "rules[1]");
        Assert.Equal(before, await TransitionsAsync(app));
    }

    private static async Task<string> StageCodeAsync(AidaApp app, Guid customerId) =>
        (await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/lifecycle")).ExpectAsync(HttpStatusCode.OK)).GetProperty("stage").Str("code");

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid customerId, Guid stageId, string? reason = null, bool @override = false) =>
        client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{customerId}/lifecycle", new { stageId, reason, @override }, null);

    /// <summary>A new customer of <paramref name="client"/>'s, moved along the allowed path into the Customer stage.</summary>
    private static async Task<Guid> CustomerInStageAsync(HttpClient client)
    {
        var id = (await client.CreateIndividualAsync()).Id();
        await (await MoveAsync(client, id, Opportunity)).ExpectAsync(HttpStatusCode.OK);
        await (await MoveAsync(client, id, Customer)).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    private static async Task<List<(Guid From, Guid To, bool RequiresApproval)>> TransitionsAsync(AidaApp app) =>
        (await (await app.Client.GetAsync("/api/v1/lifecycle/transitions")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray()
            .Select(r => (r.GetProperty("from").Id(), r.GetProperty("to").Id(), r.GetProperty("requiresApproval").GetBoolean()))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2)
            .ToList();

    private static Task<string[]> EventTypesAsync(AidaApp app, Guid customerId) =>
        app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.Subject == $"customers/{customerId}/lifecycle")
            .OrderBy(e => e.Seq).Select(e => e.Type).ToArrayAsync());
}
