namespace Aida.Platform.Search;

/// <summary>
/// Every search document belongs to a customer (search_documents.customer_id). The feature that keeps
/// customers registers this once: which customers the actor reaches (a match is shown only if its customer
/// would be found), and the names results are shown beside.
/// </summary>
public interface ISearchCustomers
{
    /// <summary>Narrows <paramref name="matches"/> to those whose customer the actor reaches; composed into the match query like <see cref="ISearchSource.Visible"/>.</summary>
    IQueryable<SearchMatch> Reachable(AidaDb db, IQueryable<SearchMatch> matches);

    /// <summary>The display names of <paramref name="customerIds"/>, in one read.</summary>
    Task<Dictionary<Guid, string>> NamesAsync(AidaDb db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken);
}
