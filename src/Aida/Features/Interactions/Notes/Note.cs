using Aida.Features.Customers;

namespace Aida.Features.Interactions.Notes;

/// <summary>Who may read a note besides its author (spec 002 Note.visibility, enforced by <see cref="InteractionAccess"/>).</summary>
public enum NoteVisibility
{
    /// <summary>The author only.</summary>
    Private,

    /// <summary>The author's team, that team's manager, and administrators.</summary>
    Team,

    /// <summary>Everyone who can see the customer.</summary>
    All,
}

public enum NoteRelatedType
{
    Contact,
    Interaction,
    Opportunity,
    Case,
    Lead,
}

/// <summary>A free-form Markdown note on a customer (spec 002, interaction_tracking / Note).</summary>
public sealed class Note : TrackedEntity
{
    public const int TitleMaxLength = 200;
    public const int ContentMaxLength = 100_000;

    private string _content = "";
    private string? _title;

    public Guid CustomerId { get; set; }

    public NoteRelatedType? RelatedType { get; set; }

    public Guid? RelatedId { get; set; }

    /// <summary>Free text like the content, so checked for personal data with it.</summary>
    public string? Title
    {
        get => _title;
        set
        {
            _title = value;
            CheckPersonalData();
        }
    }

    /// <summary>Markdown as written; rendered to safe HTML only for display (<see cref="NoteMarkdown"/>).</summary>
    public string Content
    {
        get => _content;
        set
        {
            _content = value;
            CheckPersonalData();
        }
    }

    public bool IsPinned { get; set; }

    public NoteVisibility Visibility { get; set; } = NoteVisibility.Team;

    /// <summary>The content looks like it holds a card number or national id: marked for someone to review (spec edge case).</summary>
    public bool PiiReview { get; private set; }

    /// <summary>What was found, comma-separated (<see cref="PersonalData"/> kinds); never the value itself.</summary>
    public string? PiiKinds { get; private set; }

    public Guid CreatedBy { get; set; }

    public override Guid? AuditCustomerId => CustomerId;

    // A card number typed into the title is as much a card number as one in the text (the line break
    // keeps a number from being pieced together across the two).
    private void CheckPersonalData()
    {
        var found = PersonalData.Find(_title is null ? _content : _title + "\n" + _content);
        PiiReview = found.Count > 0;
        PiiKinds = found.Count > 0 ? string.Join(',', found) : null;
    }
}

public sealed class NoteConfiguration : IEntityTypeConfiguration<Note>
{
    public void Configure(EntityTypeBuilder<Note> builder)
    {
        builder.ToTable("notes");
        builder.HasKey(n => n.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(n => n.Title).HasMaxLength(Note.TitleMaxLength);
        builder.Property(n => n.Version).IsConcurrencyToken();
        // The content and title may hold what PersonalData found; the audit trail keeps that the note changed, not the text.
        builder.Property(n => n.Content).NotAudited();
        builder.Property(n => n.Title).NotAudited();
        builder.Property(n => n.PiiKinds).NotAudited();
        builder.Ignore(n => n.IsDeleted);
    }
}
