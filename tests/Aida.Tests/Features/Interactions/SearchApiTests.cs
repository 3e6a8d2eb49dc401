using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions;

/// <summary>GET /api/v1/search over interactions: prefix matching, marked titles and passages, and reach.</summary>
public sealed class SearchApiTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_PrefixOfEveryWord_MarksTheMatchesAndShowsOnlyWhatTheActorReaches(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var theirs = await app.Client.CreateOrganizationAsync();
        var mine = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        await LogAsync(app.Client, theirs.Id(), "Call with Anna Smith about renewal", "Smithson asked about pricing.");
        await LogAsync(app.Client, theirs.Id(), "Pricing follow-up", "Anna Smith wants the revised quote by Friday.");
        await LogAsync(app.Client, theirs.Id(), "Quarterly business review", "Nothing about the name here.");
        await LogAsync(repClient, mine.Id(), "Meeting with Sam Smiley", "Demo of the new plan.");

        var all = await SearchAsync(app.Client, "smi");
        var reps = await SearchAsync(repClient, "smi");
        var both = await SearchAsync(app.Client, "anna smi");

        Assert.Equal(3, all.Length);
        Assert.Contains(all, i => i.Str("titleHtml") == "Call with Anna <mark>Smith</mark> about renewal");
        Assert.Contains(all, i => i.Str("titleHtml") == "Pricing follow-up" && i.Str("snippetHtml").Contains("Anna <mark>Smith</mark> wants", StringComparison.Ordinal));
        Assert.All(all, i => Assert.Contains("<mark>", i.Str("titleHtml") + i.Str("snippetHtml"), StringComparison.Ordinal));
        var only = Assert.Single(reps);
        Assert.Equal("Meeting with Sam <mark>Smiley</mark>", only.Str("titleHtml"));
        Assert.Equal(mine.Id(), only.GetProperty("customerId").GetGuid());
        Assert.Equal(2, both.Length);
        Assert.Empty(await SearchAsync(repClient, "anna smi"));
    }

    private static async Task<JsonElement[]> SearchAsync(HttpClient client, string q) =>
        (await (await client.GetAsync($"/api/v1/search?kinds=interaction&q={Uri.EscapeDataString(q)}")).ExpectAsync(HttpStatusCode.OK)).Items();

    private static async Task LogAsync(HttpClient client, Guid customerId, string subject, string description) =>
        await (await client.PostJsonAsync("/api/v1/interactions", new { customerId, interactionType = "call", direction = "outbound", subject, description }))
            .ExpectAsync(HttpStatusCode.Created);
}
