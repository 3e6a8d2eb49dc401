using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;
using Aida.Platform;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Bogus;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers;

/// <summary>
/// Realistic, reproducible fake data for demos and trying Aida out: a handful of sales reps, and
/// individuals and organisations with contacts, addresses, accounts, a parent/subsidiary hierarchy and
/// partner/referral relationships. Written through the normal save path, so it is audited and evented
/// like any other change.
/// </summary>
public static class DemoData
{
    public const int DefaultCustomers = 250;
    private const int BatchSize = 250;

    private static readonly string[] CountryPool = ["US", "US", "US", "GB", "GB", "DE", "DE", "FR", "NL", "CA", "AU", "ES", "IT", "SE"];

    private static readonly string[] Industries =
        ["Software", "Manufacturing", "Retail", "Healthcare", "Logistics", "Financial services", "Education", "Hospitality", "Construction", "Energy"];

    /// <summary>Seeds only when the database has no customers yet (serve --demo); returns how many were added.</summary>
    public static async Task<int> EnsureAsync(IServiceProvider services, int customers, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        return await db.Set<Customer>().AnyAsync(cancellationToken)
            ? 0
            : await SeedAsync(services, customers, 2026, cancellationToken);
    }

    public static async Task<int> SeedAsync(IServiceProvider services, int count, int seed, CancellationToken cancellationToken)
    {
        Randomizer.Seed = new Random(seed);
        var faker = new Faker("en");
        var owners = await EnsureRepsAsync(services, faker, cancellationToken);
        var organizations = new List<Guid>();
        var added = 0;
        while (added < count)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var batch = Math.Min(BatchSize, count - added);
            for (var i = 0; i < batch; i++)
            {
                var owner = faker.PickRandom(owners);
                if (faker.Random.Bool(0.4f))
                {
                    AddOrganization(db, faker, owner, organizations);
                }
                else
                {
                    AddIndividual(db, faker, owner, organizations);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            added += batch;
        }

        return added;
    }

    private static async Task<List<Guid>> EnsureRepsAsync(IServiceProvider services, Faker faker, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var reps = await db.Set<User>().Where(u => u.Email.EndsWith("@demo.aida.invalid")).Select(u => u.Id).ToListAsync(cancellationToken);
        if (reps.Count > 0)
        {
            return reps;
        }

        var now = db.Clock.UtcNow();
        for (var i = 0; i < 6; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var user = new User
            {
                Email = $"{first}.{last}.{i}@demo.aida.invalid".ToLowerInvariant(),
                DisplayName = $"{first} {last}",
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Add(user);
            reps.Add(user.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        return reps;
    }

    private static void AddIndividual(AidaDb db, Faker faker, Guid owner, List<Guid> organizations)
    {
        var person = new Bogus.Person("en");
        var customer = NewCustomer(faker, CustomerType.Individual, $"{person.FirstName} {person.LastName}", owner);
        db.Add(customer);
        var contact = new Contact
        {
            CustomerId = customer.Id,
            FirstName = person.FirstName,
            LastName = person.LastName,
            Email = faker.Random.Bool(0.9f) ? faker.Internet.Email(person.FirstName, person.LastName) : null,
            Phone = faker.Random.Bool(0.7f) ? faker.Phone.PhoneNumber() : null,
            IsPrimary = true,
            DoNotContact = faker.Random.Bool(0.05f),
        };
        db.Add(contact);
        var address = NewAddress(faker, customer.Id, AddressType.Shipping);
        db.Add(address);
        Publish(db, customer, [contact], [address], null);

        if (organizations.Count > 0 && faker.Random.Bool(0.1f))
        {
            AddRelationship(db, faker.PickRandom(organizations), customer.Id, RelationshipType.Referral, "Referred by this organisation.");
        }
    }

    private static void AddOrganization(AidaDb db, Faker faker, Guid owner, List<Guid> organizations)
    {
        var company = faker.Company.CompanyName();
        var customer = NewCustomer(faker, CustomerType.Organization, company, owner);
        if (organizations.Count > 3 && faker.Random.Bool(0.12f))
        {
            customer.ParentId = faker.PickRandom(organizations);
        }

        db.Add(customer);
        var domain = $"{new string(company.ToLowerInvariant().Where(char.IsAsciiLetter).Take(18).ToArray())}.example";
        var hq = NewAddress(faker, customer.Id, AddressType.Headquarters);
        var addresses = new List<Address> { hq };
        if (faker.Random.Bool(0.5f))
        {
            addresses.Add(NewAddress(faker, customer.Id, AddressType.Billing));
        }

        var account = new Account
        {
            CustomerId = customer.Id,
            LegalName = faker.Random.Bool(0.5f) ? $"{company} {faker.PickRandom("Inc.", "Ltd", "GmbH", "LLC", "S.A.")}" : company,
            Industry = faker.PickRandom(Industries),
            EmployeeCount = faker.PickRandom<EmployeeCount>(),
            AnnualRevenue = faker.PickRandom<AnnualRevenue>(),
            Website = $"https://www.{domain}",
            TaxId = hq.Country == "US" ? $"{faker.Random.Number(10, 99)}-{faker.Random.Number(1000000, 9999999)}" : null,
        };

        var contacts = new List<Contact>();
        for (var i = faker.Random.Number(1, 4); i > 0; i--)
        {
            var person = new Bogus.Person("en");
            contacts.Add(new Contact
            {
                CustomerId = customer.Id,
                FirstName = person.FirstName,
                LastName = person.LastName,
                Email = $"{person.FirstName}.{person.LastName}@{domain}".ToLowerInvariant(),
                Phone = faker.Random.Bool(0.8f) ? faker.Phone.PhoneNumber() : null,
                JobTitle = faker.Name.JobTitle(),
                IsPrimary = contacts.Count == 0,
                CommunicationPreference = faker.PickRandom<CommunicationPreference>(),
            });
        }

        db.AddRange(addresses);
        db.Add(account);
        db.AddRange(contacts);
        Publish(db, customer, contacts, addresses, account);

        if (organizations.Count > 0 && faker.Random.Bool(0.15f))
        {
            var other = faker.PickRandom(organizations);
            var type = faker.PickRandom(RelationshipType.Partner, RelationshipType.Reseller);
            AddRelationship(db, customer.Id, other, type, null);
        }

        organizations.Add(customer.Id);
    }

    private static Customer NewCustomer(Faker faker, CustomerType type, string name, Guid owner) => new()
    {
        Type = type,
        DisplayName = name.Length > Customer.DisplayNameMaxLength ? name[..Customer.DisplayNameMaxLength] : name,
        Status = faker.Random.WeightedRandom(
            [CustomerStatus.Active, CustomerStatus.Prospect, CustomerStatus.Inactive, CustomerStatus.Churned],
            [0.5f, 0.3f, 0.1f, 0.1f]),
        Source = faker.PickRandom<CustomerSource>(),
        OwnerId = owner,
        CreatedBy = User.SystemId,
    };

    private static Address NewAddress(Faker faker, Guid customerId, AddressType type) => new()
    {
        CustomerId = customerId,
        AddressType = type,
        IsDefault = true,
        StreetLine1 = faker.Address.StreetAddress(),
        StreetLine2 = faker.Random.Bool(0.2f) ? faker.Address.SecondaryAddress() : null,
        City = faker.Address.City(),
        StateProvince = faker.Random.Bool(0.6f) ? faker.Address.State() : null,
        PostalCode = faker.Address.ZipCode(),
        Country = faker.PickRandom(CountryPool),
    };

    private static void AddRelationship(AidaDb db, Guid from, Guid to, RelationshipType type, string? notes)
    {
        var relationship = new Relationship { FromCustomerId = from, ToCustomerId = to, RelationshipType = type, Notes = notes };
        db.Add(relationship);
        db.Publish("relationship.created", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
    }

    private static void Publish(AidaDb db, Customer customer, List<Contact> contacts, List<Address> addresses, Account? account)
    {
        db.Publish("customer.created", CustomerMapping.Subject(customer.Id), () => new { customer = customer.ToResponse(contacts.FirstOrDefault(c => c.IsPrimary)) });
        foreach (var contact in contacts)
        {
            db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        foreach (var address in addresses)
        {
            db.Publish("address.created", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        }

        if (account is not null)
        {
            db.Publish("account.created", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        }
    }
}
