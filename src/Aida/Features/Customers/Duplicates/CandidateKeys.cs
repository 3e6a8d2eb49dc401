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

    private static async Task<List<StoredCandidate>> LoadChunkAsync(AidaDb db, List<Guid> chunk, CancellationToken cancellationToken)
    {
        var ids = chunk.ToArray();
        var customers = await Customers.For(db)(db, ids).ToListAsync(cancellationToken);
        var contacts = (await Contacts.For(db)(db, ids).ToListAsync(cancellationToken)).ToLookup(c => c.CustomerId);
        var websites = (await Websites.For(db)(db, ids).ToListAsync(cancellationToken)).ToLookup(a => a.CustomerId, a => a.WebsiteDomain);
        var addresses = (await Addresses.For(db)(db, ids).ToListAsync(cancellationToken)).ToLookup(a => a.CustomerId);

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
                people.Select(p => p.EmailNormalized).OfType<string>().ToHashSet(StringComparer.Ordinal),
                people.SelectMany(p => PhoneNumbers.Variants(p.Phone, country)).ToHashSet(StringComparer.Ordinal),
                people.Select(p => p.EmailDomain).OfType<string>().Concat(websites[c.Id]).ToHashSet(StringComparer.Ordinal))
            {
                DisplayName = c.DisplayName,
                Person = c.Type == CustomerType.Individual ? PersonName.Of(primary?.FirstName, primary?.LastName, c.DisplayName) : null,
                Addresses = places,
            };
            return new StoredCandidate(c.Id, c.Status, keys);
        }).ToList();
    }
}
