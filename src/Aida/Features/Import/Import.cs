namespace Aida.Features.Import;

public enum ImportStatus
{
    Uploaded,
    Queued,
    Running,
    Completed,
    Failed,
    Reverted,
}

/// <summary>What to do with a row that matches an existing customer (or an earlier row of the file).</summary>
public enum DuplicatePolicy
{
    Skip,
    Update,
    Create,
}

/// <summary>
/// One uploaded file and what became of it (issue 17 item 1). Not an <see cref="AuditedEntity"/>: its
/// counters change every batch, and the audit log records the import's steps (upload, start, finish,
/// revert) as entries of their own rather than a change per counter.
/// </summary>
public sealed class Import
{
    /// <summary>How long an import can be reverted and its file is kept.</summary>
    public static readonly TimeSpan RevertWindow = TimeSpan.FromDays(30);

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid OwnerId { get; set; }

    public string EntityType { get; set; } = ImportEntities.Customers;

    public ImportStatus Status { get; set; } = ImportStatus.Uploaded;

    /// <summary>Where the file came from ("Salesforce export"): the key a mapping is saved under. The file name unless given.</summary>
    public string SourceName { get; set; } = "";

    public string FileName { get; set; } = "";

    public FileFormat FileFormat { get; set; }

    public long FileBytes { get; set; }

    public bool FileDeleted { get; set; }

    public string? Delimiter { get; set; }

    public string? Encoding { get; set; }

    /// <summary>The header row, as a JSON array of strings.</summary>
    public string Headers { get; set; } = "[]";

    /// <summary>Column header → field name, as a JSON object.</summary>
    public string Mapping { get; set; } = "{}";

    public DuplicatePolicy OnDuplicate { get; set; } = DuplicatePolicy.Skip;

    /// <summary>Import the rows without problems and report the others; otherwise one bad row means nothing is imported.</summary>
    public bool ValidRowsOnly { get; set; }

    public long RowsRead { get; set; }

    public long CreatedCount { get; set; }

    public long UpdatedCount { get; set; }

    public long SkippedCount { get; set; }

    public long FailedCount { get; set; }

    /// <summary>Share of the file read, 0..1 (bytes for CSV, rows for Excel): what "time left" is estimated from.</summary>
    public double Progress { get; set; }

    public string? Error { get; set; }

    public DateTime? StartedAt { get; set; }

    /// <summary>
    /// Stamped after every batch; a running import whose heartbeat stops was interrupted (<see cref="ImportWorker"/>).
    /// After the run, a revert stamps it as its lease (<see cref="RevertImport"/>).
    /// </summary>
    public DateTime? HeartbeatAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>When a revert finished (set at its end, so a revert that stopped half-way can be asked for again).</summary>
    public DateTime? RevertedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A mapping saved for a source, suggested again for the next file from it.</summary>
public sealed class SavedMapping
{
    public string SourceName { get; set; } = "";

    public string EntityType { get; set; } = "";

    public string Mapping { get; set; } = "{}";

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A record an import created or updated; for updates, the fields' previous and imported values (JSON objects).</summary>
public sealed class ImportChange
{
    public const string Created = "created";
    public const string Updated = "updated";

    public Guid ImportId { get; set; }

    public Guid RecordId { get; set; }

    public string Kind { get; set; } = Created;

    public string? Previous { get; set; }

    public string? Imported { get; set; }
}

public sealed class ImportConfiguration :
    IEntityTypeConfiguration<Import>, IEntityTypeConfiguration<SavedMapping>, IEntityTypeConfiguration<ImportChange>
{
    public void Configure(EntityTypeBuilder<Import> builder)
    {
        builder.ToTable("imports");
        builder.HasKey(i => i.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<SavedMapping> builder)
    {
        builder.ToTable("import_mappings");
        builder.HasKey(m => new { m.SourceName, m.EntityType });
    }

    public void Configure(EntityTypeBuilder<ImportChange> builder)
    {
        builder.ToTable("import_changes");
        builder.HasKey(c => new { c.ImportId, c.RecordId });
        builder.HasOne<Import>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}
