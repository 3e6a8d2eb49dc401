namespace Aida.Features.Customers;

public enum CustomerType
{
    Individual,
    Organization,
}

public enum CustomerStatus
{
    Active,
    Inactive,
    Prospect,
    Churned,
}

public enum CustomerSource
{
    Web,
    Referral,
    Sales,
    Import,
    Api,
}

/// <summary>A customer: an individual or an organisation (spec 002, customer_management / Customer).</summary>
public sealed class Customer : TrackedEntity
{
    public const int DisplayNameMaxLength = 200;
    public const int ExternalIdMaxLength = 200;

    private string _displayName = "";

    private CustomerType _type;

    public CustomerType Type
    {
        get => _type;
        set
        {
            _type = value;
            NameBlock = Duplicates.NameMatching.NameBlock(value, _displayName);
        }
    }

    public string DisplayName
    {
        get => _displayName;
        set
        {
            _displayName = value;
            SearchName = Matching.SearchKey(value);
            NameKey = Matching.NameKey(value);
            NamePhonetic = Matching.Phonetic(NameKey);
            NameBlock = Duplicates.NameMatching.NameBlock(Type, value);
        }
    }

    public CustomerStatus Status { get; set; } = CustomerStatus.Prospect;

    public CustomerSource? Source { get; set; }

    /// <summary>The record's id in another system; unique among live customers when present.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The user responsible for the customer (account owner / rep); null means the unassigned pool.</summary>
    public Guid? OwnerId { get; set; }

    /// <summary>The parent organisation in the account hierarchy.</summary>
    public Guid? ParentId { get; set; }

    public Guid CreatedBy { get; set; }

    /// <summary>The display name as searched and sorted (<see cref="Matching.SearchKey"/>).</summary>
    public string SearchName { get; private set; } = "";

    /// <summary>Name identity for duplicate detection (<see cref="Matching.NameKey"/>).</summary>
    public string NameKey { get; private set; } = "";

    public string NamePhonetic { get; private set; } = "";

    /// <summary>
    /// How duplicate detection finds variants of the name (<see cref="Duplicates.NameMatching.NameBlock"/>);
    /// null only on rows stored before migration 0014 until <see cref="Duplicates.BlockingKeyBackfill"/> fills them.
    /// </summary>
    public string? NameBlock { get; private set; }

    public override Guid? AuditCustomerId => Id;
}

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasKey(c => c.Id);
        // Declared so EF orders inserts parent-first; the database's own foreign keys are in the migrations.
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Platform.Auth.User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Platform.Auth.User>().WithMany().HasForeignKey(c => c.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.DisplayName).HasMaxLength(Customer.DisplayNameMaxLength);
        builder.Property(c => c.ExternalId).HasMaxLength(Customer.ExternalIdMaxLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.SearchName).NotAudited();
        builder.Property(c => c.NameKey).NotAudited();
        builder.Property(c => c.NamePhonetic).NotAudited();
        builder.Property(c => c.NameBlock).NotAudited();
        builder.Ignore(c => c.IsDeleted);

        DbErrors.RegisterUnique("ux_customers_external_id", "customers.external_id", "externalId",
            "Another customer already has this external id.");
    }
}
