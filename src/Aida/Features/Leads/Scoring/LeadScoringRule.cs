namespace Aida.Features.Leads.Scoring;

/// <summary>What a rule measures: who the lead is, what they did, or how they answer BANT.</summary>
public enum ScoringCategory
{
    Demographic,
    Behavioural,
    Bant,
}

/// <summary>How a rule compares a lead's field with its value (see <see cref="ScoringConditions"/> for which fit which field).</summary>
public enum ScoringOperator
{
    Equals,
    NotEquals,
    Contains,
    In,
    NotIn,
    IsSet,
    IsNotSet,
    AtLeast,
    AtMost,
    IsTrue,
    IsFalse,
}

/// <summary>
/// One scoring rule: when the lead's <see cref="Field"/> satisfies <see cref="Operator"/> with
/// <see cref="Value"/> (or the list in <see cref="ValueList"/>), the lead gets <see cref="Points"/>
/// (negative points take some away). A lead's score is the sum of its matching active rules, 0 to 100.
/// </summary>
public sealed class LeadScoringRule : TrackedEntity
{
    public const int NameMaxLength = 100;
    public const int ValueMaxLength = 200;
    public const int MaxListValues = 50;

    public string Name { get; set; } = "";

    public ScoringCategory Category { get; set; }

    /// <summary>The lead field's API name, e.g. <c>jobTitle</c> (<see cref="ScoringConditions.Fields"/>).</summary>
    public string Field { get; set; } = "";

    public ScoringOperator Operator { get; set; }

    /// <summary>The one value of equals, not_equals, contains, at_least and at_most, as text.</summary>
    public string? Value { get; set; }

    /// <summary>JSON array of strings for in and not_in.</summary>
    public string? ValueList { get; set; }

    public int Points { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>Display order in the breakdown and the settings screen; it does not change the sum.</summary>
    public int Position { get; set; }
}

public sealed class LeadScoringRuleConfiguration : IEntityTypeConfiguration<LeadScoringRule>
{
    public void Configure(EntityTypeBuilder<LeadScoringRule> builder)
    {
        builder.ToTable("lead_scoring_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(LeadScoringRule.NameMaxLength);
        builder.Property(r => r.Field).HasMaxLength(50);
        builder.Property(r => r.Value).HasMaxLength(LeadScoringRule.ValueMaxLength);
        builder.Property(r => r.ValueList).IsJson();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.IsDeleted);
    }
}
