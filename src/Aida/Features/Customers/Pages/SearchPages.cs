using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Aida.Platform.Ui;

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
        var contacts = Outcome.Of<Page<ContactResponse>>(await SearchContacts.Handle(ContactQuery(query, limit, null), db, cancellationToken)).Value?.Items ?? [];
        var names = await CustomerPages.NamesAsync(db, contacts.Select(c => c.CustomerId).ToHashSet(), cancellationToken);
        return new SearchFound(customers, contacts, names);
    }

    /// <summary>What people type into a contact search: an email when it has an @, else the start of a name.</summary>
    public static SearchContacts.Query ContactQuery(string? query, int? limit, string? cursor)
    {
        var byEmail = query?.Contains('@', StringComparison.Ordinal) == true;
        return new SearchContacts.Query(byEmail ? null : query, byEmail ? query : null, null, null, null, null, limit, cursor);
    }
}

public sealed record SearchFound(IReadOnlyList<CustomerResponse> Customers, IReadOnlyList<ContactResponse> Contacts, IReadOnlyDictionary<Guid, string> CustomerNames)
{
    public static readonly SearchFound Nothing = new([], [], new Dictionary<Guid, string>());

    public bool IsEmpty => Customers.Count == 0 && Contacts.Count == 0;
}
