using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Leads.Duplicates;

/// <summary>
/// Leads in duplicate review (issue 17 part 3, "a background scan of existing customers (and leads)"). A capture
/// already joins an open lead with the same email or phone (<see cref="LeadCapture"/>); what gets past it is the same
/// person under another address or number — "Jürgen Weiß, jw@acme.de" and "Juergen Weiss, j.weiss@acme.de" — or
/// leads imported or edited into the same email. The scan covers open leads (active or unresponsive: the ones still
/// worked); a converted or lost lead is history, not a duplicate to clean up.
/// <para>
/// The matcher is the customers' (<see cref="DuplicateScore"/>) with a lead's fields: the person's name, the email,
/// the phone read in the lead's country, the email's company domain, and the country as a place (two leads in
/// different countries count against). A lead also names its company: the same company adds to a name match, and a
/// clearly different one halves a match that rests on the name alone (two Anna Schmidts at two firms).
/// </para>
/// </summary>
public sealed class LeadDuplicateRecords : IDuplicateRecords
{
    /// <summary>What the scan covers, as SQL over the alias <c>t</c> (statuses as stored).</summary>
    private const string OpenLeadsSql = "t.status IN ('active', 'unresponsive')";

    /// <summary>The same company beside other evidence weighs as a shared company mail domain does for people.</summary>
    public const double SameCompanyWeight = DuplicateScore.PersonDomainWeight;

    /// <summary>What is left of a match on the name alone between leads at clearly different companies.</summary>
    public const double DifferentCompanyFactor = DuplicateScore.DifferentOrganizationNameFactor;

    private const int Chunk = 500;

    public DuplicateRecordType Type => DuplicateRecordType.Lead;

    /// <summary>Pick the lead to keep on the queue's page and merge (<see cref="Pages.LeadDuplicatePages"/>).</summary>
    public DuplicateMergeUi Merge { get; } = new(Permissions.LeadsEdit, MergeLeads.MaxLeads, null, "/duplicates/leads/merge");

    public IQueryable<Guid> Visible(AidaDb db) =>
        db.Set<Lead>().Where(l => l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive).Select(l => l.Id);

    public async Task<Dictionary<Guid, DuplicateMemberResponse>> DescribeAsync(AidaDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        var leads = await db.Set<Lead>().AsNoTracking().Where(l => list.Contains(l.Id)).ToListAsync(cancellationToken);
        return leads.ToDictionary(l => l.Id, l =>
        {
            var detail = string.Join(" · ", new[] { l.Company, l.Email, l.Phone, l.Country }.Where(x => !string.IsNullOrWhiteSpace(x)));
            return new DuplicateMemberResponse(l.Id, l.DisplayName, EnumText<LeadSourceType>.ToText(l.SourceType), EnumText<LeadStatus>.ToText(l.Status), detail.Length > 0 ? detail : null, $"/leads/{l.Id}");
        });
    }

    /// <summary>What leads are blocked by: the mailbox, every form of the phone, the name key, its sound and its block.</summary>
    private static readonly (string Prefix, string Column, Func<LeadKeys, IEnumerable<string>> Of)[] Kinds =
    [
        ("e:", "email_normalized", k => k.Match.Emails),
        ("p:", "phone_key", k => k.Match.Phones),
        ("n:", "name_key", k => k.Match.NameKey is { Length: > 0 } n ? [n] : []),
        ("s:", "name_phonetic", k => k.Match.NamePhonetic is { Length: > 0 } s ? [s] : []),
        ("b:", "name_block", k => k.NameBlock is { Length: > 0 } b ? [b] : []),
    ];

    private static List<string> BlockingKeysOf(LeadKeys keys) => Kinds.SelectMany(k => k.Of(keys).Select(key => k.Prefix + key)).ToList();

    public Task<CommonKeys> CommonKeysAsync(AidaDb db, int perKey, CancellationToken cancellationToken) =>
        CommonKeysQuery.FindAsync(db, Kinds.Select(k => new BlockingColumn(k.Prefix, "leads", k.Column, "id", perKey)).ToList(), cancellationToken, OpenLeadsSql);

