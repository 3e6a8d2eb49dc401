namespace Aida.Platform.Search;

/// <summary>
/// One searchable record (a customer, contact, interaction or note) as the full-text index sees it:
/// written only by the database's own triggers (migration 0003), in the transaction of the write that
/// changed the record. Mapped so the schema and the model agree; the application only reads it.
/// </summary>
public sealed class SearchDocument
{
    public long Seq { get; init; }

    public required string Kind { get; init; }

    public Guid RecordId { get; init; }

    public Guid CustomerId { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }
}

/// <summary>A match from the index: which record, whose customer, and how well it matched (higher is better).</summary>
public sealed class SearchMatch
{
    public long Seq { get; init; }

    public required string Kind { get; init; }

    public Guid RecordId { get; init; }

    public Guid CustomerId { get; init; }

    public double Score { get; init; }
}

public sealed class SearchDocumentConfiguration : IEntityTypeConfiguration<SearchDocument>, IEntityTypeConfiguration<SearchMatch>
{
    public void Configure(EntityTypeBuilder<SearchDocument> builder)
    {
        builder.ToTable("search_documents");
        builder.HasKey(d => d.Seq);
        builder.Property(d => d.Seq).ValueGeneratedOnAdd();
    }

    public void Configure(EntityTypeBuilder<SearchMatch> builder)
    {
        // Rows of the provider's match query (FullTextSearch); no table of its own.
        builder.HasNoKey().ToView(null);
    }
}
