namespace Aida.Features.Customers.Addresses;

/// <summary>
/// One default address per type per customer (Address AC-1). Marking an address default demotes the
/// previous default of that type in the same transaction, and the first address of a type becomes
/// its default — what people expect when they "make this the billing address".
/// </summary>
public static class AddressDefaults
{
    /// <summary>For addresses sent together with a new customer: two defaults of one type is a mistake in the request.</summary>
    public static void ApplyToNew(IReadOnlyList<Address> addresses, ValidationErrors errors, string field)
    {
        foreach (var group in addresses.GroupBy(a => a.AddressType))
        {
            var defaults = group.Count(a => a.IsDefault);
            if (defaults > 1)
            {
                errors.Add(field, $"Only one {EnumText<AddressType>.ToText(group.Key)} address can be the default.");
            }
            else if (defaults == 0)
            {
                group.First().IsDefault = true;
            }
        }
    }

    /// <summary>
    /// Decides whether an address of <paramref name="type"/> is its customer's default: as requested,
    /// or — when the request does not say — only if no other address of that type exists. When it will
    /// be the default, the previous default is demoted and saved first, because the unique index checks
    /// each statement and the new default must not meet the old one. Call inside a write transaction,
    /// before the address itself is added or changed.
    /// </summary>
    public static async Task<bool> ResolveAsync(AidaDb db, Guid customerId, AddressType type, Guid? exceptId, bool? requested, CancellationToken cancellationToken)
    {
        var sameType = await db.Set<Address>()
            .Where(a => a.CustomerId == customerId && a.AddressType == type && a.Id != exceptId)
            .ToListAsync(cancellationToken);
        var makeDefault = requested ?? sameType.Count == 0;
        if (makeDefault && sameType.Any(a => a.IsDefault))
        {
            foreach (var other in sameType.Where(a => a.IsDefault))
            {
                other.IsDefault = false;
                db.Publish("address.updated", AddressMapping.Subject(other), () => new { address = other.ToResponse(), changes = new[] { "isDefault" } });
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return makeDefault;
    }

    /// <summary>The country that decides a customer's tax id format: headquarters, then billing, then any address.</summary>
    public static string? CountryOf(IEnumerable<Address> addresses)
    {
        var list = addresses.ToList();
        return (list.FirstOrDefault(a => a.AddressType == AddressType.Headquarters && a.IsDefault)
                ?? list.FirstOrDefault(a => a.AddressType == AddressType.Billing && a.IsDefault)
                ?? list.FirstOrDefault(a => a.IsDefault)
                ?? list.FirstOrDefault())?.Country;
    }

    public static async Task<string?> CountryOfCustomerAsync(AidaDb db, Guid customerId, CancellationToken cancellationToken) =>
        CountryOf(await db.Set<Address>().AsNoTracking().Where(a => a.CustomerId == customerId).ToListAsync(cancellationToken));
}