    public async Task<List<ScanRecord>> LoadRangeAsync(AidaDb db, Guid after, int size, CancellationToken cancellationToken) =>
        (await KeysOfAsync(Open(db).Where(l => l.Id.CompareTo(after) > 0).OrderBy(l => l.Id).Take(size), cancellationToken))
        .Select(l => ScanRecordOf(l.Id, l.Keys)).ToList();

    public async Task<List<ScanRecord>> LoadAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken) =>
        (await KeysOfAsync(db, ids, cancellationToken)).Select(l => ScanRecordOf(l.Key, l.Value)).ToList();

    private static ScanRecord ScanRecordOf(Guid id, LeadKeys keys) => new(id, [.. BlockingKeysOf(keys)], keys);

    // Weighed whole: the company a lead names can raise a score the customers' matcher left low.
    public MatchResult? Score(ScanRecord probe, ScanRecord candidate, double atLeast) =>
        Score((LeadKeys)probe.Compared, (LeadKeys)candidate.Compared) is { } match && match.Score >= atLeast ? match : null;

    public async Task<(List<Guid> Ids, Guid? Cursor)> NextChangedAsync(AidaDb db, DateTime since, Guid? after, int size, CancellationToken cancellationToken)
    {
        var ids = await Open(db).Where(l => l.UpdatedAt >= since && (after == null || l.Id.CompareTo(after.Value) > 0))
            .OrderBy(l => l.Id).Select(l => l.Id).Take(size).ToListAsync(cancellationToken);
        return (ids, ids.Count > 0 ? ids[^1] : null);
    }

    public async Task<List<(Guid A, Guid B, MatchResult Match)>> FindPairsAsync(
        AidaDb db, List<Guid> ids, DuplicateOptions options, BlockingMemory memory, ILogger? logger, CancellationToken cancellationToken)
    {
        var keys = await KeysOfAsync(db, ids, cancellationToken);
        var perKey = options.CandidatesPerKey;
        var found = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        foreach (var (prefix, column, of) in Kinds)
        {
            var wanted = new List<string>();
            foreach (var key in keys.Values.SelectMany(of).Distinct(StringComparer.Ordinal))
            {
                if (memory.Keys.TryGetValue(prefix + key, out var known))
                {
                    found[prefix + key] = known;
                }
                else
                {
                    wanted.Add(key);
                }
            }

            foreach (var group in (await TopPerKey.QueryAsync(db, wanted, "leads", column, "id", perKey, cancellationToken, where: OpenLeadsSql))
                         .GroupBy(h => h.Key, StringComparer.Ordinal))
            {
                var holders = group.Select(h => Guid.Parse(h.Id)).ToList();
                found[prefix + group.Key] = holders;
                if (holders.Count >= perKey)
                {
                    // A common key (a frequent name's sound): its first holders by id are read once per pass.
                    memory.Keys[prefix + group.Key] = holders;
                }
            }
        }

        var others = found.Values.SelectMany(v => v).Where(id => !keys.ContainsKey(id)).Distinct().ToList();
        foreach (var (id, other) in await KeysOfAsync(db, others, cancellationToken))
        {
            keys[id] = other;
        }

        var seen = new HashSet<(Guid, Guid)>();
        var pairs = new List<(Guid, Guid, MatchResult)>();
        foreach (var id in ids)
        {
            if (!keys.TryGetValue(id, out var mine))
            {
                continue;
            }

            var candidates = BlockingKeysOf(mine)
                .SelectMany(key => found.TryGetValue(key, out var holders) ? holders : []);
            foreach (var other in candidates)
            {
                if (other == id || !keys.TryGetValue(other, out var theirs) || !seen.Add(DuplicatePair.Canonical(id, other)))
                {
                    continue;
                }

                // As for customers: the newer lead (UUIDv7: the larger id) is the probe, the older one the candidate.
                var match = id.CompareTo(other) > 0 ? Score(mine, theirs) : Score(theirs, mine);
                if (match.Score >= options.ReportFloor)
                {
                    pairs.Add((id, other, match));
                }
            }
        }

        logger?.LogDebug("Lead duplicate scan: {Leads} leads, {Candidates} candidates, {Scored} pairs scored, {Pairs} reported", ids.Count, others.Count, seen.Count, pairs.Count);
        return pairs;
    }

    public async Task<Dictionary<(Guid First, Guid Second), MatchResult>> RescoreAsync(
        AidaDb db, IReadOnlyCollection<(Guid First, Guid Second)> pairs, CancellationToken cancellationToken)
    {
        var keys = await KeysOfAsync(db, pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct().ToList(), cancellationToken);
        var scores = new Dictionary<(Guid First, Guid Second), MatchResult>();
        foreach (var (first, second) in pairs)
        {
            if (keys.TryGetValue(first, out var older) && keys.TryGetValue(second, out var newer))
            {
                scores[(first, second)] = Score(newer, older);
            }
        }

        return scores;
    }

    /// <summary>How alike two leads are: the customers' matcher, then the companies they name.</summary>
    public static MatchResult Score(LeadKeys probe, LeadKeys candidate)
    {
        var match = DuplicateScore.Compute(probe.Match, candidate.Match);
        if (probe.CompanyWords.Count == 0 || candidate.CompanyWords.Count == 0)
        {
            return match;
        }

        var reasons = match.Reasons.ToList();
        var companies = NameMatching.CompareOrganizations(probe.CompanyWords, candidate.CompanyWords);
        if (companies is NameAgreement.Same or NameAgreement.Similar && match.Score > 0 && !reasons.Contains("domain"))
        {
            reasons.Add("company");
            return new MatchResult(Math.Round(1 - ((1 - match.Score) * (1 - SameCompanyWeight)), 3), reasons);
        }

        if (companies is NameAgreement.Different && !reasons.Contains("email") && !reasons.Contains("phone"))
        {
            reasons.Add("different_company");
            return new MatchResult(Math.Round(match.Score * DifferentCompanyFactor, 3), reasons);
        }

        return match;
    }

    /// <summary>What the matcher compares for each of these live leads (any status: a stored pair is rescored whatever became of it).</summary>
    public static async Task<Dictionary<Guid, LeadKeys>> KeysOfAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, LeadKeys>(ids.Count);
        for (var i = 0; i < ids.Count; i += Chunk)
        {
            var chunk = ids.GetRange(i, Math.Min(Chunk, ids.Count - i));
            foreach (var (id, keys) in await KeysOfAsync(LeadAccess.All(db).AsNoTracking().Where(l => chunk.Contains(l.Id)), cancellationToken))
            {
                result[id] = keys;
            }
        }

        return result;
    }

    /// <summary>What the matcher compares for each of these leads, in their order.</summary>
    private static async Task<List<(Guid Id, LeadKeys Keys)>> KeysOfAsync(IQueryable<Lead> leads, CancellationToken cancellationToken) =>
        (await leads.Select(l => new { l.Id, l.FirstName, l.LastName, l.Email, l.EmailNormalized, l.Phone, l.Company, l.Country }).ToListAsync(cancellationToken))
        .Select(l => (l.Id, LeadKeys.Of(l.FirstName, l.LastName, l.Email, l.EmailNormalized, l.Phone, l.Company, l.Country)))
        .ToList();

    private static IQueryable<Lead> Open(AidaDb db) =>
        LeadAccess.All(db).AsNoTracking().Where(l => l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive);
}

/// <summary>A lead as the matcher compares it: the customers' match keys, the name block it is found by, and its company's words.</summary>
public sealed record LeadKeys(MatchKeys Match, string NameBlock, IReadOnlyList<string> CompanyWords)
{
    public static LeadKeys Of(string? firstName, string? lastName, string? email, string? emailNormalized, string? phone, string? company, string? country)
    {
        var name = Lead.PersonNameOf(firstName, lastName);
        var (nameKey, phonetic, block) = Lead.NameKeysOf(name);
        var match = new MatchKeys(
            CustomerType.Individual,
            nameKey,
            phonetic,
            emailNormalized is null ? [] : [emailNormalized],
            PhoneNumbers.Variants(phone, country),
            Matching.CompanyDomain(email) is { } domain ? [domain] : [])
        {
            DisplayName = name,
            Person = name.Length > 0 ? PersonName.Of(firstName, lastName, name) : null,
            Addresses = string.IsNullOrWhiteSpace(country) ? [] : [StreetAddress.Of(null, null, null, country)],
        };
        return new LeadKeys(match, block, NameMatching.OrganizationWords(company));
    }
}
