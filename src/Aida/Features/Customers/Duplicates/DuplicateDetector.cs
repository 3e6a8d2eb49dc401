using System.Text.Json.Serialization;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Microsoft.Extensions.Options;

namespace Aida.Features.Customers.Duplicates;

public sealed class DuplicateOptions
{
    /// <summary>A new customer whose best match scores above this is refused with 409 unless allowed.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Matches at or above this are reported as candidates.</summary>
    public double ReportFloor { get; set; } = 0.5;

    /// <summary>How many rows each blocking key may bring in, so a common name cannot flood the scorer.</summary>
    public int CandidatesPerKey { get; set; } = 20;
}

/// <summary>What a would-be customer is known by: its name and the addresses it can be reached at.</summary>
/// <remarks>
/// Every email and phone of every contact counts; phones are read in the country of the first address
/// (<see cref="PhoneNumbers"/>). First and last name, when a contact gives them, say which word is which.
/// </remarks>
public sealed record DuplicateProbe(
    CustomerType Type,
    string DisplayName,
    IReadOnlyCollection<string?> Emails,
    IReadOnlyCollection<string?> Phones,
    IReadOnlyCollection<string?> Websites)
{
    public IReadOnlyList<StreetAddress> Addresses { get; init; } = [];

    public string? FirstName { get; init; }

    public string? LastName { get; init; }
}

/// <summary>
/// A possible duplicate. One in the actor's reach is named (id, name, type, status) with its score and the
/// reasons. Those outside reach are reported together as one <c>{"visible": false}</c> — no id, type, score
/// or reasons, not even how many (README: "named in a duplicate warning only as 'not visible to you'").
/// </summary>
public sealed record DuplicateCandidate(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CustomerType? Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CustomerStatus? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Reasons,
    bool Visible)
{
    /// <summary>How closely it matches (the best of those out of reach, for the hidden entry): decides whether it blocks a create; never shown.</summary>
    [JsonIgnore]
    public double Strength { get; init; }

    public static DuplicateCandidate Named(Guid id, string displayName, CustomerType type, CustomerStatus status, MatchResult match) =>
        new(id, displayName, type, status, match.Score, match.Reasons, true) { Strength = match.Score };

    public static DuplicateCandidate Hidden(double strength) => new(null, null, null, null, null, null, false) { Strength = strength };
}

/// <summary>
/// Finds existing customers that may be the one being created (WF-CM-001 step 3). Candidates come from
/// indexed blocking keys — name key, how the name sounds, normalised email, phone, company domain — each
/// bounded, so the cost does not grow with the table; only those few are scored.
/// </summary>
public sealed class DuplicateDetector(AidaDb db, IOptions<DuplicateOptions> options)
{
    /// <summary>Stands in for a key the probe does not have; stored keys never contain it.</summary>
    private const string NoKey = "\u0001";

    private enum Signal
    {
        Name,
        Email,
        Phone,
        Domain,
    }

    private sealed class Hit
    {
        public Guid CustomerId { get; init; }

        public int Signal { get; init; }
    }

    /// <summary>
    /// Every blocking key in one round trip, each branch bounded: the same name key, sound or name block, the same
    /// mailbox, the same phone, a company domain on an account or a contact. The branch says which signal
    /// matched, so nothing needs reading again to score it. Compiled once: a create pays for execution only.
    /// </summary>
    private static readonly CompiledPerModel<Func<AidaDb, string, string, string, string, string, string, string, int, IAsyncEnumerable<Hit>>> Candidates = new(() =>
        EF.CompileAsyncQuery((AidaDb db, string nameKey, string phonetic, string nameBlock, string email, string phone, string domain, string website, int perKey) =>
            CustomerAccess.All(db).Where(c => c.NameKey == nameKey).Select(c => new Hit { CustomerId = c.Id, Signal = (int)Signal.Name }).Take(perKey)
                .Concat(CustomerAccess.All(db).Where(c => c.NamePhonetic == phonetic).Select(c => new Hit { CustomerId = c.Id, Signal = (int)Signal.Name }).Take(perKey))
                .Concat(CustomerAccess.All(db).Where(c => c.NameBlock == nameBlock).Select(c => new Hit { CustomerId = c.Id, Signal = (int)Signal.Name }).Take(perKey))
                .Concat(CustomerAccess.AllContacts(db).Where(c => c.EmailNormalized == email).Select(c => new Hit { CustomerId = c.CustomerId, Signal = (int)Signal.Email }).Take(perKey))
                .Concat(CustomerAccess.AllContacts(db).Where(c => c.PhoneKey == phone).Select(c => new Hit { CustomerId = c.CustomerId, Signal = (int)Signal.Phone }).Take(perKey))
                .Concat(CustomerAccess.AllContacts(db).Where(c => c.EmailDomain == domain || c.EmailDomain == website).Select(c => new Hit { CustomerId = c.CustomerId, Signal = (int)Signal.Domain }).Take(perKey))
                .Concat(CustomerAccess.AllAccounts(db).Where(a => a.WebsiteDomain == domain || a.WebsiteDomain == website).Select(a => new Hit { CustomerId = a.CustomerId, Signal = (int)Signal.Domain }).Take(perKey))));

