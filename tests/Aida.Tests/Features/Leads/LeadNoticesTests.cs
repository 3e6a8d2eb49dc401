using System.Net;
using System.Text.Json;
using Aida.Features.Leads;
using Aida.Features.Leads.Notices;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Leads;

/// <summary>Issue 19 item 5: a rep hears of a lead given to them, and of a lead's follow-up coming due, once.</summary>
public sealed class LeadNoticesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ALeadAssignedBySomebodyElse_NotifiesTheAssignee_ButNotWhoAssignedIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (other, otherClient) = await app.UserAsync(Role.Rep);

        var lead = await app.Client.CreateLeadAsync(new { firstName = "Asta", lastName = Builders.Unique("Assigned"), email = $"{Builders.Unique("asta")}@example.com", assignedTo = rep.Id });
        var notice = Assert.Single(await NoticesAsync(repClient, "lead_assigned"));
        Assert.Equal($"/leads/{lead.Id()}", notice.Str("link"));
        Assert.Contains("Asta", notice.Str("title"), StringComparison.Ordinal);

        // Nobody is told of what they did themselves.
        await app.Client.CreateLeadAsync(new { firstName = "Self", lastName = Builders.Unique("Assigned"), email = $"{Builders.Unique("self")}@example.com", assignedTo = app.Admin.Id });
        Assert.Empty(await NoticesAsync(app.Client, "lead_assigned"));

        // Handed on by hand: the new owner hears of it; a save that leaves the owner alone tells nobody.
        var version = lead.GetProperty("version").GetInt32();
        var moved = await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { assignedTo = other.Id }, $"\"{version}\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(await NoticesAsync(otherClient, "lead_assigned"));
        await (await app.Client.PatchJsonAsync($"/api/v1/leads/{lead.Id()}", new { company = "Still theirs" }, $"\"{moved.GetProperty("version").GetInt32()}\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(await NoticesAsync(otherClient, "lead_assigned"));
        Assert.Single(await NoticesAsync(repClient, "lead_assigned"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ADueFollowUp_RemindsTheOwnerOnce_AndARescheduledOneRemindsAgain(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var due = await app.Client.CreateLeadAsync(new { firstName = "Fola", lastName = Builders.Unique("FollowUp"), email = $"{Builders.Unique("fola")}@example.com", assignedTo = rep.Id });
        var later = await app.Client.CreateLeadAsync(new { firstName = "Lena", lastName = Builders.Unique("Later"), email = $"{Builders.Unique("lena")}@example.com", assignedTo = rep.Id });
        var lost = await app.Client.CreateLeadAsync(new { firstName = "Lost", lastName = Builders.Unique("Lead"), email = $"{Builders.Unique("lost")}@example.com", assignedTo = rep.Id });
        await FollowUpAtAsync(app, due.Id(), DateTime.UtcNow.AddMinutes(-5));
        await FollowUpAtAsync(app, later.Id(), DateTime.UtcNow.AddHours(2));
        await FollowUpAtAsync(app, lost.Id(), DateTime.UtcNow.AddMinutes(-5), LeadStatus.Lost);
        var job = app.Services.GetRequiredService<LeadFollowUpReminders>();

        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        var reminder = Assert.Single(await NoticesAsync(repClient, "lead_follow_up_due"));
        Assert.Equal($"/leads/{due.Id()}", reminder.Str("link"));
        Assert.Contains("Fola", reminder.Str("title"), StringComparison.Ordinal);
        Assert.Equal(1, (await repClient.LeadAsync(due.Id())).GetProperty("version").GetInt32());

        await FollowUpAtAsync(app, due.Id(), DateTime.UtcNow.AddMinutes(-1));
        await job.RunAsync(CancellationToken.None);
        Assert.Equal(2, (await NoticesAsync(repClient, "lead_follow_up_due")).Count);
    }

    private static async Task FollowUpAtAsync(AidaApp app, Guid leadId, DateTime at, LeadStatus status = LeadStatus.Active)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Aida.Platform.Data.AidaDb>();
        await db.Set<Lead>().Where(l => l.Id == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.NextFollowUpAt, at).SetProperty(l => l.Status, status));
    }

    internal static async Task<List<JsonElement>> NoticesAsync(HttpClient client, string kind) =>
        (await (await client.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK)).Items()
            .Where(n => n.Str("kind") == kind).ToList();
}
