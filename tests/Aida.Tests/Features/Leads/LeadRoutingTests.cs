using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

public sealed class LeadRoutingTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Routing_BySourceThenTerritory_FirstMatchWins_AndTheRuleIsRecorded(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();
        var (referrals, _) = await app.UserAsync(Role.Rep, team.Id);
        var (uk, _) = await app.UserAsync(Role.Rep, team.Id);
        var bySource = await app.Client.AddRoutingRuleAsync(new { name = "Referrals", sourceTypes = new[] { "referral" }, action = "assign_user", userId = referrals.Id });
        var byCountry = await app.Client.AddRoutingRuleAsync(new { name = "UK and Ireland", countries = new[] { "gb", "IE" }, action = "assign_user", userId = uk.Id });

        var referral = await app.Client.CreateLeadAsync(new { email = "r@firm.example", sourceType = "referral", country = "GB" });
        var irish = await app.Client.CreateLeadAsync(new { email = "i@firm.example", sourceType = "website", country = "IE" });
        var american = await app.Client.CreateLeadAsync(new { email = "a@firm.example", sourceType = "website", country = "US" });

        Assert.Equal(referrals.Id, referral.GetProperty("assignedTo").GetGuid());
        Assert.Equal(bySource.Id(), referral.GetProperty("routingRuleId").GetGuid());
        Assert.Equal($"Rule 'Referrals': assigned to {referrals.DisplayName}.", referral.Str("routingReason"));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, referral.GetProperty("assignedAt").ValueKind);
        Assert.Equal(uk.Id, irish.GetProperty("assignedTo").GetGuid());
        Assert.Equal(byCountry.Id(), irish.GetProperty("routingRuleId").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, american.GetProperty("assignedTo").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, american.GetProperty("routingRuleId").ValueKind);
        Assert.StartsWith("No routing rule matched", american.Str("routingReason"), StringComparison.Ordinal);

        // A lead assigned by hand is not routed.
        var byHand = await app.Client.CreateLeadAsync(new { email = "h@firm.example", sourceType = "referral", assignedTo = uk.Id });
        Assert.Equal(uk.Id, byHand.GetProperty("assignedTo").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, byHand.GetProperty("routingRuleId").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RoundRobin_RotatesFairly_SkipsInactiveMembers_RespectsTheCap_AndFallsThrough(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();
        var members = new List<User>();
        for (var i = 0; i < 3; i++)
        {
            members.Add((await app.UserAsync(Role.Rep, team.Id)).User);
        }

        var (fallback, _) = await app.UserAsync(Role.Manager);
        var inactive = members[1];
        await app.QueryAsync(async d =>
        {
            (await d.Set<User>().SingleAsync(u => u.Id == inactive.Id)).IsActive = false;
            return await d.SaveChangesAsync();
        });
        var roundRobin = await app.Client.AddRoutingRuleAsync(new { name = "Web", sourceTypes = new[] { "website" }, action = "round_robin", teamId = team.Id, openLeadCap = 2 });
        await app.Client.AddRoutingRuleAsync(new { name = "Overflow", action = "assign_user", userId = fallback.Id });

        var assigned = new List<Guid>();
        var reasons = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var lead = await app.Client.CreateLeadAsync(new { email = $"web{i}@firm.example", sourceType = "website" });
            assigned.Add(lead.GetProperty("assignedTo").GetGuid());
            reasons.Add(lead.Str("routingReason"));
        }

        var active = members.Where(m => m.Id != inactive.Id).OrderBy(m => m.Id).Select(m => m.Id).ToList();
        Assert.Equal([active[0], active[1], active[0], active[1], fallback.Id], assigned);
        Assert.Equal($"Rule 'Web': round robin in team {team.Name}, to {members.Single(m => m.Id == active[0]).DisplayName} (1 open of cap 2).", reasons[2]);
        Assert.Contains($"rule 'Web' skipped: every member of team {team.Name} is at the cap of 2", reasons[4], StringComparison.Ordinal);
        Assert.StartsWith("Rule 'Overflow'", reasons[4], StringComparison.Ordinal);
        var rule = await (await app.Client.GetAsync($"/api/v1/lead-routing-rules/{roundRobin.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(active[1], rule.GetProperty("lastAssignedUserId").GetGuid());
        Assert.Equal(1, rule.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RoundRobin_UnderConcurrentCaptures_GivesEachMemberAnEqualShare(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();
        var first = (await app.UserAsync(Role.Rep, team.Id)).User;
        var second = (await app.UserAsync(Role.Rep, team.Id)).User;
        await app.Client.AddRoutingRuleAsync(new { name = "Everyone", action = "round_robin", teamId = team.Id });

        var leads = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.Client.CreateLeadAsync(new { email = $"burst{i}@firm.example" })));

        var counts = leads.GroupBy(l => l.GetProperty("assignedTo").GetGuid()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts[first.Id]);
        Assert.Equal(5, counts[second.Id]);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RoutingRule_BadInput_IsRefusedNamingTheField(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();

        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", action = "assign_user" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "userId");
        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", action = "round_robin", teamId = Guid.NewGuid() })).ExpectProblemAsync(HttpStatusCode.BadRequest, "teamId");
        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", action = "round_robin", teamId = team.Id, openLeadCap = 0 })).ExpectProblemAsync(HttpStatusCode.BadRequest, "openLeadCap");
        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", action = "round_robin", teamId = team.Id, countries = new[] { "GB", "Atlantis" } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "countries[1]");
        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "x", teamId = team.Id })).ExpectProblemAsync(HttpStatusCode.BadRequest, "action");
        await (await app.Client.PostJsonAsync("/api/v1/lead-routing-rules", new { action = "round_robin", teamId = team.Id })).ExpectProblemAsync(HttpStatusCode.BadRequest, "name");

        var list = await (await app.Client.GetAsync("/api/v1/lead-routing-rules")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.Items());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RoutingRule_Update_NeedsTheCurrentVersion_AndAnInactiveRuleIsNotUsed(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var rule = await app.Client.AddRoutingRuleAsync(new { name = "All", action = "assign_user", userId = rep.Id });

        await (await app.Client.PatchJsonAsync($"/api/v1/lead-routing-rules/{rule.Id()}", new { isActive = false }, "\"9\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-routing-rules/{rule.Id()}", new { isActive = false }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        var lead = await app.Client.CreateLeadAsync(new { email = "off@firm.example" });

        Assert.Equal(System.Text.Json.JsonValueKind.Null, lead.GetProperty("assignedTo").ValueKind);
    }
}
