using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers.Pages;

/// <summary>Contacts across every customer in reach: by name prefix or email, cursor-paged.</summary>
public static class ContactListPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, string? q, string? cursor, CancellationToken cancellationToken)
    {
        var query = q?.Trim();
        var result = await SearchContacts.RunAsync(SearchPages.ContactQuery(query, null, cursor), db, cancellationToken);
        var names = await CustomerPages.NamesAsync(db, result.Value?.Items.Select(c => c.CustomerId).ToHashSet() ?? [], cancellationToken);
        return Html.Page<ContactListPage>(new
        {
            Context = UiContext.For(http),
            Query = query,
            Contacts = result.Value,
            CustomerNames = names,
            Errors = result.Failure?.FieldErrors,
        }, result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}
