using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Aida.Platform.Ui;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Pages;

/// <summary>Contacts across every customer in reach: by name prefix or email, cursor-paged.</summary>
public static class ContactListPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, string? q, string? cursor, CancellationToken cancellationToken)
    {
        var query = q?.Trim();
        var byEmail = query?.Contains('@', StringComparison.Ordinal) == true;
        var outcome = Outcome.Of<Page<ContactResponse>>(await SearchContacts.Handle(
            new SearchContacts.Query(byEmail ? null : query, byEmail ? query : null, null, null, null, null, null, cursor), db, cancellationToken));
        var ids = outcome.Value?.Items.Select(c => c.CustomerId).Distinct().ToList() ?? [];
        var names = await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        return Html.Page<ContactListPage>(new
        {
            Context = UiContext.For(http),
            Query = query,
            Contacts = outcome.Value,
            CustomerNames = names,
            Errors = outcome.FieldErrors,
        }, outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}
