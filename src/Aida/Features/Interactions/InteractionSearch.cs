using Aida.Features.Interactions.Notes;
using Aida.Platform.Search;

namespace Aida.Features.Interactions;

/// <summary>
/// Interactions' part of global search: interaction documents (subject and description) and note documents
/// (title and content), which the triggers of migration 0003 write. A note is found only by those who may
/// read it: the note query filter (visibility) decides, as it does for every other read of notes.
/// </summary>
public sealed class InteractionSearch : ISearchSource
{
    public IReadOnlyList<SearchKind> Kinds { get; } = [new("interaction", "Interactions"), new("note", "Notes")];

    public IQueryable<SearchMatch> Visible(AidaDb db, IQueryable<SearchMatch> matches) =>
        matches.Where(m => m.Kind != "note" || db.Set<Note>().Any(n => n.Id == m.RecordId));

    public string UrlOf(SearchHit hit) => hit.Kind == "interaction"
        ? $"/interactions/{hit.RecordId}"
        : $"/notes/{hit.RecordId}";
}
