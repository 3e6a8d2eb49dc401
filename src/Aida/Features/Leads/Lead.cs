using Aida.Features.Customers;

namespace Aida.Features.Leads;

/// <summary>Where a lead came from (spec 004 <c>leads.source_type</c>, plus <c>api</c> for integrations).</summary>
public enum LeadSourceType
{
    Website,
    Phone,
    WalkIn,
    Referral,
    Social,
    Email,
    Api,
    Other,
}

public enum QualificationStatus
{
    Unqualified,
    Qualifying,
    Qualified,
    Disqualified,
}

/// <summary>Spec 004 <c>leads.status</c>: a lead is worked while active and ends converted, lost or unresponsive.</summary>
public enum LeadStatus
{
    Active,
    Converted,
    Lost,
    Unresponsive,
}

public enum Urgency
{
    Low,
    Medium,
    High,
    Urgent,
}

/// <summary>BANT "authority": how far the person can decide the purchase.</summary>
public enum LeadAuthority
{
    Unknown,
    None,
    Influencer,
    DecisionMaker,
}

/// <summary>BANT "need": how strongly the need was confirmed.</summary>
public enum LeadNeed
{
    Unknown,
    Low,
    Medium,
    High,
}

/// <summary>BANT "timeline": when the lead means to buy.</summary>
public enum PurchaseTimeline
{
    Unknown,
    Immediate,
    ThisMonth,
    ThisQuarter,
    ThisYear,
    Later,
}

