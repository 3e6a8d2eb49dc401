using System.Text.Json.Nodes;
using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>Spec 002 Journey's milestone types.</summary>
public enum MilestoneType
{
    FirstContact,
    FirstPurchase,
    OnboardingComplete,
    Renewal,
    Upsell,
    ReferralMade,
    SupportEscalation,
    ChurnSignal,
    WinBack,
}

/// <summary>
/// A milestone of a customer's journey (spec 002 Journey). Aida records those it knows as they happen
/// (<see cref="Journey"/>); integrations and people record the rest through the API. Milestones are facts
/// about the past and are not edited.
/// </summary>
public sealed class JourneyMilestone : AuditedEntity
{
    public const int NoteMaxLength = 500;

    public Guid CustomerId { get; set; }

    public MilestoneType MilestoneType { get; set; }

    public DateTime OccurredAt { get; set; }

    /// <summary>What the milestone is about, as JSON (the purchase, the interaction, the stage move).</summary>
    public string? Details { get; set; }

    public string? Note { get; set; }

    /// <summary>Who recorded it through the API; null when Aida recorded it.</summary>
    public Guid? RecordedBy { get; set; }

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class JourneyMilestoneConfiguration : IEntityTypeConfiguration<JourneyMilestone>
{
    public void Configure(EntityTypeBuilder<JourneyMilestone> builder)
    {
        builder.ToTable("journey_milestones");
        builder.HasKey(m => m.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.RecordedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Details).IsJson();
        builder.Property(m => m.Note).HasMaxLength(JourneyMilestone.NoteMaxLength);
        builder.Property(m => m.Version).IsConcurrencyToken();
        DbErrors.RegisterUnique("ux_journey_milestones_firsts", "journey_milestones.customer_id, journey_milestones.milestone_type", "milestoneType",
            "The customer already has this milestone; a customer is first contacted, and first buys, once.");
    }
}

/// <summary>Record-level access: purchases and milestones exist for whoever reaches the customer (404 otherwise, as for the customer).</summary>
public sealed class ValueAccess : IRecordFilters
{
    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        modelBuilder.Entity<Purchase>().HasQueryFilter(p => db.ReachesAllCustomers || db.Set<Customer>().Any(c => c.Id == p.CustomerId));
        modelBuilder.Entity<JourneyMilestone>().HasQueryFilter(m => db.ReachesAllCustomers || db.Set<Customer>().Any(c => c.Id == m.CustomerId));
    }
}

public sealed record MilestoneResponse(
    Guid Id,
    Guid CustomerId,
    MilestoneType MilestoneType,
    DateTime OccurredAt,
    JsonElement? Details,
    string? Note,
    Guid? RecordedBy,
    bool Automatic,
    DateTime CreatedAt);

/// <summary>
/// Spec 002 Journey: records a customer's milestones and announces each (<c>customer.milestone_reached</c>,
/// AC-2: automation reacts to it). Aida records first contact (<see cref="FirstContactMilestone"/>), first
/// purchase and renewal (<see cref="RecordPurchase"/>), churn signal and win back (<see cref="StageMoves"/>,
/// on entering At Risk or Won Back); the rest — referral made (there are no referrals yet), onboarding,
/// upsell, support escalation — come through <c>POST /customers/{id}/journey</c>.
/// </summary>
public static class Journey
{
    public const string ReachedEvent = "customer.milestone_reached";

    /// <summary>Types a customer reaches once (the database holds it to that too).</summary>
    public static bool IsOnce(MilestoneType type) => type is MilestoneType.FirstContact or MilestoneType.FirstPurchase;

    /// <summary>Adds a milestone and its event to the unit of work; the caller saves.</summary>
    public static JourneyMilestone Record(AidaDb db, Guid customerId, MilestoneType type, DateTime occurredAt, JsonObject? details, string? note = null, Guid? recordedBy = null)
    {
        var milestone = new JourneyMilestone
        {
            CustomerId = customerId,
            MilestoneType = type,
            OccurredAt = occurredAt,
            Details = details?.ToJsonString(ApiJson.Options),
            Note = note,
            RecordedBy = recordedBy,
        };
        db.Add(milestone);
        db.Publish(ReachedEvent, Subject(customerId, milestone.Id), () => new { milestone = milestone.ToResponse() });
        return milestone;
    }

    /// <summary>Whether the customer has a milestone of this type, saved or about to be.</summary>
    public static async Task<bool> HasAsync(AidaDb db, Guid customerId, MilestoneType type, CancellationToken cancellationToken) =>
        db.ChangeTracker.Entries<JourneyMilestone>().Any(e => e.State == EntityState.Added && e.Entity.CustomerId == customerId && e.Entity.MilestoneType == type)
        || await db.Set<JourneyMilestone>().IgnoreQueryFilters().AnyAsync(m => m.CustomerId == customerId && m.MilestoneType == type, cancellationToken);

    public static string Subject(Guid customerId, Guid milestoneId) => $"customers/{customerId}/journey/{milestoneId}";

    public static MilestoneResponse ToResponse(this JourneyMilestone m) =>
        new(m.Id, m.CustomerId, m.MilestoneType, m.OccurredAt,
            m.Details is null ? null : JsonDocument.Parse(m.Details).RootElement.Clone(),
            m.Note, m.RecordedBy, m.RecordedBy is null, m.CreatedAt);

    /// <summary>A title for the milestone's type, for pages and the timeline.</summary>
    public static string Title(MilestoneType type) => type switch
    {
        MilestoneType.FirstContact => "First contact",
        MilestoneType.FirstPurchase => "First purchase",
        MilestoneType.OnboardingComplete => "Onboarding complete",
        MilestoneType.Renewal => "Renewal",
        MilestoneType.Upsell => "Upsell",
        MilestoneType.ReferralMade => "Referral made",
        MilestoneType.SupportEscalation => "Support escalation",
        MilestoneType.ChurnSignal => "Churn signal",
        MilestoneType.WinBack => "Won back",
        _ => type.ToString(),
    };
}
