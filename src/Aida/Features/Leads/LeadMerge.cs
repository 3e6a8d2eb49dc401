using System.Text.Json;

namespace Aida.Features.Leads;

/// <summary>
/// One merge of leads (<see cref="MergeLeads"/>): the survivor, who merged, the leads folded into it, the survivor's
/// fields before and after, and the touches that moved (with the lead each came from), so that
/// <see cref="UndoLeadMerge"/> within <see cref="UndoWindow"/> gives back what the merge changed and keeps what was
/// changed since.
/// </summary>
public sealed class LeadMerge : AuditedEntity
{
    /// <summary>As for customers: a merge is reversible for 30 days.</summary>
    public static readonly TimeSpan UndoWindow = TimeSpan.FromDays(30);

    public Guid SurvivorId { get; set; }

    public Guid PerformedBy { get; set; }

    /// <summary>JSON array of the leads folded in, in the order given.</summary>
    public string MergedIds { get; set; } = "[]";

    /// <summary>The survivor's merged fields before the merge, as text by field name (<see cref="LeadMergeFields"/>).</summary>
    public string SurvivorBefore { get; set; } = "{}";

    public string SurvivorAfter { get; set; } = "{}";

    /// <summary>JSON object: each moved touch's id → the lead it came from.</summary>
    public string MovedTouches { get; set; } = "{}";

    public DateTime UndoableUntil { get; set; }

    public DateTime? UndoneAt { get; set; }

    public Guid? UndoneBy { get; set; }

    public IReadOnlyList<Guid> Merged => JsonSerializer.Deserialize<List<Guid>>(MergedIds) ?? [];

    public IReadOnlyDictionary<Guid, Guid> Touches => JsonSerializer.Deserialize<Dictionary<Guid, Guid>>(MovedTouches) ?? [];
}

public sealed class LeadMergeConfiguration : IEntityTypeConfiguration<LeadMerge>
{
    public void Configure(EntityTypeBuilder<LeadMerge> builder)
    {
        builder.ToTable("lead_merges");
        builder.HasKey(m => m.Id);
        builder.HasOne<Lead>().WithMany().HasForeignKey(m => m.SurvivorId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Version).IsConcurrencyToken();
        // The values are in the leads' own audit entries already.
        builder.Property(m => m.SurvivorBefore).NotAudited();
        builder.Property(m => m.SurvivorAfter).NotAudited();
        builder.Property(m => m.MovedTouches).NotAudited();
        builder.Ignore(m => m.Merged);
        builder.Ignore(m => m.Touches);
    }
}

public sealed record LeadMergeResponse(
    Guid Id, Guid SurvivorId, IReadOnlyList<Guid> MergedIds, Guid PerformedBy, DateTime CreatedAt, DateTime UndoableUntil, DateTime? UndoneAt, Guid? UndoneBy,
    int TouchesMoved);

/// <summary>
/// What a lead merge may change on the survivor, each read and written as text, so the merge can record the values
/// before and after and an undo can put back those not changed since: the fields a repeat capture fills when blank
/// (<see cref="LeadCapture.FillBlanks"/>) and the capture and contact counters.
/// </summary>
public static class LeadMergeFields
{
    /// <param name="Reported">Whether an undo that keeps a later value says so; counters and times that touches move are not worth a word.</param>
    public sealed record Field(string Name, Func<Lead, string?> Read, Action<Lead, string?> Write, bool Reported = true);

    private static Field Text(string name, Func<Lead, string?> read, Action<Lead, string?> write) => new(name, read, write);

    private static Field Enum<T>(string name, Func<Lead, T> read, Action<Lead, T> write)
        where T : struct, System.Enum =>
        new(name, l => EnumText<T>.ToText(read(l)), (l, v) => write(l, EnumText<T>.Parse(v!)));

    private static Field Time(string name, Func<Lead, DateTime?> read, Action<Lead, DateTime?> write) =>
        new(name, l => read(l)?.ToString("O", CultureInfo.InvariantCulture),
            (l, v) => write(l, v is null ? null : DateTime.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)), Reported: false);

    public static IReadOnlyList<Field> All { get; } =
    [
        Text("firstName", l => l.FirstName, (l, v) => l.FirstName = v),
        Text("lastName", l => l.LastName, (l, v) => l.LastName = v),
        Text("email", l => l.Email, (l, v) => l.Email = v),
        Text("phone", l => l.Phone, (l, v) => l.Phone = v),
        Text("company", l => l.Company, (l, v) => l.Company = v),
        Text("jobTitle", l => l.JobTitle, (l, v) => l.JobTitle = v),
        Text("country", l => l.Country, (l, v) => l.Country = v),
        Text("sourceDetail", l => l.SourceDetail, (l, v) => l.SourceDetail = v),
        Text("utmSource", l => l.UtmSource, (l, v) => l.UtmSource = v),
        Text("utmMedium", l => l.UtmMedium, (l, v) => l.UtmMedium = v),
        Text("utmCampaign", l => l.UtmCampaign, (l, v) => l.UtmCampaign = v),
        Text("utmTerm", l => l.UtmTerm, (l, v) => l.UtmTerm = v),
        Text("utmContent", l => l.UtmContent, (l, v) => l.UtmContent = v),
        Text("landingPage", l => l.LandingPage, (l, v) => l.LandingPage = v),
        Text("referrer", l => l.Referrer, (l, v) => l.Referrer = v),
        Text("needs", l => l.Needs, (l, v) => l.Needs = v),
        new("budgetAmount", l => l.BudgetAmount?.ToString(CultureInfo.InvariantCulture),
            (l, v) => l.BudgetAmount = v is null ? null : decimal.Parse(v, CultureInfo.InvariantCulture)),
        Text("budgetCurrency", l => l.BudgetCurrency, (l, v) => l.BudgetCurrency = v),
        Enum("authority", l => l.Authority, (l, v) => l.Authority = v),
        Enum("need", l => l.Need, (l, v) => l.Need = v),
        Enum("timeline", l => l.Timeline, (l, v) => l.Timeline = v),
        new("captureCount", l => l.CaptureCount.ToString(CultureInfo.InvariantCulture), (l, v) => l.CaptureCount = int.Parse(v!, CultureInfo.InvariantCulture), Reported: false),
        Time("lastCapturedAt", l => l.LastCapturedAt, (l, v) => l.LastCapturedAt = v ?? l.LastCapturedAt),
        Time("lastContactAt", l => l.LastContactAt, (l, v) => l.LastContactAt = v),
        Time("connectedAt", l => l.ConnectedAt, (l, v) => l.ConnectedAt = v),
        Time("nextFollowUpAt", l => l.NextFollowUpAt, (l, v) => l.NextFollowUpAt = v),
    ];

    public static Dictionary<string, string?> Snapshot(Lead lead) => All.ToDictionary(f => f.Name, f => f.Read(lead), StringComparer.Ordinal);

    public static string ToJson(Dictionary<string, string?> values) => JsonSerializer.Serialize(values);

    public static Dictionary<string, string?> FromJson(string json) => JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
}
