namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// What is known about one customer for matching: its name keys, its contacts' emails and phones (phones as
/// the variants <see cref="PhoneNumbers.Variants"/> makes), company domains and, in the init-only
/// properties, the name as written, the person's given and family names, and the addresses.
/// </summary>
public sealed record MatchKeys(
    CustomerType Type,
    string NameKey,
    string NamePhonetic,
    IReadOnlyCollection<string> Emails,
    IReadOnlyCollection<string> Phones,
    IReadOnlyCollection<string> Domains)
{
    /// <summary>The name as written; the name key stands in when it is not known.</summary>
    public string DisplayName { get; init; } = NameKey;

    /// <summary>Given and family names; from the contact's first and last name when known, else from the display name.</summary>
    public PersonName? Person { get; init; }

    public IReadOnlyList<StreetAddress> Addresses { get; init; } = [];

    public PersonName PersonOrDisplayName => Person ?? (_derived.DisplayPerson ??= PersonName.Of(null, null, DisplayName));

    /// <summary>The name's blocking key (<see cref="DuplicateDetector.NameBlockOf"/>).</summary>
    public string NameBlock => _derived.NameBlock ??= DuplicateDetector.NameBlockOf(this);

    /// <summary>The distinctive words of the name as a company's (<see cref="NameMatching.OrganizationWords"/>).</summary>
    public IReadOnlyList<string> OrganizationWords => _derived.OrganizationWords ??= NameMatching.OrganizationWords(DisplayName);

    // What is derived from the name is worked out once and kept: an import or a scan compares each customer with
    // dozens of others, and deriving it again for every comparison was most of their cost.
    private readonly Derived _derived = new();

    /// <summary>A copy (<c>with</c>) derives afresh: its name may differ.</summary>
    private MatchKeys(MatchKeys original)
    {
        Type = original.Type;
        NameKey = original.NameKey;
        NamePhonetic = original.NamePhonetic;
        Emails = original.Emails;
        Phones = original.Phones;
        Domains = original.Domains;
        DisplayName = original.DisplayName;
        Person = original.Person;
        Addresses = original.Addresses;
        _derived = new Derived();
    }

    private sealed class Derived : DerivedValues
    {
        public string? NameBlock;
        public IReadOnlyList<string>? OrganizationWords;
        public PersonName? DisplayPerson;
    }
}

