namespace Aida.Features.Customers.Duplicates;

/// <summary>What kind of records a pair joins.</summary>
public enum DuplicateRecordType
{
    Customer,
    Lead,
}

/// <summary>
/// Where a pair stands in the review queue: open (to review), dismissed (not duplicates: never proposed
/// again), deferred (hidden until <see cref="DuplicatePair.DeferredUntil"/>, then open again) or merged.
/// </summary>
public enum DuplicatePairStatus
{
    Open,
    Dismissed,
    Deferred,
    Merged,
}

/// <summary>Who proposed the pair: the background scan, a create of the medium tier, or an import.</summary>
public enum DuplicatePairSource
{
    Scan,
    Create,
    Import,
}

/// <summary>
/// Two records that may be one (issue 17, duplicate review), scored by the matcher used on create, with its
/// reasons. Stored once per pair, the smaller id first (<see cref="Canonical"/>), so a decision about a pair
/// holds whichever side a later scan finds it from. Not audited row by row: the decision is recorded on
/// the row itself (who and when), and scans rewrite scores in bulk.
/// </summary>
public sealed class DuplicatePair
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DuplicateRecordType RecordType { get; init; }

    public Guid FirstId { get; init; }

    public Guid SecondId { get; init; }

    public double Score { get; set; }

    /// <summary>The matcher's reason codes, comma-separated (<see cref="DuplicateReasons"/>).</summary>
    public string Reasons { get; set; } = "";

    public DuplicatePairStatus Status { get; set; }

    public DateTime? DeferredUntil { get; set; }

    public Guid? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public DuplicatePairSource Source { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The pair's ids in the one order it is stored in.</summary>
    public static (Guid First, Guid Second) Canonical(Guid a, Guid b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);

    /// <summary>Open, or deferred until a time that has passed: what the queue shows as open.</summary>
    public bool IsOpenAt(DateTime now) => Status == DuplicatePairStatus.Open || (Status == DuplicatePairStatus.Deferred && DeferredUntil <= now);

    public static DuplicatePair New(DuplicateRecordType type, Guid a, Guid b, MatchResult match, DuplicatePairSource source, DateTime now)
    {
        var (first, second) = Canonical(a, b);
        return new DuplicatePair
        {
            RecordType = type,
            FirstId = first,
            SecondId = second,
            Score = Math.Round(match.Score, 4),
            Reasons = string.Join(',', match.Reasons),
            Status = DuplicatePairStatus.Open,
            Source = source,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

public sealed class DuplicatePairConfiguration : IEntityTypeConfiguration<DuplicatePair>
{
    public void Configure(EntityTypeBuilder<DuplicatePair> builder)
    {
        builder.ToTable("duplicate_pairs");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.RecordType, p.FirstId, p.SecondId }).IsUnique();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.DecidedBy).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Where the scan of one record type stands (<see cref="DuplicateScan"/>).</summary>
public sealed class DuplicateScanState
{
    public DuplicateRecordType RecordType { get; init; }

    public DuplicateScanPhase Phase { get; set; }

    /// <summary>The last record id the current pass finished; null at the start of a pass.</summary>
    public Guid? CursorId { get; set; }

    /// <summary>Records changed at or after this are scanned by the next incremental pass.</summary>
    public DateTime? Watermark { get; set; }

    public DateTime? PassStartedAt { get; set; }

    public DateTime? LastFinishedAt { get; set; }

    public long RecordsScanned { get; set; }

    public long PairsFound { get; set; }
}

public enum DuplicateScanPhase
{
    Full,
    Incremental,
}

public sealed class DuplicateScanStateConfiguration : IEntityTypeConfiguration<DuplicateScanState>
{
    public void Configure(EntityTypeBuilder<DuplicateScanState> builder)
    {
        builder.ToTable("duplicate_scan_state");
        builder.HasKey(s => s.RecordType);
    }
}

/// <summary>The matcher's reason codes (<see cref="DuplicateScore"/>) in words, for the review queue.</summary>
public static class DuplicateReasons
{
    public static string Describe(string code) => code switch
    {
        "email" => "Same email address",
        "phone" => "Same phone number",
        "name" => "Same name",
        "similar_name" => "Similar name",
        "family_name" => "Same family name",
        "address" => "Same street address",
        "area" => "Same postal code or city",
        "domain" => "Same company domain",
        "different_first_name" => "Different first name (counts against)",
        "different_name" => "Clearly different name (counts against)",
        "company" => "Same company",
        "different_company" => "Different company (counts against)",
        _ => code,
    };

    public static IReadOnlyList<string> Split(string reasons) =>
        reasons.Length == 0 ? [] : reasons.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
