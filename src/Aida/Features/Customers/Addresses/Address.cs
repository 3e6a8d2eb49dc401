namespace Aida.Features.Customers.Addresses;

public enum AddressType
{
    Billing,
    Shipping,
    Service,
    Headquarters,
    Other,
}

/// <summary>A postal address of a customer (spec 002, customer_management / Address).</summary>
public sealed class Address : TrackedEntity
{
    public const int StreetMaxLength = 200;
    public const int CityMaxLength = 100;
    public const int StateMaxLength = 100;
    public const int PostalCodeMaxLength = 20;

    private string _streetLine1 = "";
    private string _city = "";
    private string? _postalCode;

    public Guid CustomerId { get; set; }

    public AddressType AddressType { get; set; }

    /// <summary>The address used for its type when none is named; at most one per type per customer.</summary>
    public bool IsDefault { get; set; }

    public string StreetLine1
    {
        get => _streetLine1;
        set
        {
            _streetLine1 = value;
            RefreshStreetKey();
        }
    }

    public string? StreetLine2 { get; set; }

    public string City
    {
        get => _city;
        set
        {
            _city = value;
            RefreshStreetKey();
        }
    }

    public string? StateProvince { get; set; }

    public string? PostalCode
    {
        get => _postalCode;
        set
        {
            _postalCode = value;
            PostalKey = Duplicates.AddressMatching.PostalKey(value);
            RefreshStreetKey();
        }
    }

    /// <summary>The postal code as duplicate detection looks it up (<see cref="Duplicates.AddressMatching.PostalKey"/>).</summary>
    public string? PostalKey { get; private set; }

    /// <summary>
    /// House number, how the street sounds and the city (<see cref="Duplicates.AddressMatching.StreetKey"/>): finds the same
    /// street address when the postal code is mistyped. Empty when the address has no number or street; null only on rows
    /// stored before migration 0018 until <see cref="Duplicates.BlockingKeyBackfill"/> fills them.
    /// </summary>
    public string? StreetKey { get; private set; }

    private void RefreshStreetKey() => StreetKey = Duplicates.AddressMatching.StreetKey(_streetLine1, _city, _postalCode) ?? "";

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string Country { get; set; } = "";

    public decimal? Latitude { get; set; }

    public decimal? Longitude { get; set; }

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class AddressConfiguration : IEntityTypeConfiguration<Address>
{
    public void Configure(EntityTypeBuilder<Address> builder)
    {
        builder.ToTable("addresses");
        builder.HasKey(a => a.Id);
        // Declared so EF orders inserts parent-first; the database's own foreign keys are in the migrations.
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.StreetLine1).HasMaxLength(Address.StreetMaxLength);
        builder.Property(a => a.StreetLine2).HasMaxLength(Address.StreetMaxLength);
        builder.Property(a => a.City).HasMaxLength(Address.CityMaxLength);
        builder.Property(a => a.StateProvince).HasMaxLength(Address.StateMaxLength);
        builder.Property(a => a.PostalCode).HasMaxLength(Address.PostalCodeMaxLength);
        builder.Property(a => a.PostalKey).HasMaxLength(Address.PostalCodeMaxLength).NotAudited();
        builder.Property(a => a.StreetKey).NotAudited();
        builder.Property(a => a.Country).HasMaxLength(2).IsFixedLength();
        builder.Property(a => a.Latitude).HasPrecision(9, 6);
        builder.Property(a => a.Longitude).HasPrecision(9, 6);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsDeleted);

        DbErrors.RegisterUnique("ux_addresses_one_default_per_type", "addresses.customer_id, addresses.address_type", "isDefault",
            "The customer already has a default address of this type.");
    }
}
