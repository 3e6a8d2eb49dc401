using System.Net;
using Aida.Features.Customers;
using Aida.Features.Lifecycle;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// The inactivity rule (issue 16 item 3): a customer with no purchase and no interaction for the configured
/// period moves to Churned, recorded as a rule. On a server of its own: the rule sweeps every customer.
/// </summary>
public sealed class InactivityChurnTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CustomersQuietForThePeriod_MoveToChurned_AndNoOneElse(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var settings = await (await app.Client.GetAsync("/api/v1/lifecycle/settings")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = 30 }, $"\"{settings.GetProperty("version").GetInt32()}\""))
            .ExpectAsync(HttpStatusCode.OK);

        var quiet = await LifecycleBoardTests.CreateActiveAsync(app.Client);
        var recentCall = await LifecycleBoardTests.CreateActiveAsync(app.Client);
        var recentPurchase = await LifecycleBoardTests.CreateActiveAsync(app.Client);
        var newCustomer = await LifecycleBoardTests.CreateActiveAsync(app.Client);
        var prospect = (await app.Client.CreateIndividualAsync()).Id();
        var atRisk = await LifecycleBoardTests.CreateActiveAsync(app.Client);
        await (await app.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{atRisk}/lifecycle", new { stageId = LifecycleStage.AtRiskId }, null))
            .ExpectAsync(HttpStatusCode.OK);

        // Two months of history, written as it would have happened: customers since then, one call ten days ago.
        var longAgo = DateTime.UtcNow.AddDays(-60);
        await BackdateAsync(app, longAgo, quiet, recentCall, recentPurchase, prospect, atRisk);
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = recentCall, interactionType = "call", direction = "inbound", subject = "Renewal question", occurredAt = DateTime.UtcNow.AddDays(-10),
        })).ExpectAsync(HttpStatusCode.Created);
        await app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().Where(l => l.Id == recentPurchase)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastPurchaseDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-5)))
                .SetProperty(l => l.FirstPurchaseDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-5))).SetProperty(l => l.PurchaseCount, 1)));

        var rule = app.Services.GetRequiredService<InactivityChurn>();
        Assert.Equal(2, await rule.RunOnceAsync(CancellationToken.None));

        var stages = await app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().ToDictionaryAsync(l => l.Id, l => l.CurrentStageId));
        Assert.Equal(LifecycleStage.ChurnedId, stages[quiet]);
        Assert.Equal(LifecycleStage.ChurnedId, stages[atRisk]);
        Assert.Equal(LifecycleStage.CustomerId, stages[recentCall]);
        Assert.Equal(LifecycleStage.CustomerId, stages[recentPurchase]);
        Assert.Equal(LifecycleStage.CustomerId, stages[newCustomer]);
        Assert.Equal(LifecycleStage.ProspectId, stages[prospect]);

        var history = await (await app.Client.GetAsync($"/api/v1/customers/{quiet}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK);
        var entry = history.EnumerateArray().First();
        Assert.Equal(("customer", "churned", "rule"), (entry.GetProperty("from").Str("code"), entry.GetProperty("to").Str("code"), entry.Str("trigger")));
        Assert.Equal("No purchase or interaction for 30 days", entry.Str("ruleName"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, entry.GetProperty("changedBy").ValueKind);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .CountAsync(e => e.Subject == $"customers/{quiet}/lifecycle" && e.Type == "customer.stage_changed")));

        // Churned customers are not moved again; with the rule off, no one is.
        Assert.Equal(0, await rule.RunOnceAsync(CancellationToken.None));
        settings = await (await app.Client.GetAsync("/api/v1/lifecycle/settings")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = (int?)null }, $"\"{settings.GetProperty("version").GetInt32()}\""))
            .ExpectAsync(HttpStatusCode.OK);
        await BackdateAsync(app, longAgo, newCustomer);
        Assert.Equal(0, await rule.RunOnceAsync(CancellationToken.None));
        Assert.Equal(LifecycleStage.CustomerId, await app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().Where(l => l.Id == newCustomer).Select(l => l.CurrentStageId).SingleAsync()));
    }

    private static async Task BackdateAsync(AidaApp app, DateTime when, params Guid[] customers)
    {
        await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => customers.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, when)));
        await app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().Where(l => customers.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.EnteredStageAt, when)));
    }
}
