namespace Aida.Features.Interactions.Notes;

/// <summary>A note as the API shows it: the Markdown, its safe HTML rendering, and the PII review flag (kinds only, never values).</summary>
public sealed record NoteResponse(
    Guid Id,
    Guid CustomerId,
    NoteRelatedType? RelatedType,
    Guid? RelatedId,
    string? Title,
    string Content,
    string ContentHtml,
    bool IsPinned,
    NoteVisibility Visibility,
    bool PiiReview,
    IReadOnlyList<string> PiiKinds,
    Guid CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class NoteMapping
{
    public static NoteResponse ToResponse(this Note n) => new(
        n.Id, n.CustomerId, n.RelatedType, n.RelatedId, n.Title, n.Content, NoteMarkdown.ToHtml(n.Content), n.IsPinned,
        n.Visibility, n.PiiReview, n.PiiKinds?.Split(',') ?? [], n.CreatedBy, n.CreatedAt, n.UpdatedAt, n.Version);

    /// <summary>
    /// The event payload: like the response, without the text (events travel to webhooks and logs; the note
    /// stays where its visibility holds). The title is left out too while the note is marked for review: it
    /// may be where the card number is.
    /// </summary>
    public static object ToEvent(this Note n) => new
    {
        note = new { n.Id, n.CustomerId, Title = n.PiiReview ? null : n.Title, n.IsPinned, n.Visibility, n.PiiReview, n.CreatedBy, n.CreatedAt, n.Version },
    };

    public static string Subject(Note n) => $"customers/{n.CustomerId}/notes/{n.Id}";

    public static string Location(Guid id) => $"/api/v1/notes/{id}";

    /// <summary>What a save with personal data in it tells the writer, so they can take it out.</summary>
    public static string? PiiWarning(this NoteResponse n) => n.PiiReview
        ? "This note looks like it contains " + string.Join(" and ", n.PiiKinds.Select(Describe))
          + ". It was saved and marked for review; remove the number if it does not belong in the CRM."
        : null;

    private static string Describe(string kind) => kind switch
    {
        PersonalData.PaymentCard => "a payment card number",
        PersonalData.NationalId => "a national id number",
        _ => kind,
    };
}
