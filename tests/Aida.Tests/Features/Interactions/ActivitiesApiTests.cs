using System.Net;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Activities;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Interactions;

/// <summary>Activities (spec 002): scheduling, the MyActivities lists, validation, and completion logging its result (AC-2).</summary>
public sealed class ActivitiesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_AssignsTheActorByDefault_AndTheListShowsMineSoonestFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var customer = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        var now = DateTimeOffset.UtcNow;

        var own = await repClient.ActivityAsync(customer.Id(), now.AddDays(2), "Send the quote");
        var handedOver = await app.Client.ActivityAsync(customer.Id(), now.AddDays(1), "Call about the quote", assignedTo: rep.Id);
        var adminsOwn = await app.Client.ActivityAsync(null, now.AddDays(1), "Admin's own task", activityType: "task");

        Assert.Equal(rep.Id, own.GetProperty("assignedTo").GetGuid());
        Assert.Equal(rep.Id, own.GetProperty("createdBy").GetGuid());
        Assert.Equal("pending", own.Str("status"));
        Assert.Equal("normal", own.Str("priority"));
        Assert.False(own.GetProperty("overdue").GetBoolean());
        Assert.Equal(rep.Id, handedOver.GetProperty("assignedTo").GetGuid());
        Assert.Equal(app.Admin.Id, handedOver.GetProperty("createdBy").GetGuid());

        Assert.Equal([handedOver.Id(), own.Id()], await repClient.IdsAsync("/api/v1/activities"));
        Assert.Equal([handedOver.Id(), own.Id()], await repClient.IdsAsync("/api/v1/activities?assignedTo=me"));
        Assert.Equal([adminsOwn.Id()], await app.Client.IdsAsync("/api/v1/activities"));
        Assert.Equal([handedOver.Id(), own.Id()], await app.Client.IdsAsync($"/api/v1/activities?assignedTo={rep.Id}"));
        // By customer, everyone's.
        Assert.Equal([handedOver.Id(), own.Id()], await app.Client.IdsAsync($"/api/v1/activities?customerId={customer.Id()}"));
        await (await app.Client.GetAsync("/api/v1/activities?assignedTo=nobody")).ExpectProblemAsync(HttpStatusCode.BadRequest, "assignedTo");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ByDueWindowAndStatus_WithTheOverdueFlag(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        await app.SetTimeZoneAsync(rep.Id, InteractionsTesting.MiddayZone(out _));
        var customer = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        var now = DateTimeOffset.UtcNow;

        var longOverdue = await repClient.ActivityAsync(customer.Id(), now.AddDays(-3), "Long overdue");
        var overdue = await repClient.ActivityAsync(customer.Id(), now.AddHours(-1), "Just overdue");
        var today = await repClient.ActivityAsync(customer.Id(), now.AddHours(2), "Later today");
        var upcoming = await repClient.ActivityAsync(customer.Id(), now.AddDays(2), "The day after tomorrow");
        var done = await repClient.ActivityAsync(customer.Id(), now.AddHours(-2), "Done already");
        var completed = await (await repClient.PostJsonAsync($"/api/v1/activities/{done.Id()}/complete", new { })).ExpectAsync(HttpStatusCode.OK);

        Assert.True(longOverdue.GetProperty("overdue").GetBoolean());
        Assert.True(overdue.GetProperty("overdue").GetBoolean());
        Assert.False(today.GetProperty("overdue").GetBoolean());
        Assert.False(completed.GetProperty("activity").GetProperty("overdue").GetBoolean()); // past due, but done
        Assert.Equal([longOverdue.Id(), overdue.Id()], await repClient.IdsAsync("/api/v1/activities?due=overdue"));
        Assert.Equal([today.Id()], await repClient.IdsAsync("/api/v1/activities?due=today"));
        Assert.Equal([upcoming.Id()], await repClient.IdsAsync("/api/v1/activities?due=upcoming"));
        Assert.Equal([done.Id()], await repClient.IdsAsync("/api/v1/activities?status=completed"));
        Assert.Equal([longOverdue.Id(), overdue.Id(), today.Id(), upcoming.Id()], await repClient.IdsAsync("/api/v1/activities?status=pending"));
        var fetched = await (await repClient.GetAsync($"/api/v1/activities/{overdue.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(fetched.GetProperty("overdue").GetBoolean());

        await (await repClient.GetAsync("/api/v1/activities?due=yesterday")).ExpectProblemAsync(HttpStatusCode.BadRequest, "due");
        await (await repClient.GetAsync("/api/v1/activities?status=finished")).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_PagesThroughEveryActivity_WithEqualDueDates(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var due = DateTimeOffset.UtcNow.AddDays(1);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await app.Client.ActivityAsync(null, due.AddMinutes(i / 3), $"Task {i}", activityType: "task")).Id());
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync("/api/v1/activities?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.Items().Select(i => i.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order().ToList(), seen.Order().ToList());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_BadInput_NamesTheFieldAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var activitiesBefore = await app.QueryAsync(d => d.Set<Activity>().IgnoreQueryFilters().CountAsync());
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(manager.Id);
        var (member, _) = await app.UserAsync(Role.Rep, team.Id);
        var (stranger, _) = await app.UserAsync(Role.Rep);
        var (leaver, _) = await app.UserAsync(Role.Rep, team.Id);
        await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == leaver.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));
        var due = DateTimeOffset.UtcNow.AddDays(1);

        async Task RejectedAsync(object body, string field) =>
            await (await managerClient.PostJsonAsync("/api/v1/activities", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);

        await RejectedAsync(new { activityType = "call", subject = "Remind me late", dueDate = due, reminderAt = due.AddMinutes(1) }, "reminderAt");
        await RejectedAsync(new { activityType = "call", subject = "When?" }, "dueDate");
        await RejectedAsync(new { activityType = "call", dueDate = due }, "subject");
        await RejectedAsync(new { subject = "What kind?", dueDate = due }, "activityType");
        await RejectedAsync(new { activityType = "call", subject = "Nobody", dueDate = due, assignedTo = Guid.CreateVersion7() }, "assignedTo");
        await RejectedAsync(new { activityType = "call", subject = "Gone", dueDate = due, assignedTo = leaver.Id }, "assignedTo");
        await RejectedAsync(new { activityType = "call", subject = "Not my team", dueDate = due, assignedTo = stranger.Id }, "assignedTo");
        await RejectedAsync(new { activityType = "call", subject = "No such customer", dueDate = due, customerId = Guid.CreateVersion7() }, "customerId");
        Assert.Equal(activitiesBefore, await app.QueryAsync(d => d.Set<Activity>().IgnoreQueryFilters().CountAsync()));

        // The same request to an active member of the manager's team is fine.
        var ok = await managerClient.ActivityAsync(null, due, "For the team", assignedTo: member.Id, reminderAt: due);
        Assert.Equal(member.Id, ok.GetProperty("assignedTo").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Complete_LogsTheResultAsAnInteraction_WithActivityCompletedAndInteractionLogged(DatabaseKind db)
    {
        // Reads every event of two kinds: on a server of its own, they can only be this test's.
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Mia", lastName = "Meet", email = "mia@meet.example" });
        var contactId = customer.GetProperty("primaryContact").Id();
        var activity = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(1), "Demo of the new plan", activityType: "demo", contactId: contactId);

        var done = await (await app.Client.SendJsonAsync(HttpMethod.Post, $"/api/v1/activities/{activity.Id()}/complete",
            new { outcome = "successful", sentiment = "positive", notes = "They loved it.", durationMinutes = 45 }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);

        var completed = done.GetProperty("activity");
        var interaction = done.GetProperty("interaction");
        Assert.Equal("completed", completed.Str("status"));
        Assert.False(completed.GetProperty("completedAt").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal(interaction.Id(), completed.GetProperty("resultInteractionId").GetGuid());
        Assert.Equal("meeting", interaction.Str("interactionType")); // a demo is a meeting
        Assert.Equal("Demo of the new plan", interaction.Str("subject"));
        Assert.Equal("They loved it.", interaction.Str("description"));
        Assert.Equal("successful", interaction.Str("outcome"));
        Assert.Equal("positive", interaction.Str("sentiment"));
        Assert.Equal(45, interaction.GetProperty("durationMinutes").GetInt32());
        Assert.Equal(contactId, interaction.GetProperty("contactId").GetGuid());
        Assert.Equal(customer.Id(), interaction.GetProperty("customerId").GetGuid());

        var stored = await (await app.Client.GetAsync($"/api/v1/interactions/{interaction.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(activity.Id(), stored.GetProperty("activityId").GetGuid());
        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "activity.completed" || e.Type == "interaction.logged").ToListAsync());
        Assert.Equal(["activity.completed", "interaction.logged"], events.Select(e => e.Type).Order());
        Assert.Single(events.Select(e => e.RequestId).Distinct()); // written by the one request
        Assert.Contains(interaction.Id().ToString(), events.Single(e => e.Type == "activity.completed").Data, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Complete_Twice_IsAConflict_AndLogsOneInteraction(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var outboxEventsBefore = await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "activity.completed"));
        var outboxEventsBefore2 = await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "interaction.logged"));
        var customer = await app.Client.CreateOrganizationAsync();
        var activity = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(1), "Call once");

        await (await app.Client.PostJsonAsync($"/api/v1/activities/{activity.Id()}/complete", new { notes = "First" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync($"/api/v1/activities/{activity.Id()}/complete", new { notes = "Second" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.ActivityId == activity.Id())));
        Assert.Equal(outboxEventsBefore + 1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "activity.completed")));
        Assert.Equal(outboxEventsBefore2 + 1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "interaction.logged")));
        // Reopening is refused too: the result is logged.
        await (await app.Client.PatchJsonAsync($"/api/v1/activities/{activity.Id()}", new { status = "pending" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
        // And completing through PATCH is refused: it would skip logging the result.
        var other = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(1), "Call twice");
        await (await app.Client.PatchJsonAsync($"/api/v1/activities/{other.Id()}", new { status = "completed" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Complete_WithoutACustomer_CompletesWithoutLoggingAnInteraction(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync());
        var outboxEventsBefore = await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "activity.completed"));
        var activity = await app.Client.ActivityAsync(null, DateTimeOffset.UtcNow.AddHours(1), "Expense report", activityType: "task");

        var done = await (await app.Client.PostJsonAsync($"/api/v1/activities/{activity.Id()}/complete", new { })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("completed", done.GetProperty("activity").Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, done.GetProperty("interaction").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, done.GetProperty("activity").GetProperty("resultInteractionId").ValueKind);
        Assert.Equal(interactionsBefore, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(outboxEventsBefore + 1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "activity.completed")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Complete_WhenLoggingTheResultFails_LeavesTheActivityOpenAndWritesNothing(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, AtomicityTests.QuietFaults);
        var customer = await app.Client.CreateOrganizationAsync();
        var activity = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(1), "Doomed call");
        await InjectFaultOnInteractionInsertAsync(app);

        await (await app.Client.PostJsonAsync($"/api/v1/activities/{activity.Id()}/complete", new { notes = "Never saved" })).ExpectProblemAsync(HttpStatusCode.InternalServerError);

        var after = await (await app.Client.GetAsync($"/api/v1/activities/{activity.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", after.Str("status"));
        Assert.Equal(1, after.GetProperty("version").GetInt32());
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "activity.completed")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Activities_OfACustomerOutOfReach_AreNotFound_UnlessAssignedToYou(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var interactionsBefore = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync());
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CreateOrganizationAsync();
        var hidden = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(1), "Admin's call");
        var handedOver = await app.Client.ActivityAsync(customer.Id(), DateTimeOffset.UtcNow.AddHours(2), "Rep's call", assignedTo: rep.Id);

        await (await repClient.GetAsync($"/api/v1/activities/{hidden.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await repClient.PostJsonAsync($"/api/v1/activities/{hidden.Id()}/complete", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([handedOver.Id()], await repClient.IdsAsync($"/api/v1/activities?customerId={customer.Id()}"));
        Assert.Equal(interactionsBefore, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
        await (await repClient.GetAsync($"/api/v1/activities/{handedOver.Id()}")).ExpectAsync(HttpStatusCode.OK);
    }

    private static Task<int> InjectFaultOnInteractionInsertAsync(AidaApp app) => app.QueryAsync(d => d.Database.ExecuteSqlRawAsync(
        app.Kind == DatabaseKind.Sqlite
            ? "CREATE TRIGGER test_fail_interaction BEFORE INSERT ON interactions BEGIN SELECT RAISE(ABORT, 'injected'); END;"
            : """
              CREATE FUNCTION test_fail_interaction() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  RAISE EXCEPTION 'injected';
              END
              $$;
              CREATE TRIGGER test_fail_interaction BEFORE INSERT ON interactions FOR EACH ROW EXECUTE FUNCTION test_fail_interaction();
              """));
}