public sealed record MatchResult(double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// Scores how likely two customers are the same. Each signal is evidence with a weight, and the weights
/// combine as independent evidence (1 − Π(1 − w)): one strong signal is enough, several weak ones add up.
/// The same mailbox or phone alone passes the default threshold of 0.8 (spec: "email/phone match score
/// &gt; 80%"); the same name alone does not (two John Smiths are common) but the same name at the same
/// street address, or at the same company domain, does. Evidence against counts too: a different first
/// name beside a shared family name (a household or an office sharing a phone or an address) and an
/// address in another country, or another city with another postal code.
/// </summary>
public static class DuplicateScore
{
    public const double EmailWeight = 0.9;
    public const double PhoneWeight = 0.85;
    public const double ExactNameWeight = 0.75;
    public const double SimilarNameWeight = 0.6;
    public const double StreetAddressWeight = 0.6;
    public const double SameAreaWeight = 0.15;
    public const double OrganizationDomainWeight = 0.6;
    public const double PersonDomainWeight = 0.2;

    /// <summary>The same family name under a different first name: a relative, or a mistyped first name.</summary>
    public const double FamilyNameOnlyWeight = 0.3;

    /// <summary>
    /// What is left of a match between people whose first names differ: most likely two people of one
    /// household or office, so never refused (at most 0.75, below any sensible threshold), but shown when the
    /// rest agrees — a first name can be mistyped beyond recognition.
    /// </summary>
    public const double DifferentFirstNameFactor = 0.75;

    /// <summary>What is left of a match between organizations whose names clearly differ.</summary>
    public const double DifferentOrganizationNameFactor = 0.5;

    /// <summary>What is left of a name's weight when the addresses are in different places.</summary>
    public const double ElsewhereFactor = 0.5;

    public static MatchResult Compute(MatchKeys probe, MatchKeys candidate) => Compute(probe, candidate, atLeast: double.NegativeInfinity)!;

    /// <summary>
    /// As <see cref="Compute(MatchKeys, MatchKeys)"/>, but null as soon as the score cannot reach <paramref name="atLeast"/>:
    /// the mailboxes, phones, domains and addresses are weighed first, and the names — most of the cost, and most
    /// pairs a common key brings have nothing else in common — only when the best a name could add would reach it.
    /// </summary>
    public static MatchResult? Compute(MatchKeys probe, MatchKeys candidate, double atLeast)
    {
        var email = probe.Emails.Overlaps(candidate.Emails);
        var phone = probe.Phones.Overlaps(candidate.Phones);
        var domain = probe.Domains.Overlaps(candidate.Domains);
        var address = BestAddress(probe.Addresses, candidate.Addresses);
        // A business is where its premises are: another street address in the same town is another branch or
        // another business. People move house within a town, so for them it says nothing either way.
        var organizations = probe.Type == CustomerType.Organization && candidate.Type == CustomerType.Organization;
        var elsewhere = address is AddressAgreement.Elsewhere || (organizations && address is AddressAgreement.DifferentStreet);
        var sameStreetAddress = address is AddressAgreement.SameStreetAddress;
        var sameArea = !sameStreetAddress && (address is AddressAgreement.SameArea || (!organizations && address is AddressAgreement.DifferentStreet));

        if (atLeast > 0)
        {
            // The most a name could add: the same name, with the area's weight that comes with any name. The margin
            // keeps a bound that equals the score (multiplied in another order) from falling short by a rounding.
            var without = (email ? 1 - EmailWeight : 1) * (phone ? 1 - PhoneWeight : 1) * (sameStreetAddress ? 1 - StreetAddressWeight : 1)
                * (domain ? 1 - (organizations ? OrganizationDomainWeight : PersonDomainWeight) : 1);
            var best = 1 - (without * (1 - (ExactNameWeight * (elsewhere ? ElsewhereFactor : 1))) * (sameArea ? 1 - SameAreaWeight : 1));
            if (best < atLeast - 0.001)
            {
                return null;
            }
        }

        var name = Names(probe, candidate);
        var nameWeight = name switch
        {
            NameAgreement.Same => ExactNameWeight,
            NameAgreement.Similar => SimilarNameWeight,
            NameAgreement.DifferentGivenName => FamilyNameOnlyWeight,
            _ => 0,
        };
        if (elsewhere)
        {
            nameWeight *= ElsewhereFactor;
        }

        // Combined in the order the reasons are listed.
        var reasons = new List<string>(4);
        var notSame = 1.0;
        if (email)
        {
            notSame *= 1 - EmailWeight;
            reasons.Add("email");
        }

        if (phone)
        {
            notSame *= 1 - PhoneWeight;
            reasons.Add("phone");
        }

        if (nameWeight > 0)
        {
            notSame *= 1 - nameWeight;
            reasons.Add(name switch { NameAgreement.Same => "name", NameAgreement.Similar => "similar_name", _ => "family_name" });
        }

        if (sameStreetAddress)
        {
            notSame *= 1 - StreetAddressWeight;
            reasons.Add("address");
        }
        else if (sameArea && nameWeight > 0)
        {
            notSame *= 1 - SameAreaWeight;
            reasons.Add("area");
        }

        if (domain)
        {
            notSame *= 1 - (organizations ? OrganizationDomainWeight : PersonDomainWeight);
            reasons.Add("domain");
        }

        var score = 1 - notSame;
        if (name is NameAgreement.DifferentGivenName)
        {
            score *= DifferentFirstNameFactor;
            reasons.Add("different_first_name");
        }
        else if (name is NameAgreement.Different && organizations)
        {
            // Two businesses under one roof (a hotel's restaurants, an office building's tenants) share the
            // switchboard and the street address; clearly different names say they are different businesses.
            score *= DifferentOrganizationNameFactor;
            reasons.Add("different_name");
        }

        score = Math.Round(score, 3);
        return score < atLeast ? null : new MatchResult(score, reasons);
    }

    /// <summary>
    /// The most two customers can score whose mailboxes, phones and domains are known not to agree — except those
    /// named as possible — when their names might be the same and their addresses are these: what a namesake of an
    /// imported row could reach, before its contacts are read (the import's <c>BatchDuplicates</c>). Never below
    /// <see cref="Compute(MatchKeys, MatchKeys)"/> of such a pair: where the customers' types would matter, the larger
    /// weight is taken.
    /// </summary>
    public static double NamesakeBound(
        IReadOnlyList<StreetAddress> a, IReadOnlyList<StreetAddress> b, bool mayShareMailbox, bool maySharePhone, bool mayShareDomain, bool organization)
    {
        var address = BestAddress(a, b);
        Span<double> weights = stackalloc double[5];
        var count = 0;
        weights[count++] = ExactNameWeight * (address is AddressAgreement.Elsewhere ? ElsewhereFactor : 1);
        if (mayShareMailbox)
        {
            weights[count++] = EmailWeight;
        }

        if (maySharePhone)
        {
            weights[count++] = PhoneWeight;
        }

        if (mayShareDomain)
        {
            weights[count++] = organization ? OrganizationDomainWeight : PersonDomainWeight;
        }

        if (address is AddressAgreement.SameStreetAddress)
        {
            weights[count++] = StreetAddressWeight;
        }
        else if (address is AddressAgreement.SameArea or AddressAgreement.DifferentStreet)
        {
            weights[count++] = SameAreaWeight;
        }

        return Combine(weights[..count]);
    }

    /// <summary>The score of these signals together, as <see cref="Compute"/> combines and rounds them.</summary>
    public static double Combine(params ReadOnlySpan<double> weights)
    {
        var notSame = 1.0;
        foreach (var weight in weights)
        {
            notSame *= 1 - weight;
        }

        return Math.Round(1 - notSame, 3);
    }

    private static NameAgreement Names(MatchKeys probe, MatchKeys candidate)
    {
        if (probe.NameKey.Length == 0 || candidate.NameKey.Length == 0)
        {
            return NameAgreement.Unknown;
        }

        if (probe.Type == CustomerType.Individual && candidate.Type == CustomerType.Individual)
        {
            var people = NameMatching.ComparePeople(probe.PersonOrDisplayName, candidate.PersonOrDisplayName);
            // Words in another order ("Smith John") are the same name; a surname-first form without a comma is common.
            return people is not NameAgreement.Same && string.Equals(probe.NameKey, candidate.NameKey, StringComparison.Ordinal)
                ? NameAgreement.Same
                : people;
        }

        return string.Equals(probe.NameKey, candidate.NameKey, StringComparison.Ordinal)
            ? NameAgreement.Same
            : NameMatching.CompareOrganizations(probe.OrganizationWords, candidate.OrganizationWords);
    }

    /// <summary>The closest two of the customers' addresses come; elsewhere only when no two share a place.</summary>
    private static AddressAgreement BestAddress(IReadOnlyList<StreetAddress> a, IReadOnlyList<StreetAddress> b)
    {
        var best = AddressAgreement.Unknown;
        var anyKnown = false;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                var agreement = AddressMatching.Compare(x, y);
                if (agreement is AddressAgreement.Elsewhere)
                {
                    anyKnown = true;
                    continue;
                }

                best = (AddressAgreement)Math.Max((int)best, (int)agreement);
            }
        }

        return best is AddressAgreement.Unknown && anyKnown ? AddressAgreement.Elsewhere : best;
    }

    private static bool Overlaps(this IReadOnlyCollection<string> a, IReadOnlyCollection<string> b) =>
        a.Count > 0 && b.Count > 0 && a.Any(b.Contains);
}

/// <summary>Jaro-Winkler string similarity (1 = identical), good at short names with typos and transpositions.</summary>
public static class JaroWinkler
{
    public static double Similarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                transpositions++;
            }

            k++;
        }

        var m = (double)matches;
        var jaro = ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }
}
