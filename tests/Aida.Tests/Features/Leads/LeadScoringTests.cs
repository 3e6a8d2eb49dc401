using System.Net;
using Aida.Features.Leads;
using Aida.Features.Leads.Scoring;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// Lead scoring. Rules score every lead, and rescoring counts every open lead, so the tests that add rules
/// have a server of their own; the tests that only see requests refused share the class's server.
/// </summary>
public sealed class LeadScoringTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Score_SumsTheMatchingRules_KeepsTheBreakdown_AndIsHeldTo0To100(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var uk = await app.Client.AddScoringRuleAsync("UK", "demographic", new { field = "country", @operator = "equals", value = "gb" }, 30);
        await app.Client.AddScoringRuleAsync("Owner", "demographic", new { field = "jobTitle", @operator = "contains", value = "OWNER" }, 25);
        await app.Client.AddScoringRuleAsync("Business address", "demographic", new { field = "businessEmail", @operator = "is_true" }, 20);
        await app.Client.AddScoringRuleAsync("Free mail", "demographic", new { field = "businessEmail", @operator = "is_false" }, -40);
        await app.Client.AddScoringRuleAsync("Decides", "bant", new { field = "authority", @operator = "equals", value = "decision_maker" }, 40);
        await app.Client.AddScoringRuleAsync("Warm source", "demographic", new { field = "sourceType", @operator = "in", values = new[] { "website", "referral" } }, 10);
        await app.Client.AddScoringRuleAsync("Budget", "bant", new { field = "budgetAmount", @operator = "at_least", value = 1000 }, 15);

        var hot = await app.Client.CreateLeadAsync(new
        {
            email = "rosa@diaz-repairs.example", country = "GB", jobTitle = "Co-owner", authority = "decision_maker",
            sourceType = "referral", budgetAmount = 1500, budgetCurrency = "GBP",
        });
        var mild = await app.Client.CreateLeadAsync(new { email = "sam@shop.example", country = "GB", jobTitle = "Shop owner", sourceType = "phone" });
        var cold = await app.Client.CreateLeadAsync(new { email = "someone@gmail.com", sourceType = "api" });

        Assert.Equal(100, hot.Score());
        Assert.Equal(6, hot.GetProperty("scoreFactors").GetArrayLength());
        Assert.Equal(75, mild.Score());
        var factors = (await app.Client.LeadAsync(mild.Id())).GetProperty("scoreFactors").EnumerateArray()
            .Select(f => (f.Str("name"), f.Str("category"), f.GetProperty("points").GetInt32())).ToList();
        Assert.Equal([("UK", "demographic", 30), ("Owner", "demographic", 25), ("Business address", "demographic", 20)], factors);
        Assert.Equal(uk.Id(), (await app.Client.LeadAsync(mild.Id())).GetProperty("scoreFactors")[0].GetProperty("ruleId").GetGuid());
        Assert.Equal(0, cold.Score());
        Assert.Equal("Free mail", Assert.Single(cold.GetProperty("scoreFactors").EnumerateArray()).Str("name"));
        var stored = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == mild.Id()));
        Assert.Equal(3, LeadMapping.Factors(stored).Count);
        Assert.NotNull(stored.ScoredAt);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ScoreChanged_IsEmittedOnlyWhenTheThresholdIsCrossed_UpAndDown(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var uk = await app.Client.AddScoringRuleAsync("UK", "demographic", new { field = "country", @operator = "equals", value = "GB" }, 60);
        var lead = await app.Client.CreateLeadAsync(new { email = "a@firm.example", country = "GB", jobTitle = "Owner" });
        Assert.Equal(60, lead.Score());
        Assert.Empty(await app.EventsAsync("lead.score_changed", lead.Id()));

        var owner = await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new
        {
            name = "Owner", category = "demographic", condition = new { field = "jobTitle", @operator = "contains", value = "owner" }, points = 20,
        })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, owner.GetProperty("rescore").GetProperty("changed").GetInt32());
        Assert.Equal(80, (await app.Client.LeadAsync(lead.Id())).Score());

        var ukNow = await app.Client.GetAsync($"/api/v1/lead-scoring-rules/{uk.Id()}");
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-scoring-rules/{uk.Id()}", new { points = 30 }, ukNow.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(50, (await app.Client.LeadAsync(lead.Id())).Score());
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-scoring-rules/{uk.Id()}", new { points = 35 })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(55, (await app.Client.LeadAsync(lead.Id())).Score());

        var events = await app.EventsAsync("lead.score_changed", lead.Id());
        Assert.Equal(2, events.Count);
        Assert.Equal((60, 80, 70, "up"), (events[0].GetProperty("oldScore").GetInt32(), events[0].GetProperty("newScore").GetInt32(), events[0].GetProperty("threshold").GetInt32(), events[0].Str("direction")));
        Assert.Equal((80, 50, "down"), (events[1].GetProperty("oldScore").GetInt32(), events[1].GetProperty("newScore").GetInt32(), events[1].Str("direction")));
        Assert.Equal(lead.Id(), events[1].GetProperty("leadId").GetGuid());

        // A lead captured above the threshold crosses it on arrival.
        await (await app.Client.PatchJsonAsync("/api/v1/lead-settings", new { qualificationThreshold = 50 })).ExpectAsync(HttpStatusCode.OK);
        var hot = await app.Client.CreateLeadAsync(new { email = "b@firm.example", country = "GB", jobTitle = "Owner", firstName = "B" });
        var arrival = Assert.Single(await app.EventsAsync("lead.score_changed", hot.Id()));
        Assert.Equal(2, (await app.EventsAsync("lead.score_changed", lead.Id())).Count);
        Assert.Equal((0, 55, "up"), (arrival.GetProperty("oldScore").GetInt32(), arrival.GetProperty("newScore").GetInt32(), arrival.Str("direction")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Score_IsRecalculatedWhenATouchIsLogged(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        await app.Client.AddScoringRuleAsync("Answered", "behavioural", new { field = "hasInboundInteraction", @operator = "is_true" }, 25);
        await app.Client.AddScoringRuleAsync("Talked to", "behavioural", new { field = "connected", @operator = "is_true" }, 10);
        await app.Client.AddScoringRuleAsync("Chatty", "behavioural", new { field = "inboundTouches", @operator = "at_least", value = 2 }, 5);
        var lead = await app.Client.CreateLeadAsync(new { email = "c@firm.example" });
        Assert.Equal(0, lead.Score());

        Assert.Equal(10, (await app.Client.TouchAsync(lead.Id(), "outbound")).Score());
        Assert.Equal(35, (await app.Client.TouchAsync(lead.Id(), "inbound", "email")).Score());
        var after = await app.Client.TouchAsync(lead.Id(), "inbound", "email");
        Assert.Equal(40, after.Score());
        Assert.Equal(["Answered", "Talked to", "Chatty"], after.GetProperty("scoreFactors").EnumerateArray().Select(f => f.Str("name")).ToArray());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Rescore_RecalculatesOpenLeads_AfterRulesChangedOutsideTheApi_AndDeletingARuleRescores(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var first = await app.Client.CreateLeadAsync(new { email = "d@firm.example", urgency = "urgent" });
        var second = await app.Client.CreateLeadAsync(new { email = "e@firm.example", urgency = "low" });
        await app.QueryAsync(async d =>
        {
            // As a restore or a bulk import would leave it: a rule the leads were never scored with.
            d.Add(new LeadScoringRule { Name = "Urgent", Category = ScoringCategory.Bant, Field = "urgency", Operator = ScoringOperator.In, ValueList = "[\"high\",\"urgent\"]", Points = 45 });
            return await d.SaveChangesAsync();
        });
        Assert.Equal(0, (await app.Client.LeadAsync(first.Id())).Score());

        var result = await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules/rescore", new { })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, result.GetProperty("rescored").GetInt32());
        Assert.Equal(1, result.GetProperty("changed").GetInt32());
        Assert.Equal(45, (await app.Client.LeadAsync(first.Id())).Score());
        Assert.Equal(0, (await app.Client.LeadAsync(second.Id())).Score());

        var rule = (await (await app.Client.GetAsync("/api/v1/lead-scoring-rules")).ExpectAsync(HttpStatusCode.OK)).Items().Single();
        await (await app.Client.DeleteAsync($"/api/v1/lead-scoring-rules/{rule.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        var cleared = await app.Client.LeadAsync(first.Id());
        Assert.Equal(0, cleared.Score());
        Assert.Equal(0, cleared.GetProperty("scoreFactors").GetArrayLength());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ScoringRule_BadConditions_AreRefusedNamingTheField_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var rulesBefore = await app.QueryAsync(d => d.Set<LeadScoringRule>().CountAsync());

        async Task Refused(object body, string field) =>
            await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);

        await Refused(new { name = "x", category = "demographic", condition = new { field = "shoeSize", @operator = "equals", value = "9" }, points = 5 }, "condition.field");
        await Refused(new { name = "x", category = "bant", condition = new { field = "authority", @operator = "contains", value = "decision" }, points = 5 }, "condition.operator");
        await Refused(new { name = "x", category = "bant", condition = new { field = "authority", @operator = "equals", value = "boss" }, points = 5 }, "condition.value");
        await Refused(new { name = "x", category = "bant", condition = new { field = "budgetAmount", @operator = "at_least", value = "lots" }, points = 5 }, "condition.value");
        await Refused(new { name = "x", category = "bant", condition = new { field = "timeline", @operator = "in" }, points = 5 }, "condition.values");
        await Refused(new { name = "x", category = "bant", condition = new { field = "timeline", @operator = "in", values = new[] { "soon" } }, points = 5 }, "condition.values[0]");
        await Refused(new { name = "x", category = "demographic", condition = new { field = "country", @operator = "equals", value = "Atlantis" }, points = 5 }, "condition.value");
        await Refused(new { name = "x", category = "demographic", condition = new { field = "company", @operator = "is_set", value = "x" }, points = 5 }, "condition.value");
        await Refused(new { name = "x", category = "demographic", condition = new { field = "company", @operator = "is_set" }, points = 150 }, "points");
        await Refused(new { category = "demographic", condition = new { field = "company", @operator = "is_set" }, points = 5 }, "name");
        await Refused(new { name = "x", condition = new { field = "company", @operator = "is_set" }, points = 5 }, "category");
        await Refused(new { name = "x", category = "demographic", points = 5 }, "condition");

        Assert.Equal(rulesBefore, await app.QueryAsync(d => d.Set<LeadScoringRule>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ScoringAndRoutingRules_NeedAdminSettings(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, manager) = await app.UserAsync(Role.Manager);

        await (await manager.GetAsync("/api/v1/lead-scoring-rules")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostJsonAsync("/api/v1/lead-scoring-rules/rescore", new { })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", action = "round_robin" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PatchJsonAsync("/api/v1/lead-settings", new { maxFollowUps = 2 })).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}
