using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events;

/// <summary>
/// Issue 14.11: <c>user.created</c> (others' emails and roles) and <c>token.created</c> (names, prefixes,
/// scopes) reached viewers, support and marketing through the feed, and users' and tokens' history through
/// the audit log. Entries about people and access are for administrators; a token's holder also sees its events.
/// </summary>
public sealed class EventAudienceTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Feed_UserTeamAndTokenEvents_GoToAdminsOnly_AndATokensEventsAlsoToItsHolder(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var readers = new List<(User User, HttpClient Client)>();
        foreach (var role in new[] { Role.Viewer, Role.Support, Role.Marketing, Role.Rep })
        {
            readers.Add(await app.UserAsync(role));
        }

        await (await app.Client.PostJsonAsync("/api/v1/teams", new { name = Builders.Unique("North ") })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = $"{Builders.Unique("lead")}@example.com" })).ExpectAsync(HttpStatusCode.Created);
        var customer = await app.Client.CreateIndividualAsync();
        var all = await ReadUntilAsync(app, app.Client, e => e.Str("subject") == $"customers/{customer.Id()}");
        Assert.Contains(all, e => e.Str("type") == "team.created");
        Assert.Equal(readers.Count, all.Count(e => e.Str("type") == "user.created"));
        Assert.Equal(readers.Count, all.Count(e => e.Str("type") == "token.created"));

        foreach (var (user, client) in readers)
        {
            var seen = await ReadUntilAsync(app, client, _ => true);
            var about = seen.Select(e => (Type: e.Str("type"), Subject: e.Str("subject"))).ToList();
            Assert.DoesNotContain(about, e => e.Type.StartsWith("user.", StringComparison.Ordinal) || e.Type.StartsWith("team.", StringComparison.Ordinal));
            Assert.All(about.Where(e => e.Type.StartsWith("token.", StringComparison.Ordinal)),
                e => Assert.StartsWith($"users/{user.Id}/tokens/", e.Subject, StringComparison.Ordinal));
            Assert.Contains(about, e => e.Type == "token.created"); // their own
            if (user.Role != Role.Rep)
            {
                // Who reaches every customer still follows leads and customers.
                Assert.Contains(about, e => e.Type == "lead.captured");
                Assert.Contains(about, e => e.Subject == $"customers/{customer.Id()}");
            }

            // The audit log follows the same rule: other people's records are not theirs to read.
            var other = readers.First(r => r.User.Id != user.Id).User;
            Assert.Empty((await (await client.GetAsync($"/api/v1/audit?entityType=user&entityId={other.Id}")).ExpectAsync(HttpStatusCode.OK)).Items());
        }

        Assert.NotEmpty((await (await app.Client.GetAsync($"/api/v1/audit?entityType=user&entityId={readers[0].User.Id}")).ExpectAsync(HttpStatusCode.OK)).Items());
    }

    [Fact]
    public void Audience_OfASubjectKindNobodyListed_IsAdministratorsOnly()
    {
        Assert.Equal((EventAudience.Admins, (Guid?)null), EventAudiences.Of($"widgets/{Guid.NewGuid()}", null));
        Assert.Equal((EventAudience.Admins, (Guid?)null), EventAudiences.Of($"users/{Guid.NewGuid()}", null));
        Assert.Equal((EventAudience.Admins, (Guid?)null), EventAudiences.Of($"teams/{Guid.NewGuid()}", null));
        var holder = Guid.NewGuid();
        Assert.Equal((EventAudience.Admins, (Guid?)holder), EventAudiences.Of($"users/{holder}/tokens/{Guid.NewGuid()}", null));
        Assert.Equal((EventAudience.AllCustomers, (Guid?)null), EventAudiences.Of($"leads/{Guid.NewGuid()}", null));
        var customer = Guid.NewGuid();
        Assert.Equal((EventAudience.Customer, (Guid?)null), EventAudiences.Of($"customers/{customer}/notes/{Guid.NewGuid()}", customer));
    }

    /// <summary>The feed as <paramref name="client"/> sees it, after set-up, once an event matching <paramref name="until"/> (or, for others, anything) has been served.</summary>
    private static Task<List<JsonElement>> ReadUntilAsync(AidaApp app, HttpClient client, Func<JsonElement, bool> until) =>
        Wait.ForAsync(() => Aida.Tests.Features.Interactions.InteractionsTesting.FeedAsync(app, client), all => all.Any(until));
}
