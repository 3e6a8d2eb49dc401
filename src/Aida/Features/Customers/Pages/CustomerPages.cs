namespace Aida.Features.Customers.Pages;

/// <summary>What the customer pages, and the pages of records that belong to a customer, read about customers.</summary>
public static class CustomerPages
{
    /// <summary>The display names of the customers with <paramref name="ids"/> that are in reach, for pages that list their records.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(AidaDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);

    /// <summary>The customer a page is about, through the API's use case: null when there is none in the actor's reach.</summary>
    public static async Task<CustomerResponse?> FindAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        (await GetCustomer.RunAsync(id, db, cancellationToken)).Value;
}
