using Aida.Features.Interactions;

namespace Aida.Features.Interactions.Notes;

public static class NoteRules
{
    public static string? Content(ValidationErrors errors, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add("content", "Is required.");
            return null;
        }

        return LogInteraction.LongText(errors, "content", value, Note.ContentMaxLength);
    }

    public static void Related(ValidationErrors errors, NoteRelatedType? type, Guid? id)
    {
        if (type is null != id is null)
        {
            errors.Add(type is null ? "relatedType" : "relatedId", "relatedType and relatedId go together: send both or neither.");
        }
    }

    /// <summary>The note's author may change everything; others who can see it may pin or unpin it.</summary>
    public static bool MayEdit(AidaDb db, Note note) => note.CreatedBy == db.Operation.ActorId;
}
