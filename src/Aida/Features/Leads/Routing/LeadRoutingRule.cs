namespace Aida.Features.Leads.Routing;

public enum RoutingAction
{
    /// <summary>Every matching lead goes to one user.</summary>
    AssignUser,

    /// <summary>Matching leads take turns among the team's active members, skipping those at the cap.</summary>
    RoundRobin,
}

/// <summary>
/// One routing rule, tried in <see cref="Position"/> order: it matches a lead whose source is one of
/// <see cref="SourceTypes"/> and whose country is one of <see cref="Countries"/> (the territory); an
/// empty list matches anything. The first active rule that matches and can place the lead wins.
/// </summary>
public sealed class LeadRoutingRule : TrackedEntity
{
    public const int NameMaxLength = 100;

    public string Name { get; set; } = "";

    public int Position { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>JSON array of source types in their API spelling; empty is any source.</summary>
    public string SourceTypes { get; set; } = "[]";

    /// <summary>JSON array of ISO 3166-1 alpha-2 codes; empty is any country (and no country).</summary>
    public string Countries { get; set; } = "[]";

    public RoutingAction Action { get; set; }

    public Guid? UserId { get; set; }

    public Guid? TeamId { get; set; }

    /// <summary>Round robin skips a member who already has this many active leads; null is no cap.</summary>
    public int? OpenLeadCap { get; set; }

    /// <summary>The rotation's cursor: the next lead goes to the member after this one.</summary>
    public Guid? LastAssignedUserId { get; set; }

    public IReadOnlyList<LeadSourceType> SourceTypeList() =>
        (JsonSerializer.Deserialize<List<string>>(SourceTypes) ?? []).Select(EnumText<LeadSourceType>.Parse).ToList();

    public IReadOnlyList<string> CountryList() => JsonSerializer.Deserialize<List<string>>(Countries) ?? [];

    public bool Matches(Lead lead)
    {
        var sources = SourceTypeList();
        var countries = CountryList();
        return (sources.Count == 0 || sources.Contains(lead.SourceType))
            && (countries.Count == 0 || (lead.Country is not null && countries.Contains(lead.Country, StringComparer.OrdinalIgnoreCase)));
    }
}

public sealed class LeadRoutingRuleConfiguration : IEntityTypeConfiguration<LeadRoutingRule>
{
    public void Configure(EntityTypeBuilder<LeadRoutingRule> builder)
    {
        builder.ToTable("lead_routing_rules");
        builder.HasKey(r => r.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.LastAssignedUserId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Name).HasMaxLength(LeadRoutingRule.NameMaxLength);
        builder.Property(r => r.SourceTypes).IsJson();
        builder.Property(r => r.Countries).IsJson();
        builder.Property(r => r.LastAssignedUserId).NotAudited();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.IsDeleted);
    }
}
