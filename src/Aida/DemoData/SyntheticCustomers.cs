using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Bogus;

namespace Aida.DemoData;

/// <summary>
/// Realistic, reproducible customers in any number: the same seed gives the same rows. Names, streets and
/// companies come from pools drawn once from Bogus's locale data, then combined at random, so a million
/// rows take seconds to make and collide the way real names do (several John Smiths, no two mailboxes alike).
/// With <c>uniqueNames</c> (the demo's few hundred) no two customers or primary contacts share a name: a
/// small CRM someone tries out should not show two Jane Does, nor "Jane Doe 2".
/// </summary>
public sealed class SyntheticCustomers
{
    private static readonly string[] FreeMail = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de", "web.de"];
    private static readonly string[] Suffixes = ["", "", "", " Inc.", " LLC", " Ltd", " GmbH", " Group", " Holdings", " & Co", " Partners", " Labs"];
    private static readonly string[] BogusForms = [" and Sons", " Inc", " LLC", " Group"];
    private static readonly string[] Industries =
        ["Software", "Manufacturing", "Retail", "Healthcare", "Logistics", "Financial services", "Education", "Hospitality", "Construction", "Energy", "Media", "Agriculture"];

    private static readonly (string Code, int Weight)[] Countries =
        [("US", 30), ("GB", 12), ("DE", 12), ("FR", 8), ("NL", 5), ("CA", 6), ("AU", 5), ("ES", 5), ("IT", 5), ("SE", 3), ("PL", 3), ("IE", 2), ("CH", 2), ("JP", 2)];

    private readonly Random _random;
    private readonly IReadOnlyList<Guid> _owners;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _companies;
    private readonly string[] _streets;
    private readonly string[] _cities;
    private readonly string[] _jobTitles;
    private readonly string[] _countries;
    private readonly HashSet<string>? _namesTaken;

    public SyntheticCustomers(int seed, IReadOnlyList<Guid> owners, bool uniqueNames = false)
    {
        _random = new Random(seed);
        _owners = owners;
        _namesTaken = uniqueNames ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        _firstNames = Pool(3000, () => faker.Name.FirstName());
        _lastNames = Pool(3000, () => faker.Name.LastName());
        _companies = Pool(6000, () => faker.Company.CompanyName(0).Replace(",", "", StringComparison.Ordinal));
        _streets = Pool(6000, () => faker.Address.StreetAddress());
        _cities = Pool(1500, () => faker.Address.City());
        _jobTitles = Pool(400, () => faker.Name.JobTitle());
        _countries = Countries.SelectMany(c => Enumerable.Repeat(c.Code, c.Weight)).ToArray();
    }

    /// <summary>40% organisations with an account and headquarters, 60% individuals; each with a primary contact and an address.</summary>
    public IEnumerable<CreateCustomer.Request> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return _random.NextDouble() < 0.4 ? Organization(i) : Individual(i);
        }
    }

    private CreateCustomer.Request Individual(int n)
    {
        var (first, last) = PersonName();
        var contact = new ContactFields(
            first,
            last,
            _random.NextDouble() < 0.9 ? $"{Slug(first)}.{Slug(last)}{n}@{Pick(FreeMail)}" : null,
            _random.NextDouble() < 0.7 ? Phone() : null,
            null,
            true,
            ContactStatus.Active,
            CommunicationPreference.Any,
            _random.NextDouble() < 0.04);
        return new CreateCustomer.Request(
            CustomerType.Individual, $"{first} {last}", Status(), Source(), null, Owner(), null, contact, null,
            [Address(AddressType.Shipping)]);
    }

    private CreateCustomer.Request Organization(int n)
    {
        var company = CompanyName(Pick(_companies), Pick(Suffixes));
        while (_namesTaken is not null && !_namesTaken.Add(company))
        {
            company = CompanyName(Pick(_companies), Pick(Suffixes));
        }

        var domain = $"{Slug(company)}{n}.example";
        var (first, last) = PersonName();
        var headquarters = Address(AddressType.Headquarters);
        var account = new AccountFields(
            company,
            null,
            headquarters.Country == "US" ? string.Create(CultureInfo.InvariantCulture, $"{_random.Next(10, 99)}-{_random.Next(1000000, 9999999)}") : null,
            Pick(Industries),
            (EmployeeCount)_random.Next(0, 6),
            (AnnualRevenue)_random.Next(0, 5),
            $"https://www.{domain}");
        var contact = new ContactFields(first, last, $"{Slug(first)}.{Slug(last)}@{domain}", Phone(), Pick(_jobTitles), true, ContactStatus.Active, CommunicationPreference.Email, false);
        return new CreateCustomer.Request(
            CustomerType.Organization, company, Status(), Source(), null, Owner(), null, contact, account,
            _random.NextDouble() < 0.3 ? [headquarters, Address(AddressType.Billing)] : [headquarters]);
    }

    /// <summary>A first and last name; with unique names, one no other customer or primary contact has.</summary>
    private (string First, string Last) PersonName()
    {
        var (first, last) = (Pick(_firstNames), Pick(_lastNames));
        while (_namesTaken is not null && !_namesTaken.Add($"{first} {last}"))
        {
            (first, last) = (Pick(_firstNames), Pick(_lastNames));
        }

        return (first, last);
    }

    /// <summary>
    /// Bogus's company names end in a legal form of their own ("Bergstrom Group", "Kuhn and Sons"): a suffix drawn
    /// here replaces it rather than follows it, so no name reads "Bergstrom Group Group" or "Kuhn LLC Inc.".
    /// </summary>
    public static string CompanyName(string name, string suffix)
    {
        if (suffix.Length == 0)
        {
            return name;
        }

        foreach (var form in BogusForms)
        {
            if (name.EndsWith(form, StringComparison.Ordinal) && name.Length > form.Length)
            {
                return name[..^form.Length] + suffix;
            }
        }

        return name + suffix;
    }

    private AddressFields Address(AddressType type) => new(
        type,
        true,
        Pick(_streets),
        null,
        Pick(_cities),
        null,
        _random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture),
        Pick(_countries),
        null,
        null);

    private string Phone() => string.Create(CultureInfo.InvariantCulture, $"+1 ({_random.Next(201, 989)}) {_random.Next(200, 999)}-{_random.Next(0, 10000):D4}");

    private CustomerStatus Status() => _random.NextDouble() switch
    {
        < 0.5 => CustomerStatus.Active,
        < 0.8 => CustomerStatus.Prospect,
        < 0.9 => CustomerStatus.Inactive,
        _ => CustomerStatus.Churned,
    };

    private CustomerSource Source() => (CustomerSource)_random.Next(0, 5);

    private Guid? Owner() => _owners.Count == 0 ? null : _owners[_random.Next(_owners.Count)];

    private T Pick<T>(T[] pool) => pool[_random.Next(pool.Length)];

    private static string[] Pool(int size, Func<string> make) => Enumerable.Range(0, size).Select(_ => make()).Distinct(StringComparer.Ordinal).ToArray();

    private static string Slug(string text) => new(Matching.Fold(text).Where(char.IsAsciiLetterOrDigit).Take(24).ToArray());
}
