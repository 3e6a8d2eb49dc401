using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Auth;

/// <summary>
/// Each role against each endpoint group, through real tokens: the permission matrix the README
/// documents, written out here by hand so a change to the roles shows up as a failing row.
/// </summary>
public sealed class AuthorizationMatrixTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const bool Yes = true;
    private const bool No = false;

    /// <summary>Role → whether it may: read customers, write customers, delete customers, manage users and teams.</summary>
    private static readonly Dictionary<Role, (bool Read, bool Write, bool Delete, bool Admin)> Matrix = new()
    {
        [Role.Admin] = (Yes, Yes, Yes, Yes),
        [Role.Manager] = (Yes, Yes, Yes, No),
        [Role.Rep] = (Yes, Yes, No, No),
        [Role.Marketing] = (Yes, No, No, No),
        [Role.Support] = (Yes, Yes, No, No),
        [Role.Viewer] = (Yes, No, No, No),
    };

    public static TheoryData<DatabaseKind, Role> Cases()
    {
        var data = new TheoryData<DatabaseKind, Role>();
        foreach (var db in Enum.GetValues<DatabaseKind>())
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                data.Add(db, role);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Role_GetsExactlyTheEndpointGroupsItsPermissionsAllow(DatabaseKind db, Role role)
    {
        var app = await fixture.AppFor(db);
        var (user, client) = await app.UserAsync(role);
        var expected = Matrix[role];
        var own = await app.Client.CreateIndividualAsync(ownerId: user.Id);
        var ownUrl = $"/api/v1/customers/{own.Id()}";

        (string Group, bool Allowed, HttpResponseMessage Response)[] outcomes =
        [
            ("list customers", expected.Read, await client.GetAsync("/api/v1/customers")),
            ("get own customer", expected.Read, await client.GetAsync(ownUrl)),
            ("list its contacts", expected.Read, await client.GetAsync($"{ownUrl}/contacts")),
            ("search contacts", expected.Read, await client.GetAsync("/api/v1/contacts?q=pat")),
            ("read audit log", expected.Read, await client.GetAsync($"/api/v1/audit?customerId={own.Id()}")),
            ("read event feed", expected.Read, await client.GetAsync("/api/v1/events")),
            ("read own profile", Yes, await client.GetAsync("/api/v1/me")),
            ("list own tokens", Yes, await client.GetAsync("/api/v1/me/tokens")),
            ("create customer", expected.Write, await client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = $"Matrix {Guid.NewGuid():N}" })),
            ("add a contact", expected.Write, await client.PostJsonAsync($"{ownUrl}/contacts", new { firstName = "Mat", lastName = "Rix" })),
            ("change own customer", expected.Write, await client.PatchJsonAsync(ownUrl, new { source = "referral" })),
            ("list users", expected.Admin, await client.GetAsync("/api/v1/users")),
            ("create team", expected.Admin, await client.PostJsonAsync("/api/v1/teams", new { name = $"Team {Guid.NewGuid():N}" })),
            ("delete own customer", expected.Delete, await client.DeleteAsync(ownUrl)),
        ];

        var wrong = outcomes
            .Where(o => IsSuccess(o.Response.StatusCode) != o.Allowed || (!o.Allowed && o.Response.StatusCode != HttpStatusCode.Forbidden))
            .Select(o => $"{o.Group}: expected {(o.Allowed ? "success" : "403")}, got {(int)o.Response.StatusCode}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{role}: " + string.Join("; ", wrong));
        foreach (var denied in outcomes.Where(o => !o.Allowed))
        {
            Assert.Equal("application/problem+json", denied.Response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReadScopedToken_ReadsButCannotWrite(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, reader) = await app.UserAsync(Role.Admin, scope: TokenScope.Read);
        var customer = await app.Client.CreateIndividualAsync(ownerId: user.Id);

        await (await reader.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        await (await reader.GetAsync("/api/v1/users")).ExpectAsync(HttpStatusCode.OK);
        var create = await reader.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Read Scope" });
        var patch = await reader.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { source = "web" });
        var delete = await reader.DeleteAsync($"/api/v1/customers/{customer.Id()}");
        var team = await reader.PostJsonAsync("/api/v1/teams", new { name = "Read Scope Team" });

        foreach (var response in new[] { create, patch, delete, team })
        {
            var problem = await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("read", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        }

        var unchanged = await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
