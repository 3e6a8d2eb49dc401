using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Auth;

/// <summary>Users and teams take If-Match on PATCH, so reading one must give the ETag to send back.</summary>
public sealed class UserAndTeamVersionTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GettingAUser_GivesTheETagThatGuardsItsChange(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep);
        var url = $"/api/v1/users/{rep.Id}";

        var read = await app.Client.GetAsync(url);
        await read.ExpectAsync(HttpStatusCode.OK);
        var etag = read.ETag();
        Assert.False(string.IsNullOrEmpty(etag));

        await (await app.Client.PatchJsonAsync(url, new { displayName = "Renamed Rep" }, etag)).ExpectAsync(HttpStatusCode.OK);
        // The same ETag is stale now: someone changed the user since it was read.
        await (await app.Client.PatchJsonAsync(url, new { displayName = "Lost Update" }, etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.GetAsync($"/api/v1/users/{Guid.CreateVersion7()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GettingATeam_GivesTheETagThatGuardsItsChange(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync(null);
        var url = $"/api/v1/teams/{team.Id}";

        var read = await app.Client.GetAsync(url);
        var body = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(team.Id, body.Id());
        var etag = read.ETag();

        await (await app.Client.PatchJsonAsync(url, new { name = Builders.Unique("Renamed ") }, etag)).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync(url, new { name = Builders.Unique("Lost ") }, etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.GetAsync($"/api/v1/teams/{Guid.CreateVersion7()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
