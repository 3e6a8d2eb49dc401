namespace Aida.Features.Customers.Duplicates;

/// <summary>What is known about one customer for matching: its name keys and its contacts' emails and phones.</summary>
public sealed record MatchKeys(
    CustomerType Type,
    string NameKey,
    string NamePhonetic,
    IReadOnlyCollection<string> Emails,
    IReadOnlyCollection<string> Phones,
    IReadOnlyCollection<string> Domains);

public sealed record MatchResult(double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// Scores how likely two customers are the same. Each signal is evidence with a weight, and the
/// weights combine as independent evidence (1 − Π(1 − w)): one strong signal is enough, several weak
/// ones add up. Weights follow the spec's edge case ("email/phone match score &gt; 80%"):
/// the same mailbox or the same phone number alone passes the default threshold of 0.8; the same name
/// alone does not (two John Smiths are common) but the same name at the same company domain does.
/// </summary>
public static class DuplicateScore
{
    public const double EmailWeight = 0.9;
    public const double PhoneWeight = 0.85;
    public const double ExactNameWeight = 0.75;
    public const double OrganizationDomainWeight = 0.6;
    public const double PersonDomainWeight = 0.2;

    /// <summary>Below this Jaro-Winkler similarity two names are not considered alike at all.</summary>
    public const double SimilarNameFloor = 0.85;

    public static MatchResult Compute(MatchKeys probe, MatchKeys candidate)
    {
        var reasons = new List<string>();
        var notSame = 1.0;

        if (probe.Emails.Overlaps(candidate.Emails))
        {
            notSame *= 1 - EmailWeight;
            reasons.Add("email");
        }

        if (probe.Phones.Overlaps(candidate.Phones))
        {
            notSame *= 1 - PhoneWeight;
            reasons.Add("phone");
        }

        var nameWeight = NameWeight(probe, candidate);
        if (nameWeight > 0)
        {
            notSame *= 1 - nameWeight;
            reasons.Add(nameWeight >= ExactNameWeight ? "name" : "similar_name");
        }

        if (probe.Domains.Overlaps(candidate.Domains))
        {
            var both = probe.Type == CustomerType.Organization && candidate.Type == CustomerType.Organization;
            notSame *= 1 - (both ? OrganizationDomainWeight : PersonDomainWeight);
            reasons.Add("domain");
        }

        return new MatchResult(Math.Round(1 - notSame, 3), reasons);
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

    private static double NameWeight(MatchKeys probe, MatchKeys candidate)
    {
        if (probe.NameKey.Length == 0 || candidate.NameKey.Length == 0)
        {
            return 0;
        }

        if (string.Equals(probe.NameKey, candidate.NameKey, StringComparison.Ordinal))
        {
            return ExactNameWeight;
        }

        var similarity = JaroWinkler.Similarity(probe.NameKey, candidate.NameKey);
        var weight = similarity < SimilarNameFloor ? 0 : ExactNameWeight * (similarity - SimilarNameFloor) / (1 - SimilarNameFloor);
        if (string.Equals(probe.NamePhonetic, candidate.NamePhonetic, StringComparison.Ordinal))
        {
            weight = Math.Max(weight, ExactNameWeight * 0.6); // sounds the same, spelled differently
        }

        return weight;
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
