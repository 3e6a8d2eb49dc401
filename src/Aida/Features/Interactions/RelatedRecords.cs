using Aida.Features.Customers.Contacts;
using Aida.Features.Deals;
using Aida.Features.Interactions.Notes;
using Aida.Features.Leads;

namespace Aida.Features.Interactions;

/// <summary>
/// The record a note or an interaction is about (<c>relatedType</c> + <c>relatedId</c>): it must exist and
/// be in the actor's reach, read through the same record filters as <c>GET /{records}/{id}</c>, so a link
/// can neither point at nothing nor confirm that another team's record exists. Refused as a validation
/// problem naming <c>relatedId</c>, in the words used for an unknown <c>customerId</c>. Aida keeps no
/// cases or work orders, so those cannot be linked (the spec lists them for systems Aida does not replace).
/// </summary>
public static class RelatedRecords
{
    public static Task CheckAsync(AidaDb db, NoteRelatedType? type, Guid? id, ValidationErrors errors, CancellationToken cancellationToken) =>
        type switch
        {
            null => Task.CompletedTask,
            NoteRelatedType.Contact => ExistsAsync(db.Set<Contact>().Where(c => c.Id == id), "contact", errors, cancellationToken),
            NoteRelatedType.Interaction => ExistsAsync(db.Set<Interaction>().Where(i => i.Id == id), "interaction", errors, cancellationToken),
            NoteRelatedType.Opportunity => ExistsAsync(db.Set<Opportunity>().Where(o => o.Id == id), "opportunity", errors, cancellationToken),
            NoteRelatedType.Lead => ExistsAsync(db.Set<Lead>().Where(l => l.Id == id), "lead", errors, cancellationToken),
            _ => NotKept(errors, "cases"),
        };

    public static Task CheckAsync(AidaDb db, RelatedRecordType? type, Guid? id, ValidationErrors errors, CancellationToken cancellationToken) =>
        type switch
        {
            null => Task.CompletedTask,
            RelatedRecordType.Opportunity => ExistsAsync(db.Set<Opportunity>().Where(o => o.Id == id), "opportunity", errors, cancellationToken),
            RelatedRecordType.Lead => ExistsAsync(db.Set<Lead>().Where(l => l.Id == id), "lead", errors, cancellationToken),
            RelatedRecordType.Case => NotKept(errors, "cases"),
            _ => NotKept(errors, "work orders"),
        };

    private static async Task ExistsAsync<T>(IQueryable<T> record, string name, ValidationErrors errors, CancellationToken cancellationToken)
    {
        // An id missing beside its type is reported by the pairing rule already.
        if (!errors.Has("relatedId") && !await record.AnyAsync(cancellationToken))
        {
            errors.Add("relatedId", $"No {name} with this id exists, or it is not yours to see.");
        }
    }

    private static Task NotKept(ValidationErrors errors, string kind)
    {
        errors.Add("relatedType", $"Aida keeps no {kind}, so none can be linked; link an opportunity or a lead.");
        return Task.CompletedTask;
    }
}
