using System.Net;
using Aida.Features.Deals;
using Aida.Features.Deals.Notices;
using Aida.Platform.Auth;
using Aida.Tests.Features.Leads;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Deals;

/// <summary>Issue 19 item 5: a deal's owner hears once that an open deal has gone quiet, and again only after activity and another quiet spell.</summary>
public sealed class StaleDealNoticesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AQuietOpenDeal_TellsItsOwnerOnce_AndAgainAfterActivityAndAnotherQuietSpell(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CustomerAsync();
        var (quiet, _) = await app.Client.CreateDealAsync(customer, title: Builders.Unique("Quiet deal "), ownerId: rep.Id);
        var (busy, _) = await app.Client.CreateDealAsync(customer, title: Builders.Unique("Busy deal "), ownerId: rep.Id);
        var (won, wonTag) = await app.Client.CreateDealAsync(customer, title: Builders.Unique("Won deal "), ownerId: rep.Id);
        await (await app.Client.MoveAsync(won.Id(), DealsTesting.ClosedWon, wonTag, "Signed")).ExpectAsync(HttpStatusCode.OK);
        await LastActivityAsync(app, quiet.Id(), DateTime.UtcNow.AddDays(-20));
        await LastActivityAsync(app, busy.Id(), DateTime.UtcNow.AddDays(-3));
        await LastActivityAsync(app, won.Id(), DateTime.UtcNow.AddDays(-40));
        var job = app.Services.GetRequiredService<StaleDealNotices>();

        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        var notice = Assert.Single(await LeadNoticesTests.NoticesAsync(repClient, "deal_stale"));
        Assert.Equal($"/deals/{quiet.Id()}", notice.Str("link"));
        Assert.Contains("20 days", notice.Str("title"), StringComparison.Ordinal);
        Assert.Contains(quiet.Str("title"), notice.Str("title"), StringComparison.Ordinal);

        // Activity after the notice makes it fresh; another quiet spell (the notice 16 days ago, activity 15 days ago) tells again.
        await LastActivityAsync(app, quiet.Id(), DateTime.UtcNow.AddMinutes(1));
        await job.RunAsync(CancellationToken.None);
        Assert.Single(await LeadNoticesTests.NoticesAsync(repClient, "deal_stale"));
        await LastActivityAsync(app, quiet.Id(), DateTime.UtcNow.AddDays(-15), notifiedAt: DateTime.UtcNow.AddDays(-16));
        await job.RunAsync(CancellationToken.None);
        Assert.Equal(2, (await LeadNoticesTests.NoticesAsync(repClient, "deal_stale")).Count);
    }

    private static async Task LastActivityAsync(AidaApp app, Guid dealId, DateTime at, DateTime? notifiedAt = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Aida.Platform.Data.AidaDb>();
        var deals = db.Set<Opportunity>().IgnoreQueryFilters().Where(o => o.Id == dealId);
        await deals.ExecuteUpdateAsync(s => s.SetProperty(o => o.LastActivityAt, at));
        if (notifiedAt is not null)
        {
            await deals.ExecuteUpdateAsync(s => s.SetProperty(o => o.StaleNotifiedAt, notifiedAt));
        }
    }
}
