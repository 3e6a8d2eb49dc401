using System.Text.Json.Serialization;

namespace Aida.Features.Customers.Accounts;

public enum EmployeeCount
{
    [JsonStringEnumMemberName("1-10")] From1To10,
    [JsonStringEnumMemberName("11-50")] From11To50,
    [JsonStringEnumMemberName("51-200")] From51To200,
    [JsonStringEnumMemberName("201-500")] From201To500,
    [JsonStringEnumMemberName("501-1000")] From501To1000,
    [JsonStringEnumMemberName("1000+")] Over1000,
}

public enum AnnualRevenue
{
    [JsonStringEnumMemberName("<100K")] Under100K,
    [JsonStringEnumMemberName("100K-1M")] From100KTo1M,
    [JsonStringEnumMemberName("1M-10M")] From1MTo10M,
    [JsonStringEnumMemberName("10M-100M")] From10MTo100M,
    [JsonStringEnumMemberName("100M+")] Over100M,
}

/// <summary>Business details of an organisation customer, one per customer (spec 002, customer_management / Account).</summary>
public sealed class Account : TrackedEntity
{
    public const int LegalNameMaxLength = 300;
    public const int TaxIdMaxLength = 50;
    public const int IndustryMaxLength = 100;
    public const int WebsiteMaxLength = 500;

    private string? _website;

    public Guid CustomerId { get; set; }

    public string LegalName { get; set; } = "";

    /// <summary>"Doing business as" name.</summary>
    public string? DbaName { get; set; }

    /// <summary>EIN, VAT number, etc.; validated by country (<see cref="TaxIds"/>).</summary>
    public string? TaxId { get; set; }

    public string? Industry { get; set; }

    public EmployeeCount? EmployeeCount { get; set; }

    public AnnualRevenue? AnnualRevenue { get; set; }

    public string? Website
    {
        get => _website;
        set
        {
            _website = value;
            WebsiteDomain = Matching.WebsiteDomain(value);
        }
    }

    public string? WebsiteDomain { get; private set; }

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.Id);
        // Declared so EF orders inserts parent-first; the database's own foreign keys are in the migrations.
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.LegalName).HasMaxLength(Account.LegalNameMaxLength);
        builder.Property(a => a.DbaName).HasMaxLength(Account.LegalNameMaxLength);
        builder.Property(a => a.TaxId).HasMaxLength(Account.TaxIdMaxLength).Sensitive();
        builder.Property(a => a.Industry).HasMaxLength(Account.IndustryMaxLength);
        builder.Property(a => a.Website).HasMaxLength(Account.WebsiteMaxLength);
        builder.Property(a => a.WebsiteDomain).NotAudited();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsDeleted);

        DbErrors.RegisterUnique("ux_accounts_one_per_customer", "accounts.customer_id", "customerId",
            "The customer already has an account.");
    }
}
