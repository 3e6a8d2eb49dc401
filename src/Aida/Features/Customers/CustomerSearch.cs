using Aida.Platform.Search;

namespace Aida.Features.Customers;

/// <summary>
/// Customers' part of global search: customer and contact documents (the triggers of migration 0003 write
/// them), and the customer every document belongs to — a match is shown only if the customer query filter
/// (<see cref="CustomerAccess"/>) would find its customer for this actor.
/// </summary>
public sealed class CustomerSearch : ISearchSource, ISearchCustomers
{
    public IReadOnlyList<SearchKind> Kinds { get; } = [new("customer", "Customers"), new("contact", "Contacts")];

    /// <summary>A customer or contact document is as visible as its customer, which <see cref="Reachable"/> already decides.</summary>
    public IQueryable<SearchMatch> Visible(AidaDb db, IQueryable<SearchMatch> matches) => matches;

    public string UrlOf(SearchHit hit) => hit.Kind == "contact"
        ? $"/customers/{hit.CustomerId}?tab=contacts"
        : $"/customers/{hit.CustomerId}";

    public IQueryable<SearchMatch> Reachable(AidaDb db, IQueryable<SearchMatch> matches) =>
        matches.Where(m => db.Set<Customer>().Any(c => c.Id == m.CustomerId));

    public async Task<Dictionary<Guid, string>> NamesAsync(AidaDb db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        await db.Set<Customer>().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
}