/// <summary>
/// A prospect not yet a customer (spec 004 <c>leads</c>, spec 001 lead fields): who they are, where
/// they came from (source and UTM attribution), what they need (BANT), how good they look (score with
/// its factors), who works them (assignee and the routing rule that chose them), how often they were
/// chased, and what they became.
/// </summary>
public sealed class Lead : TrackedEntity
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 50;
    public const int CompanyMaxLength = 200;
    public const int JobTitleMaxLength = 200;
    public const int SourceDetailMaxLength = 500;
    public const int UtmMaxLength = 200;
    public const int UrlMaxLength = 2000;
    public const int NeedsMaxLength = 10_000;
    public const int ReasonMaxLength = 500;
    public const int RoutingReasonMaxLength = 500;

    private string? _email;
    private string? _phone;
    private string? _firstName;
    private string? _lastName;

    public string? FirstName
    {
        get => _firstName;
        set
        {
            _firstName = value;
            SetNameKeys();
        }
    }

    public string? LastName
    {
        get => _lastName;
        set
        {
            _lastName = value;
            SetNameKeys();
        }
    }

    public string? Email
    {
        get => _email;
        set
        {
            _email = value;
            EmailNormalized = Matching.NormalizeEmail(value);
        }
    }

    public string? Phone
    {
        get => _phone;
        set
        {
            _phone = value;
            PhoneKey = Matching.PhoneKey(value);
        }
    }

    public string? Company { get; set; }

    public string? JobTitle { get; set; }

    /// <summary>ISO 3166-1 alpha-2, upper case: what country and territory routing rules match.</summary>
    public string? Country { get; set; }

    public LeadSourceType SourceType { get; set; }

    /// <summary>Free text about the source: the form's name, the referrer, the event.</summary>
    public string? SourceDetail { get; set; }

    /// <summary>The web form that captured the lead, if one did.</summary>
    public Guid? FormId { get; set; }

    public string? UtmSource { get; set; }

    public string? UtmMedium { get; set; }

    public string? UtmCampaign { get; set; }

    public string? UtmTerm { get; set; }

    public string? UtmContent { get; set; }

    /// <summary>The page the lead was on when it was captured.</summary>
    public string? LandingPage { get; set; }

    public string? Referrer { get; set; }

    /// <summary>What the lead says it needs (spec 004 <c>initial_needs</c>).</summary>
    public string? Needs { get; set; }

    public decimal? BudgetAmount { get; set; }

    /// <summary>ISO 4217, with <see cref="BudgetAmount"/>.</summary>
    public string? BudgetCurrency { get; set; }

    public LeadAuthority Authority { get; set; }

    public LeadNeed Need { get; set; }

    public PurchaseTimeline Timeline { get; set; }

    public Urgency Urgency { get; set; } = Urgency.Medium;

    /// <summary>0–100, the sum of <see cref="ScoreFactors"/> capped; recalculated when an input changes.</summary>
    public int Score { get; set; }

    /// <summary>JSON array of the rules that contributed: <c>[{"ruleId","name","category","points"}]</c> ("why is this lead 72?").</summary>
    public string ScoreFactors { get; set; } = "[]";

    public DateTime? ScoredAt { get; set; }

    public QualificationStatus QualificationStatus { get; set; }

    /// <summary>Why it was qualified or disqualified.</summary>
    public string? QualificationReason { get; set; }

    public LeadStatus Status { get; set; }

    public Guid? AssignedTo { get; set; }

    public DateTime? AssignedAt { get; set; }

    /// <summary>The routing rule that chose the assignee; null when assigned by hand or not routed.</summary>
    public Guid? RoutingRuleId { get; set; }

    /// <summary>In words, why this assignee: "Rule 'UK web leads': round robin in Sales UK".</summary>
    public string? RoutingReason { get; set; }

    /// <summary>When the first outbound touch was logged (the AIDA "Connect" step).</summary>
    public DateTime? ConnectedAt { get; set; }

    /// <summary>Outbound touches with no response since the last inbound one.</summary>
    public int FollowUpCount { get; set; }

    public DateTime? LastContactAt { get; set; }

    public DateTime? NextFollowUpAt { get; set; }

    /// <summary>The follow-up time (<see cref="NextFollowUpAt"/>) the owner was reminded of: one reminder per scheduled follow-up.</summary>
    public DateTime? FollowUpRemindedFor { get; set; }

    public string? LostReason { get; set; }

    public Guid? ConvertedCustomerId { get; set; }

    public Guid? ConvertedContactId { get; set; }

    public Guid? ConvertedOpportunityId { get; set; }

    public DateTime? ConvertedAt { get; set; }

    /// <summary>How many captures (forms, API calls) this lead absorbed: 1 plus each deduplicated repeat.</summary>
    public int CaptureCount { get; set; } = 1;

    public DateTime LastCapturedAt { get; set; }

    /// <summary>Null when captured by a public web form (no one signed in).</summary>
    public Guid? CreatedBy { get; set; }

    public string? EmailNormalized { get; private set; }

    public string? PhoneKey { get; private set; }

    /// <summary>
    /// The person's name as duplicate detection finds it, as a customer's (<see cref="Matching.NameKey"/>, its sound and
    /// <see cref="Customers.Duplicates.NameMatching.NameBlock"/>); empty without a name. Null only on rows stored before
    /// migration 0020 until <see cref="Duplicates.LeadNameKeyBackfill"/> fills them.
    /// </summary>
    public string? NameKey { get; private set; } = "";

    public string? NamePhonetic { get; private set; } = "";

    public string? NameBlock { get; private set; } = "";

    /// <summary>The lead this one was merged into (<see cref="MergeLeads"/>); it is then soft-deleted.</summary>
    public Guid? MergedIntoId { get; set; }

    /// <summary>First and last name, as the name keys read them; empty when neither is known.</summary>
    public string PersonName => PersonNameOf(FirstName, LastName);

    public string DisplayName => DisplayNameOf(FirstName, LastName, Email, Phone, Company);

    /// <summary>How a lead is named in lists and notices: the person's name, else the email, phone or company.</summary>
    public static string DisplayNameOf(string? firstName, string? lastName, string? email, string? phone, string? company) =>
        PersonNameOf(firstName, lastName) is { Length: > 0 } name ? name : email ?? phone ?? company ?? "(no name)";

    public bool IsOpen => Status == LeadStatus.Active;

    public override Guid? AuditCustomerId => ConvertedCustomerId;

    private void SetNameKeys() => (NameKey, NamePhonetic, NameBlock) = NameKeysOf(PersonName);

    /// <summary>First and last name joined as <see cref="PersonName"/> joins them.</summary>
    public static string PersonNameOf(string? firstName, string? lastName) =>
        string.Join(' ', new[] { firstName, lastName }.Where(n => !string.IsNullOrWhiteSpace(n)));

    /// <summary>A person's name keys as duplicate detection finds them, the same as an individual customer's.</summary>
    public static (string Key, string Phonetic, string Block) NameKeysOf(string personName)
    {
        var key = Matching.NameKey(personName);
        return (key, Matching.Phonetic(key), Customers.Duplicates.NameMatching.NameBlock(CustomerType.Individual, personName));
    }
}

public sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.ToTable("leads");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.FirstName).HasMaxLength(Lead.NameMaxLength);
        builder.Property(l => l.LastName).HasMaxLength(Lead.NameMaxLength);
        builder.Property(l => l.Email).HasMaxLength(Lead.EmailMaxLength);
        builder.Property(l => l.Phone).HasMaxLength(Lead.PhoneMaxLength);
        builder.Property(l => l.Company).HasMaxLength(Lead.CompanyMaxLength);
        builder.Property(l => l.JobTitle).HasMaxLength(Lead.JobTitleMaxLength);
        builder.Property(l => l.Country).HasMaxLength(2);
        builder.Property(l => l.SourceDetail).HasMaxLength(Lead.SourceDetailMaxLength);
        builder.Property(l => l.UtmSource).HasMaxLength(Lead.UtmMaxLength);
        builder.Property(l => l.UtmMedium).HasMaxLength(Lead.UtmMaxLength);
        builder.Property(l => l.UtmCampaign).HasMaxLength(Lead.UtmMaxLength);
        builder.Property(l => l.UtmTerm).HasMaxLength(Lead.UtmMaxLength);
        builder.Property(l => l.UtmContent).HasMaxLength(Lead.UtmMaxLength);
        builder.Property(l => l.LandingPage).HasMaxLength(Lead.UrlMaxLength);
        builder.Property(l => l.Referrer).HasMaxLength(Lead.UrlMaxLength);
        builder.Property(l => l.BudgetAmount).HasPrecision(15, 2);
        builder.Property(l => l.BudgetCurrency).HasMaxLength(3);
        builder.Property(l => l.QualificationReason).HasMaxLength(Lead.ReasonMaxLength);
        builder.Property(l => l.RoutingReason).HasMaxLength(Lead.RoutingReasonMaxLength);
        builder.Property(l => l.LostReason).HasMaxLength(Lead.ReasonMaxLength);
        builder.Property(l => l.Version).IsConcurrencyToken();
        builder.Property(l => l.EmailNormalized).NotAudited();
        builder.Property(l => l.PhoneKey).NotAudited();
        builder.Property(l => l.NameKey).NotAudited();
        builder.Property(l => l.FollowUpRemindedFor).NotAudited();
        builder.Property(l => l.NamePhonetic).NotAudited();
        builder.Property(l => l.NameBlock).NotAudited();
        builder.Property(l => l.ScoreFactors).IsJson().NotAudited();
        builder.Property(l => l.ScoredAt).NotAudited();
        builder.Property(l => l.LastCapturedAt).NotAudited();
        builder.Ignore(l => l.IsDeleted);
        builder.Ignore(l => l.DisplayName);
        builder.Ignore(l => l.PersonName);
        builder.Ignore(l => l.IsOpen);
    }
}

/// <summary>
/// A touch with a lead before it is a customer: a call, an email, a form submission. Interactions belong
/// to customers, so a lead's are kept here and moved into the customer's interactions when it converts
/// (<see cref="InteractionId"/> then names the interaction it became).
/// </summary>
public sealed class LeadInteraction : AuditedEntity
{
    public const int SubjectMaxLength = 500;

    public Guid LeadId { get; set; }

    public Interactions.InteractionType InteractionType { get; set; }

    public Interactions.Direction Direction { get; set; }

    public string? Subject { get; set; }

    public string? Description { get; set; }

    public DateTime OccurredAt { get; set; }

    public Interactions.InteractionOutcome? Outcome { get; set; }

    /// <summary>Null for a web-form submission (no one signed in).</summary>
    public Guid? CreatedBy { get; set; }

    public Guid? InteractionId { get; set; }
}

public sealed class LeadInteractionConfiguration : IEntityTypeConfiguration<LeadInteraction>
{
    public void Configure(EntityTypeBuilder<LeadInteraction> builder)
    {
        builder.ToTable("lead_interactions");
        builder.HasKey(i => i.Id);
        builder.HasOne<Lead>().WithMany().HasForeignKey(i => i.LeadId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Subject).HasMaxLength(LeadInteraction.SubjectMaxLength);
        builder.Property(i => i.Version).IsConcurrencyToken();
    }
}
