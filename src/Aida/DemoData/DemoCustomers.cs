using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;
using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// What makes the demo customers look lived-in — extra contacts at some organisations, a parent/subsidiary
/// hierarchy, partner and referral links — saved like any user change.
/// </summary>
public sealed class DemoCustomers : IDemoData
{
    public int Order => 1;

    public string What => "contacts, a hierarchy and partner links";

    public Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken) =>
        AddConnectionsAsync(demo.Services, demo.RandomSeed, cancellationToken);

    /// <summary>Extra contacts, a two-level hierarchy and partner/referral links among a sample of customers.</summary>
    private static async Task AddConnectionsAsync(IServiceProvider services, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var organizations = await db.Set<Customer>().Where(c => c.Type == CustomerType.Organization)
            .OrderBy(c => c.Id).Select(c => c.Id).Take(200).ToListAsync(cancellationToken);
        var individuals = await db.Set<Customer>().Where(c => c.Type == CustomerType.Individual)
            .OrderBy(c => c.Id).Select(c => c.Id).Take(200).ToListAsync(cancellationToken);
        if (organizations.Count < 4)
        {
            return;
        }

        // A few groups: a parent with two or three subsidiaries below it.
        var groupParents = organizations.Take(organizations.Count / 10).ToList();
        var children = organizations.Skip(groupParents.Count).ToList();
        foreach (var parent in groupParents)
        {
            for (var i = random.Next(2, 4); i > 0 && children.Count > 0; i--)
            {
                var child = children[0];
                children.RemoveAt(0);
                AddRelationship(db, parent, child, RelationshipType.Subsidiary, "Wholly owned subsidiary.");
            }
        }

        foreach (var individual in individuals.Where(_ => random.NextDouble() < 0.15))
        {
            AddRelationship(db, organizations[random.Next(organizations.Count)], individual, RelationshipType.Referral, "Referred by this organisation.");
        }

        for (var i = 0; i < organizations.Count / 8; i++)
        {
            var a = organizations[random.Next(organizations.Count)];
            var b = organizations[random.Next(organizations.Count)];
            if (a != b)
            {
                AddRelationship(db, a, b, random.NextDouble() < 0.5 ? RelationshipType.Partner : RelationshipType.Reseller, null);
            }
        }

        // Organisations rarely have one contact: give some a colleague or two of the primary.
        var primaries = await db.Set<Contact>().AsNoTracking()
            .Where(c => organizations.Contains(c.CustomerId) && c.IsPrimary).ToListAsync(cancellationToken);
        string[] firstNames = ["Alex", "Jamie", "Chris", "Dana", "Robin", "Kim", "Lee", "Pat"];
        string[] titles = ["Head of Purchasing", "CFO", "Operations Manager", "IT Director", "Office Manager"];
        foreach (var primary in primaries.Where(_ => random.NextDouble() < 0.5))
        {
            var domain = primary.Email?[(primary.Email.IndexOf('@', StringComparison.Ordinal) + 1)..];
            var first = firstNames[random.Next(firstNames.Length)];
            var contact = new Contact
            {
                CustomerId = primary.CustomerId,
                FirstName = first,
                LastName = primary.LastName,
                Email = domain is null ? null : $"{first.ToLowerInvariant()}.{Matching.SearchKey(primary.LastName).Replace(' ', '-')}@{domain}",
                JobTitle = titles[random.Next(titles.Length)],
            };
            db.Add(contact);
            db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static void AddRelationship(AidaDb db, Guid from, Guid to, RelationshipType type, string? notes)
    {
        if (db.ChangeTracker.Entries<Relationship>().Any(e => e.Entity.FromCustomerId == from && e.Entity.ToCustomerId == to && e.Entity.RelationshipType == type))
        {
            return;
        }

        var relationship = new Relationship { FromCustomerId = from, ToCustomerId = to, RelationshipType = type, Notes = notes };
        db.Add(relationship);
        db.Publish("relationship.created", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
    }
}
