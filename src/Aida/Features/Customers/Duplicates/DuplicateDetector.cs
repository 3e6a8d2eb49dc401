using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Microsoft.EntityFrameworkCore;
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
public sealed record DuplicateProbe(
    CustomerType Type,
    string DisplayName,
    IReadOnlyCollection<string?> Emails,
    IReadOnlyCollection<string?> Phones,
    IReadOnlyCollection<string?> Websites);

public sealed record DuplicateCandidate(
    Guid Id,
    string DisplayName,
    CustomerType Type,
    CustomerStatus Status,
    double Score,
    IReadOnlyList<string> Reasons);

/// <summary>
/// Finds existing customers that may be the one being created (WF-CM-001 step 3). Candidates come from
/// indexed blocking keys — name key, how the name sounds, normalised email, phone, company domain — each
/// bounded, so the cost does not grow with the table; only those few are scored.
/// </summary>
public sealed class DuplicateDetector(AidaDb db, IOptions<DuplicateOptions> options)
{
    public double Threshold => options.Value.Threshold;

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(DuplicateProbe probe, CancellationToken cancellationToken)
    {
        var keys = KeysOf(probe);
        var candidateIds = await CandidateIdsAsync(keys, cancellationToken);
        if (candidateIds.Count == 0)
        {
            return [];
        }

        var customers = await db.Set<Customer>().AsNoTracking()
            .Where(c => candidateIds.Contains(c.Id))
            .Select(c => new { c.Id, c.DisplayName, c.Type, c.Status, c.NameKey, c.NamePhonetic })
            .ToListAsync(cancellationToken);

        // Only contact values that could overlap the probe matter for scoring; a large organisation's
        // thousands of other contacts are never read.
        var emails = keys.Emails.ToList();
        var phones = keys.Phones.ToList();
        var domains = keys.Domains.ToList();
        var contactKeys = await db.Set<Contact>().AsNoTracking()
            .Where(c => candidateIds.Contains(c.CustomerId)
                && ((c.EmailNormalized != null && emails.Contains(c.EmailNormalized))
                    || (c.PhoneKey != null && phones.Contains(c.PhoneKey))
                    || (c.EmailDomain != null && domains.Contains(c.EmailDomain))))
            .Select(c => new { c.CustomerId, c.EmailNormalized, c.PhoneKey, c.EmailDomain })
            .ToListAsync(cancellationToken);
        var accountDomains = await db.Set<Accounts.Account>().AsNoTracking()
            .Where(a => candidateIds.Contains(a.CustomerId) && a.WebsiteDomain != null && domains.Contains(a.WebsiteDomain))
            .Select(a => new { a.CustomerId, a.WebsiteDomain })
            .ToListAsync(cancellationToken);

        var results = new List<DuplicateCandidate>();
        foreach (var customer in customers)
        {
            var theirContacts = contactKeys.Where(c => c.CustomerId == customer.Id).ToList();
            var candidate = new MatchKeys(
                customer.Type,
                customer.NameKey,
                customer.NamePhonetic,
                theirContacts.Select(c => c.EmailNormalized).OfType<string>().ToHashSet(StringComparer.Ordinal),
                theirContacts.Select(c => c.PhoneKey).OfType<string>().ToHashSet(StringComparer.Ordinal),
                theirContacts.Select(c => c.EmailDomain)
                    .Concat(accountDomains.Where(a => a.CustomerId == customer.Id).Select(a => a.WebsiteDomain))
                    .OfType<string>().ToHashSet(StringComparer.Ordinal));
            var match = DuplicateScore.Compute(keys, candidate);
            if (match.Score >= options.Value.ReportFloor)
            {
                results.Add(new DuplicateCandidate(customer.Id, customer.DisplayName, customer.Type, customer.Status, match.Score, match.Reasons));
            }
        }

        return results.OrderByDescending(r => r.Score).ThenBy(r => r.Id).Take(10).ToList();
    }

    public static MatchKeys KeysOf(DuplicateProbe probe)
    {
        var nameKey = Matching.NameKey(probe.DisplayName);
        return new MatchKeys(
            probe.Type,
            nameKey,
            Matching.Phonetic(nameKey),
            probe.Emails.Select(Matching.NormalizeEmail).OfType<string>().ToHashSet(StringComparer.Ordinal),
            probe.Phones.Select(Matching.PhoneKey).OfType<string>().ToHashSet(StringComparer.Ordinal),
            probe.Emails.Select(Matching.CompanyDomain)
                .Concat(probe.Websites.Select(Matching.WebsiteDomain))
                .OfType<string>().ToHashSet(StringComparer.Ordinal));
    }

    private async Task<HashSet<Guid>> CandidateIdsAsync(MatchKeys keys, CancellationToken cancellationToken)
    {
        var perKey = options.Value.CandidatesPerKey;
        var customers = db.Set<Customer>().AsNoTracking();
        var contacts = db.Set<Contact>().AsNoTracking();
        var branches = new List<IQueryable<Guid>>();

        if (keys.NameKey.Length > 0)
        {
            branches.Add(customers.Where(c => c.NameKey == keys.NameKey).Select(c => c.Id).Take(perKey));
            branches.Add(customers.Where(c => c.NamePhonetic == keys.NamePhonetic).Select(c => c.Id).Take(perKey));
        }

        foreach (var email in keys.Emails)
        {
            branches.Add(contacts.Where(c => c.EmailNormalized == email).Select(c => c.CustomerId).Take(perKey));
        }

        foreach (var phone in keys.Phones)
        {
            branches.Add(contacts.Where(c => c.PhoneKey == phone).Select(c => c.CustomerId).Take(perKey));
        }

        foreach (var domain in keys.Domains)
        {
            branches.Add(db.Set<Accounts.Account>().AsNoTracking().Where(a => a.WebsiteDomain == domain).Select(a => a.CustomerId).Take(perKey));
            branches.Add(contacts.Where(c => c.EmailDomain == domain).Select(c => c.CustomerId).Take(perKey));
        }

        if (branches.Count == 0)
        {
            return [];
        }

        // One round trip: the bounded branches are combined with UNION ALL.
        var union = branches.Aggregate((all, next) => all.Concat(next));
        return (await union.ToListAsync(cancellationToken)).ToHashSet();
    }
}