    public double Threshold => options.Value.Threshold;

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(DuplicateProbe probe, CancellationToken cancellationToken)
    {
        var keys = KeysOf(probe);
        var domains = keys.Domains.ToList();
        var hits = new List<Hit>();
        await foreach (var hit in Candidates.For(db)(
            db,
            keys.NameKey.Length > 0 ? keys.NameKey : NoKey,
            keys.NamePhonetic.Length > 0 ? keys.NamePhonetic : NoKey,
            keys.NameBlock is { Length: > 0 } nameBlock ? nameBlock : NoKey,
            keys.Emails.FirstOrDefault() ?? NoKey,
            keys.Phones.FirstOrDefault() ?? NoKey,
            domains.ElementAtOrDefault(0) ?? NoKey,
            domains.ElementAtOrDefault(1) ?? NoKey,
            options.Value.CandidatesPerKey).WithCancellation(cancellationToken))
        {
            hits.Add(hit);
        }

        // The rest of the keys — further emails and phone forms, the street addresses — only when there are any,
        // so the common create (one email, one phone) stays one compiled round trip.
        var ids = hits.Select(h => h.CustomerId).ToHashSet();
        ids.UnionWith(await MoreCandidatesAsync(db, keys, options.Value.CandidatesPerKey, cancellationToken));
        if (ids.Count == 0)
        {
            return [];
        }

        var candidates = await CandidateKeys.LoadAsync(db, ids.ToList(), cancellationToken);

        // The record-level filter decides which of them the actor may see (all of them, for some actors).
        var visible = db.Operation.Access.AllCustomers
            ? ids
            : (await db.Set<Customer>().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var results = new List<DuplicateCandidate>();
        double? hidden = null;
        foreach (var candidate in candidates)
        {
            var match = DuplicateScore.Compute(keys, candidate.Keys);
            if (match.Score < options.Value.ReportFloor)
            {
                continue;
            }

            if (visible.Contains(candidate.Id))
            {
                results.Add(DuplicateCandidate.Named(candidate.Id, candidate.Keys.DisplayName, candidate.Keys.Type, candidate.Status, match));
            }
            else
            {
                // A match the actor may not see still counts, but is reported without saying who, how close or why.
                hidden = Math.Max(hidden ?? 0, match.Score);
            }
        }

        var named = results.OrderByDescending(r => r.Strength).ThenBy(r => r.Id).Take(10);
        return hidden is { } strength ? [.. named, DuplicateCandidate.Hidden(strength)] : named.ToList();
    }

    /// <summary>
    /// Customers found by the keys the compiled lookup leaves out (each a round trip, only when the probe has it):
    /// emails and phone forms after the first,
    /// addresses by postal code and house number (the number as written must appear in the street line), and
    /// addresses by street key (number, street sound and city), which survives a mistyped postal code.
    /// </summary>
    private static async Task<IReadOnlyCollection<Guid>> MoreCandidatesAsync(AidaDb db, MatchKeys keys, int perKey, CancellationToken cancellationToken)
    {
        var found = new HashSet<Guid>();
        var emails = keys.Emails.Skip(1).ToList();
        if (emails.Count > 0)
        {
            found.UnionWith(await CustomerAccess.AllContacts(db).Where(c => c.EmailNormalized != null && emails.Contains(c.EmailNormalized))
                .Select(c => c.CustomerId).Take(perKey).ToListAsync(cancellationToken));
        }

        var phones = keys.Phones.Skip(1).ToList();
        if (phones.Count > 0)
        {
            found.UnionWith(await CustomerAccess.AllContacts(db).Where(c => c.PhoneKey != null && phones.Contains(c.PhoneKey))
                .Select(c => c.CustomerId).Take(perKey).ToListAsync(cancellationToken));
        }

        foreach (var (postalKey, number) in BlockingAddresses(keys))
        {
            var addresses = db.Set<Address>().IgnoreQueryFilters().Where(a => a.DeletedAt == null && a.PostalKey == postalKey);
            if (number is not null)
            {
                addresses = addresses.Where(a => a.StreetLine1.Contains(number));
            }

            found.UnionWith(await addresses.Select(a => a.CustomerId).Take(perKey).ToListAsync(cancellationToken));
        }

        var streets = StreetKeys(keys).ToList();
        if (streets.Count > 0)
        {
            // The index is partial (not empty, not deleted): the query says so, or it reads every address.
            found.UnionWith(await db.Set<Address>().IgnoreQueryFilters().Where(a => a.DeletedAt == null && a.StreetKey != null && a.StreetKey != "" && streets.Contains(a.StreetKey))
                .Select(a => a.CustomerId).Take(perKey).ToListAsync(cancellationToken));
        }

        return found;
    }

    /// <summary>The name's blocking key (<see cref="NameMatching.NameBlock"/>), from first and last name when a contact gives them.</summary>
    public static string NameBlockOf(MatchKeys keys) =>
        keys.Type == CustomerType.Individual && keys.Person is { Family.Count: > 0 } person
            ? NameMatching.NameBlock(keys.Type, string.Join(' ', person.Given.Take(1).Concat(person.Family.TakeLast(1))))
            : NameMatching.NameBlock(keys.Type, keys.DisplayName);

    /// <summary>The (postal code, house number) pairs a customer's addresses are looked up by.</summary>
    public static IEnumerable<(string PostalKey, string? Number)> BlockingAddresses(MatchKeys keys) =>
        keys.Addresses.Where(a => a.PostalCode is not null).Select(a => (a.PostalCode!, a.Number)).Distinct().Take(3);

    /// <summary>The street keys (<see cref="AddressMatching.StreetKey(StreetAddress)"/>) a customer's addresses are looked up by.</summary>
    public static IEnumerable<string> StreetKeys(MatchKeys keys) =>
        keys.Addresses.Select(a => a.StreetKey).OfType<string>().Distinct().Take(3);

    /// <summary>
    /// What two creates must share to be serialised (<see cref="LockName.CustomerIdentity"/>): any two this
    /// detector would block as duplicates of each other share at least one, and different people almost never
    /// do. A pair blocks only on evidence above the threshold, and each kind of evidence that can get there is
    /// locked: the mailbox and the phone always (each alone blocks); the name's sound only where the name
    /// alone could block (an equal name key has an equal sound; at the default threshold it cannot: two John
    /// Smiths are common, and locking the sound would queue every create of a common name behind the others);
    /// the company domain only where the same name at that domain could block — two organizations
    /// (0.75 ⊕ 0.6 = 0.9), not two people at one employer (0.75 ⊕ 0.2 = 0.8, not above the default 0.8).
    /// </summary>
    public IReadOnlyList<string> IdentityKeys(DuplicateProbe probe) => IdentityKeys(probe, Threshold);

    /// <summary><see cref="IdentityKeys(DuplicateProbe)"/> for a detector that blocks above <paramref name="threshold"/>.</summary>
    public static IReadOnlyList<string> IdentityKeys(DuplicateProbe probe, double threshold)
    {
        var keys = KeysOf(probe);
        var identity = new List<string>();
        identity.AddRange(keys.Emails.Select(email => "email:" + email));
        identity.AddRange(keys.Phones.Select(phone => "phone:" + phone));
        if (keys.NamePhonetic.Length > 0 && DuplicateScore.ExactNameWeight > threshold)
        {
            identity.Add("name:" + keys.NamePhonetic);
        }

        // The same name at the same street address blocks: the address (postal code and number, and the street key) is locked then.
        if (DuplicateScore.Combine(DuplicateScore.SimilarNameWeight, DuplicateScore.StreetAddressWeight) > threshold)
        {
            identity.AddRange(BlockingAddresses(keys).Select(a => "address:" + a.PostalKey + "|" + a.Number));
            identity.AddRange(StreetKeys(keys).Select(street => "street:" + street));
        }

        // The domain weighs as an organization's only between two organizations; both of those lock it then.
        var domainWeight = probe.Type == CustomerType.Organization ? DuplicateScore.OrganizationDomainWeight : DuplicateScore.PersonDomainWeight;
        if (DuplicateScore.Combine(DuplicateScore.ExactNameWeight, domainWeight) > threshold)
        {
            identity.AddRange(keys.Domains.Select(domain => "domain:" + domain));
        }

        return identity;
    }

    public static MatchKeys KeysOf(DuplicateProbe probe)
    {
        var nameKey = Matching.NameKey(probe.DisplayName);
        var country = probe.Addresses.Select(a => a.Country).FirstOrDefault(c => c is not null);
        return new MatchKeys(
            probe.Type,
            nameKey,
            Matching.Phonetic(nameKey),
            probe.Emails.Select(Matching.NormalizeEmail).OfType<string>().ToHashSet(StringComparer.Ordinal),
            probe.Phones.SelectMany(phone => PhoneNumbers.Variants(phone, country)).ToHashSet(StringComparer.Ordinal),
            probe.Emails.Select(Matching.CompanyDomain)
                .Concat(probe.Websites.Select(Matching.WebsiteDomain))
                .OfType<string>().ToHashSet(StringComparer.Ordinal))
        {
            DisplayName = probe.DisplayName,
            Person = probe.Type == CustomerType.Individual ? PersonName.Of(probe.FirstName, probe.LastName, probe.DisplayName) : null,
            Addresses = probe.Addresses,
        };
    }
}
