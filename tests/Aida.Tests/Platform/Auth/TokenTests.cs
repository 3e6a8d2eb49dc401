using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Aida.Platform.Data;

namespace Aida.Tests.Platform.Auth;

/// <summary>API tokens: only their hash is stored; revoked or expired ones stop working on the next request.</summary>
public sealed class TokenTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SelfServiceToken_IsShownOnceStoredHashedRecordsLastUseAndRevokesAtOnce(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, rep) = await app.UserAsync(Role.Rep);

        var created = await (await rep.PostJsonAsync("/api/v1/me/tokens", new { name = "zapier", scope = "read", expiresInDays = 30 }))
            .ExpectAsync(HttpStatusCode.Created);
        var secret = created.Str("secret");
        var tokenId = created.GetProperty("token").Id();
        Assert.StartsWith("aida_", secret, StringComparison.Ordinal);
        Assert.Equal(secret[..11], created.GetProperty("token").Str("prefix"));
        var stored = await app.QueryAsync(d => d.Set<ApiToken>().SingleAsync(t => t.Id == tokenId));
        Assert.Equal(ApiToken.HashOf(secret), stored.Hash);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
        Assert.Null(stored.LastUsedAt);

        using var zapier = app.NewClient(secret);
        var me = await (await zapier.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(user.Id, me.GetProperty("user").Id());
        Assert.NotNull(await app.QueryAsync(d => d.Set<ApiToken>().Where(t => t.Id == tokenId).Select(t => t.LastUsedAt).SingleAsync()));
        var listed = await (await rep.GetAsync("/api/v1/me/tokens")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);

        await (await rep.DeleteAsync($"/api/v1/me/tokens/{tokenId}")).ExpectAsync(HttpStatusCode.NoContent);

        var refused = await zapier.GetAsync("/api/v1/me");
        await refused.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExpiredToken_IsRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        string secret;
        var expires = DateTime.UtcNow.AddSeconds(2);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<AidaDb>();
            var admin = await data.Set<User>().SingleAsync(u => u.Id == app.Admin.Id);
            (_, secret) = UserAdministration.AddToken(data, admin, "short-lived", TokenScope.Write, expires);
            await data.SaveChangesAsync();
        }

        using var client = app.NewClient(secret);
        await (await client.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        await Wait.UntilAsync(() => DateTime.UtcNow > expires.AddMilliseconds(50), "the token's expiry to pass", TimeSpan.FromSeconds(10));

        await (await client.GetAsync("/api/v1/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TokenOfAnotherUser_CannotBeRevokedByMe(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var adminToken = await app.QueryAsync(d => d.Set<ApiToken>().Where(t => t.UserId == app.Admin.Id).Select(t => t.Id).FirstAsync());

        await (await rep.DeleteAsync($"/api/v1/me/tokens/{adminToken}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await app.Client.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Bearer aida_thisIsNotARealTokenAtAllButLooksLikeOne12345")]
    [InlineData("Bearer not-even-our-format")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer ")]
    public async Task MissingOrBadCredentials_Get401ProblemAndChangeNothing(string authorization)
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        var customersBefore = await app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().IgnoreQueryFilters().CountAsync());
        using var client = app.NewClient(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Anon Ymous" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("urn:aida:problem:unauthorized", problem.Str("type"));
        Assert.Equal(customersBefore, await app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().IgnoreQueryFilters().CountAsync()));
    }
}
