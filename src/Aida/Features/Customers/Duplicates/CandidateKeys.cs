using Aida.Features.Customers.Addresses;

namespace Aida.Features.Customers.Duplicates;

/// <summary>An existing customer as duplicate detection compares it.</summary>
public sealed record StoredCandidate(Guid Id, CustomerStatus Status, MatchKeys Keys);

/// <summary>
/// Reads what the scorer compares for the customers the blocking keys found: name, every contact's mailbox
/// and phone (read in the country of the customer's first address), company domains and addresses. A few
/// indexed reads by customer id, for at most a few dozen customers per create (or per import chunk).
/// </summary>
public static class CandidateKeys
{
    private const int Chunk = 500;

    public static async Task<List<StoredCandidate>> LoadAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var result = new List<StoredCandidate>(ids.Count);
        for (var i = 0; i < ids.Count; i += Chunk)
        {
            result.AddRange(await LoadChunkAsync(db, ids.GetRange(i, Math.Min(Chunk, ids.Count - i)), cancellationToken));
        }

        return result;
    }

    private sealed record CustomerRow(Guid Id, CustomerType Type, CustomerStatus Status, string DisplayName, string NameKey, string NamePhonetic);

    private sealed record ContactRow(Guid CustomerId, bool IsPrimary, string? FirstName, string? LastName, string? EmailNormalized, string? EmailDomain, string? Phone);

    private sealed record WebsiteRow(Guid CustomerId, string WebsiteDomain);

    private sealed record AddressRow(Guid CustomerId, bool IsDefault, string StreetLine1, string? PostalCode, string? City, string? Country);

    // Compiled: every create runs these four, and translating them each time cost as much as running them.
    private static readonly CompiledPerModel<Func<AidaDb, Guid[], IAsyncEnumerable<CustomerRow>>> Customers = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid[] ids) => CustomerAccess.All(db).AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new CustomerRow(c.Id, c.Type, c.Status, c.DisplayName, c.NameKey, c.NamePhonetic))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid[], IAsyncEnumerable<ContactRow>>> Contacts = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid[] ids) => CustomerAccess.AllContacts(db).AsNoTracking().Where(c => ids.Contains(c.CustomerId))
            .Select(c => new ContactRow(c.CustomerId, c.IsPrimary, c.FirstName, c.LastName, c.EmailNormalized, c.EmailDomain, c.Phone))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid[], IAsyncEnumerable<WebsiteRow>>> Websites = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid[] ids) => CustomerAccess.AllAccounts(db).AsNoTracking().Where(a => ids.Contains(a.CustomerId) && a.WebsiteDomain != null)
            .Select(a => new WebsiteRow(a.CustomerId, a.WebsiteDomain!))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid[], IAsyncEnumerable<AddressRow>>> Addresses = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid[] ids) => db.Set<Address>().IgnoreQueryFilters().AsNoTracking().Where(a => a.DeletedAt == null && ids.Contains(a.CustomerId))
            .Select(a => new AddressRow(a.CustomerId, a.IsDefault, a.StreetLine1, a.PostalCode, a.City, a.Country))));

    /// <summary>The live addresses of these customers, as the scorer compares them (<see cref="StreetAddress"/>).</summary>
    public static async Task<List<(Guid CustomerId, StreetAddress Address)>> AddressesAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = new List<AddressRow>(ids.Count);
        for (var i = 0; i < ids.Count; i += Chunk)
        {
            rows.AddRange(await Addresses.For(db)(db, ids.GetRange(i, Math.Min(Chunk, ids.Count - i)).ToArray()).ToListAsync(cancellationToken));
        }

        return rows.ConvertAll(a => (a.CustomerId, StreetAddress.Of(a.StreetLine1, a.PostalCode, a.City, a.Country)));
    }

    private static async Task<List<StoredCandidate>> LoadChunkAsync(AidaDb db, List<Guid> chunk, CancellationToken cancellationToken)
    {
        var ids = chunk.ToArray();
        var customers = await Customers.For(db)(db, ids).ToListAsync(cancellationToken);
        var contacts = await Contacts.For(db)(db, ids).ToListAsync(cancellationToken);
        var websites = await Websites.For(db)(db, ids).ToListAsync(cancellationToken);
        var addresses = await Addresses.For(db)(db, ids).ToListAsync(cancellationToken);
        return Build(customers, contacts, websites, addresses);
    }

    /// <summary>
    /// Up to <paramref name="size"/> live customers after <paramref name="after"/> in id order, as the scorer compares
    /// them: four range reads (the customers, then their contacts, accounts and addresses by customer id between the
    /// first and the last), for the duplicate scan's full pass, which reads every customer in order.
    /// </summary>
    public static async Task<List<StoredCandidate>> LoadRangeAsync(AidaDb db, Guid after, int size, CancellationToken cancellationToken)
    {
        var customers = await CustomersAfter.For(db)(db, after, size).ToListAsync(cancellationToken);
        if (customers.Count == 0)
        {
            return [];
        }

        var last = customers[^1].Id;
        var contacts = await ContactsBetween.For(db)(db, after, last).ToListAsync(cancellationToken);
        var websites = await WebsitesBetween.For(db)(db, after, last).ToListAsync(cancellationToken);
        var addresses = await AddressesBetween.For(db)(db, after, last).ToListAsync(cancellationToken);
        return Build(customers, contacts, websites, addresses);
    }

    private static readonly CompiledPerModel<Func<AidaDb, Guid, int, IAsyncEnumerable<CustomerRow>>> CustomersAfter = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid after, int size) => CustomerAccess.All(db).AsNoTracking().Where(c => c.Id.CompareTo(after) > 0).OrderBy(c => c.Id).Take(size)
            .Select(c => new CustomerRow(c.Id, c.Type, c.Status, c.DisplayName, c.NameKey, c.NamePhonetic))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid, Guid, IAsyncEnumerable<ContactRow>>> ContactsBetween = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid after, Guid last) => CustomerAccess.AllContacts(db).AsNoTracking()
            .Where(c => c.CustomerId.CompareTo(after) > 0 && c.CustomerId.CompareTo(last) <= 0)
            .Select(c => new ContactRow(c.CustomerId, c.IsPrimary, c.FirstName, c.LastName, c.EmailNormalized, c.EmailDomain, c.Phone))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid, Guid, IAsyncEnumerable<WebsiteRow>>> WebsitesBetween = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid after, Guid last) => CustomerAccess.AllAccounts(db).AsNoTracking()
            .Where(a => a.CustomerId.CompareTo(after) > 0 && a.CustomerId.CompareTo(last) <= 0 && a.WebsiteDomain != null)
            .Select(a => new WebsiteRow(a.CustomerId, a.WebsiteDomain!))));

    private static readonly CompiledPerModel<Func<AidaDb, Guid, Guid, IAsyncEnumerable<AddressRow>>> AddressesBetween = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid after, Guid last) => db.Set<Address>().IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.DeletedAt == null && a.CustomerId.CompareTo(after) > 0 && a.CustomerId.CompareTo(last) <= 0)
            .Select(a => new AddressRow(a.CustomerId, a.IsDefault, a.StreetLine1, a.PostalCode, a.City, a.Country))));

    private static List<StoredCandidate> Build(List<CustomerRow> customers, List<ContactRow> contactRows, List<WebsiteRow> websiteRows, List<AddressRow> addressRows)
    {
        var contacts = contactRows.ToLookup(c => c.CustomerId);
        var websites = websiteRows.ToLookup(a => a.CustomerId, a => a.WebsiteDomain);
        var addresses = addressRows.ToLookup(a => a.CustomerId);
        return customers.Select(c =>
        {
            var places = addresses[c.Id].OrderByDescending(a => a.IsDefault)
                .Select(a => StreetAddress.Of(a.StreetLine1, a.PostalCode, a.City, a.Country)).ToList();
            var country = places.Select(a => a.Country).FirstOrDefault(x => x is not null);
            var people = contacts[c.Id].OrderByDescending(x => x.IsPrimary).ToList();
            var primary = people.FirstOrDefault();
            var keys = new MatchKeys(
                c.Type,
                c.NameKey,
                c.NamePhonetic,
                // Arrays, not sets: a customer has one or two of each, and a full pass of the scan holds a hundred
                // thousand customers' keys at once.
                people.Select(p => p.EmailNormalized).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
                people.SelectMany(p => PhoneNumbers.Variants(p.Phone, country)).Distinct(StringComparer.Ordinal).ToArray(),
                people.Select(p => p.EmailDomain).OfType<string>().Concat(websites[c.Id]).Distinct(StringComparer.Ordinal).ToArray())
            {
                DisplayName = c.DisplayName,
                Person = c.Type == CustomerType.Individual ? PersonName.Of(primary?.FirstName, primary?.LastName, c.DisplayName) : null,
                Addresses = places,
            };
            return new StoredCandidate(c.Id, c.Status, keys);
        }).ToList();
    }
}
