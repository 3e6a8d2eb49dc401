using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>
/// One purchase of a customer's, from an accounting or booking system (issue 16 item 4; spec 004
/// customer_value_metrics' bookings). A refund is a purchase with a negative amount. Purchases are not
/// edited: a correction is a refund, as in the books the figures come from.
/// </summary>
public sealed class Purchase : AuditedEntity
{
    public const int ExternalIdMaxLength = 200;
    public const int DescriptionMaxLength = 500;

    public Guid CustomerId { get; set; }

    /// <summary>Negative for a refund; never zero.</summary>
    public decimal Amount { get; set; }

    public string Currency { get; set; } = "";

    public DateOnly PurchasedOn { get; set; }

    /// <summary>The sending system's id of the purchase (invoice, booking); unique per customer.</summary>
    public string ExternalId { get; set; } = "";

    /// <summary>The sender says this purchase renews an earlier one (a subscription, a contract): a renewal milestone.</summary>
    public bool IsRenewal { get; set; }

    public string? Description { get; set; }

    public Guid? CreatedBy { get; set; }

    public bool IsRefund => Amount < 0;

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> builder)
    {
        builder.ToTable("purchases");
        builder.HasKey(p => p.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Amount).HasPrecision(15, 2);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ExternalId).HasMaxLength(Purchase.ExternalIdMaxLength);
        builder.Property(p => p.Description).HasMaxLength(Purchase.DescriptionMaxLength);
        builder.Ignore(p => p.IsRefund);
        builder.Property(p => p.Version).IsConcurrencyToken();
        DbErrors.RegisterUnique("ux_purchases_customer_external_id", "purchases.customer_id, purchases.external_id", "externalId",
            "This customer already has a purchase with this external id.");
    }
}
