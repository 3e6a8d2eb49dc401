using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform.Auth;

/// <summary>Edge case "inactive owner": deactivating a user hands their customers on, in one audited step.</summary>
public sealed class DeactivationTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeactivatingARep_ReassignsTheirCustomersToTheTeamManager_RevokesTheirTokens_AndIsAudited(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(manager.Id);
        var (rep, repClient) = await app.UserAsync(Role.Rep, team.Id);
        var first = await repClient.CreateIndividualAsync();
        var second = await repClient.CreateIndividualAsync();

        await (await app.Client.PatchJsonAsync($"/api/v1/users/{rep.Id}", new { isActive = false })).ExpectAsync(HttpStatusCode.OK);

        foreach (var customer in new[] { first, second })
        {
            var now = await (await managerClient.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(manager.Id, now.GetProperty("ownerId").GetGuid());
            var audit = await (await app.Client.GetAsync($"/api/v1/audit?entityType=customer&entityId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
            var change = audit.Items().First(e => e.Str("action") == "update");
            Assert.Equal(rep.Id, change.GetProperty("changes").GetProperty("ownerId").GetProperty("from").GetGuid());
            Assert.Equal(manager.Id, change.GetProperty("changes").GetProperty("ownerId").GetProperty("to").GetGuid());
            Assert.Equal(app.Admin.Id, change.GetProperty("actor").Id());
        }

        await (await repClient.GetAsync("/api/v1/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.False(await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == rep.Id).Select(u => u.IsActive).SingleAsync()));
        Assert.True(await app.QueryAsync(d => d.Set<ApiToken>().Where(t => t.UserId == rep.Id).AllAsync(t => t.RevokedAt != null)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeactivatingAUserWithoutATeamManager_MovesTheirCustomersToTheUnassignedPool(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (_, otherManager) = await app.UserAsync(Role.Manager);
        var customer = await repClient.CreateIndividualAsync();

        await (await app.Client.PatchJsonAsync($"/api/v1/users/{rep.Id}", new { isActive = false })).ExpectAsync(HttpStatusCode.OK);

        var now = await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, now.GetProperty("ownerId").ValueKind);
        // Managers pick up the unassigned pool.
        await (await otherManager.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InactiveUser_CannotBeMadeOwner(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CreateIndividualAsync();
        await (await app.Client.PatchJsonAsync($"/api/v1/users/{rep.Id}", new { isActive = false })).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Orphan Annie", ownerId = rep.Id }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { ownerId = rep.Id }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
    }
}
