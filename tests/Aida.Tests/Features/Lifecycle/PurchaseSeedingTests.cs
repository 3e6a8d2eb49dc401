using Aida.DemoData;
using Aida.Features.Lifecycle;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// <c>aida seed --scale … --purchases N</c>'s loader: the purchase figures its set-based UPDATE writes agree,
/// customer by customer, with what the purchases say and with what the API would have kept.
/// </summary>
public sealed class PurchaseSeedingTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SeededPurchases_LeaveEveryCustomersFiguresInAgreementWithThem(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);
        await using var app = await AidaApp.StartAsync(database);
        for (var i = 0; i < 40; i++)
        {
            await app.Client.CreateIndividualAsync();
        }

        var (added, _) = await SyntheticPurchases.SeedAsync(app.Services, 600, 7, null, CancellationToken.None);

        Assert.Equal(600, added);
        var purchases = await app.QueryAsync(d => d.Set<Purchase>().IgnoreQueryFilters().AsNoTracking().ToListAsync());
        var lifecycles = await app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().AsNoTracking().ToListAsync());
        Assert.Equal(600, purchases.Count);
        Assert.Contains(purchases, p => p.IsRefund);
        Assert.Equal(40, lifecycles.Count);
        foreach (var lifecycle in lifecycles)
        {
            var own = purchases.Where(p => p.CustomerId == lifecycle.Id).ToList();
            var bought = own.Where(p => !p.IsRefund).ToList();
            Assert.Equal(own.Sum(p => p.Amount), lifecycle.TotalRevenue);
            Assert.Equal(bought.Count, lifecycle.PurchaseCount);
            Assert.Equal(bought.Count == 0 ? null : bought.Min(p => p.PurchasedOn), lifecycle.FirstPurchaseDate);
            Assert.Equal(bought.Count == 0 ? null : bought.Max(p => p.PurchasedOn), lifecycle.LastPurchaseDate);
            Assert.Equal(own.Select(p => p.Currency).Distinct().SingleOrDefault(), lifecycle.PurchaseCurrency);
        }
    }
}
