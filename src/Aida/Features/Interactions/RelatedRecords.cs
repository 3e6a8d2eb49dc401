using Aida.Features.Customers.Contacts;
using Aida.Features.Interactions.Notes;

namespace Aida.Features.Interactions;

/// <summary>
/// The record a note or an interaction is about (<c>relatedType</c> + <c>relatedId</c>): it must exist and
/// be in the actor's reach, read through the same record filters as <c>GET /{records}/{id}</c>, so a link
/// can neither point at nothing nor confirm that another team's record exists. Refused as a validation
/// problem naming <c>relatedId</c>, in the words used for an unknown <c>customerId</c>. Contacts and
/// interactions are checked here; the records other features keep (opportunities, leads) by what they
/// register (<see cref="ILinkableRecords"/>). Aida keeps no cases or work orders, so those cannot be linked
/// (the spec lists them for systems Aida does not replace).
/// </summary>
public sealed class RelatedRecords(IEnumerable<ILinkableRecords> linkable)
{
    private readonly Dictionary<string, ILinkableRecords> _byType = linkable.ToDictionary(l => l.Type, StringComparer.Ordinal);

    public Task CheckAsync(AidaDb db, NoteRelatedType? type, Guid? id, ValidationErrors errors, CancellationToken cancellationToken) =>
        type switch
        {
            null => Task.CompletedTask,
            NoteRelatedType.Contact => ExistsAsync(db.Set<Contact>().Where(c => c.Id == id), "contact", errors, cancellationToken),
            NoteRelatedType.Interaction => ExistsAsync(db.Set<Interaction>().Where(i => i.Id == id), "interaction", errors, cancellationToken),
            NoteRelatedType.Case => NotKept(errors, "cases"),
            { } other => LinkedAsync(db, EnumText<NoteRelatedType>.ToText(other), id, errors, cancellationToken),
        };

    public Task CheckAsync(AidaDb db, RelatedRecordType? type, Guid? id, ValidationErrors errors, CancellationToken cancellationToken) =>
        type switch
        {
            null => Task.CompletedTask,
            RelatedRecordType.Case => NotKept(errors, "cases"),
            RelatedRecordType.WorkOrder => NotKept(errors, "work orders"),
            { } other => LinkedAsync(db, EnumText<RelatedRecordType>.ToText(other), id, errors, cancellationToken),
        };

    /// <summary>Tells the feature that keeps the record an interaction is about that it is being logged (<see cref="ILinkableRecords.InteractionLoggedAsync"/>).</summary>
    public Task InteractionLoggedAsync(AidaDb db, Interaction interaction, CancellationToken cancellationToken) =>
        interaction.RelatedType is { } type && _byType.TryGetValue(EnumText<RelatedRecordType>.ToText(type), out var records)
            ? records.InteractionLoggedAsync(db, interaction, cancellationToken)
            : Task.CompletedTask;

    private static async Task ExistsAsync<T>(IQueryable<T> record, string name, ValidationErrors errors, CancellationToken cancellationToken)
    {
        // An id missing beside its type is reported by the pairing rule already.
        if (!errors.Has("relatedId") && !await record.AnyAsync(cancellationToken))
        {
            errors.Add("relatedId", $"No {name} with this id exists, or it is not yours to see.");
        }
    }

    private async Task LinkedAsync(AidaDb db, string type, Guid? id, ValidationErrors errors, CancellationToken cancellationToken)
    {
        // Each related type of the spec that Aida keeps is registered by the feature that keeps it (Program.cs
        // adds them all); one missing is a composition error, not the caller's.
        var records = _byType.GetValueOrDefault(type)
            ?? throw new InvalidOperationException($"No feature registered the '{type}' records notes and interactions link to ({nameof(ILinkableRecords)}).");
        if (!errors.Has("relatedId") && (id is not { } recordId || !await records.ExistsAsync(db, recordId, cancellationToken)))
        {
            errors.Add("relatedId", $"No {type} with this id exists, or it is not yours to see.");
        }
    }

    private static Task NotKept(ValidationErrors errors, string kind)
    {
        errors.Add("relatedType", $"Aida keeps no {kind}, so none can be linked; link an opportunity or a lead.");
        return Task.CompletedTask;
    }
}
