namespace Aida.Features.Customers.Contacts;

public enum ContactStatus
{
    Active,
    Inactive,
}

public enum CommunicationPreference
{
    Email,
    Phone,
    Any,
}

/// <summary>A person at a customer (spec 002, customer_management / Contact).</summary>
public sealed class Contact : TrackedEntity
{
    public const int NameMaxLength = 100;
    public const int JobTitleMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 40;

    private string _firstName = "";
    private string _lastName = "";
    private string? _email;
    private string? _phone;

    public Guid CustomerId { get; set; }

    public string FirstName
    {
        get => _firstName;
        set
        {
            _firstName = value;
            FirstNameKey = Matching.SearchKey(value);
        }
    }

    public string LastName
    {
        get => _lastName;
        set
        {
            _lastName = value;
            LastNameKey = Matching.SearchKey(value);
        }
    }

    public string? Email
    {
        get => _email;
        set
        {
            if (!string.Equals(_email, value, StringComparison.Ordinal))
            {
                // A new address has not bounced (yet).
                EmailBouncedAt = null;
            }

            _email = value;
            EmailNormalized = Matching.NormalizeEmail(value);
            EmailDomain = Matching.CompanyDomain(value);
        }
    }

    /// <summary>As entered, in any format (spec edge case "international phone format"); <see cref="PhoneKey"/> is the normalised form.</summary>
    public string? Phone
    {
        get => _phone;
        set
        {
            _phone = value;
            PhoneKey = Matching.PhoneKey(value);
        }
    }

    public string? JobTitle { get; set; }

    public bool IsPrimary { get; set; }

    public ContactStatus Status { get; set; } = ContactStatus.Active;

    public CommunicationPreference CommunicationPreference { get; set; } = CommunicationPreference.Any;

    public bool DoNotContact { get; set; }

    /// <summary>When mail to <see cref="Email"/> last bounced hard (Communication AC-3); cleared when the address changes.</summary>
    public DateTime? EmailBouncedAt { get; set; }

    public string FirstNameKey { get; private set; } = "";

    public string LastNameKey { get; private set; } = "";

    public string? EmailNormalized { get; private set; }

    public string? EmailDomain { get; private set; }

    public string? PhoneKey { get; private set; }

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasKey(c => c.Id);
        // Declared so EF orders inserts parent-first; the database's own foreign keys are in the migrations.
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.FirstName).HasMaxLength(Contact.NameMaxLength);
        builder.Property(c => c.LastName).HasMaxLength(Contact.NameMaxLength);
        builder.Property(c => c.Email).HasMaxLength(Contact.EmailMaxLength);
        builder.Property(c => c.Phone).HasMaxLength(Contact.PhoneMaxLength);
        builder.Property(c => c.JobTitle).HasMaxLength(Contact.JobTitleMaxLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.FirstNameKey).NotAudited();
        builder.Property(c => c.LastNameKey).NotAudited();
        builder.Property(c => c.EmailNormalized).NotAudited();
        builder.Property(c => c.EmailDomain).NotAudited();
        builder.Property(c => c.PhoneKey).NotAudited();
        builder.Ignore(c => c.IsDeleted);

        DbErrors.RegisterUnique("ux_contacts_one_primary_per_customer", "contacts.customer_id", "isPrimary",
            "The customer already has a primary contact.");
    }
}
