using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Platform.Audit;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform;

/// <summary>
/// What a test can see in the database, soft-deleted rows included, to prove a refused request left no
/// trace. Audit entries and events count when they belong to a customer: the test's own administrator
/// (user, token) is set up with audit entries and events of its own.
/// </summary>
public sealed record Stored(int Customers, int Contacts, int Addresses, int AuditEntries, int Events)
{
    public static readonly Stored Nothing = new(0, 0, 0, 0, 0);

    public static Stored operator +(Stored before, Stored added) => before.Add(added);

    /// <summary>What is stored after <paramref name="added"/> more: a test on a shared server counts from what it found.</summary>
    public Stored Add(Stored added) => new(
        Customers + added.Customers, Contacts + added.Contacts, Addresses + added.Addresses, AuditEntries + added.AuditEntries, Events + added.Events);

    public static Task<Stored> CountAsync(AidaApp app) => app.QueryAsync(async d => new Stored(
        await d.Set<Customer>().IgnoreQueryFilters().CountAsync(),
        await d.Set<Contact>().IgnoreQueryFilters().CountAsync(),
        await d.Set<Address>().IgnoreQueryFilters().CountAsync(),
        await d.Set<AuditEntry>().CountAsync(a => a.CustomerId != null),
        await d.Set<OutboxEvent>().CountAsync(e => e.CustomerId != null)));
}
