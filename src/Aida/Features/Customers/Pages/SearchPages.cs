using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Aida.Platform.Ui;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// The layout's search box (customers and contacts for now): suggestions as you type, and a results
/// page when submitted. Both use the list and contact-search handlers, so they honour record access.
/// </summary>
public static class SearchPages
{
    private const int SuggestionCount = 5;
    private const int ResultCount = 25;

    public static async Task<IResult> Results(HttpContext http, AidaDb db, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, q, ResultCount, cancellationToken);
        return Html.Page<SearchPage>(new { Context = UiContext.For(http), Query = q?.Trim() ?? "", Found = found });
    }

    public static async Task<IResult> Suggestions(AidaDb db, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, q, SuggestionCount, cancellationToken);
        return Html.Page<SearchSuggestions>(new { Query = q?.Trim() ?? "", Found = found });
    }

    public static async Task<SearchFound> FindAsync(AidaDb db, string? q, int limit, CancellationToken cancellationToken)
    {
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query) || query.Length > 200)
        {
            return SearchFound.Nothing;
        }

        var customers = Outcome.Of<Page<CustomerResponse>>(await ListCustomers.Handle(
            new ListCustomers.Query(query, null, null, null, null, null, null, "displayName", limit, null), db, cancellationToken)).Value?.Items ?? [];
        var byEmail = query.Contains('@', StringComparison.Ordinal);
        var contacts = Outcome.Of<Page<ContactResponse>>(await SearchContacts.Handle(
            new SearchContacts.Query(byEmail ? null : query, byEmail ? query : null, null, null, null, null, limit, null), db, cancellationToken)).Value?.Items ?? [];
        var ids = contacts.Select(c => c.CustomerId).Distinct().ToList();
        var names = ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        return new SearchFound(customers, contacts, names);
    }
}

public sealed record SearchFound(IReadOnlyList<CustomerResponse> Customers, IReadOnlyList<ContactResponse> Contacts, IReadOnlyDictionary<Guid, string> CustomerNames)
{
    public static readonly SearchFound Nothing = new([], [], new Dictionary<Guid, string>());

    public bool IsEmpty => Customers.Count == 0 && Contacts.Count == 0;
}
