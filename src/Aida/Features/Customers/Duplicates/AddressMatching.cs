using System.Collections.Frozen;

namespace Aida.Features.Customers.Duplicates;

/// <summary>A postal address in comparison form: house number, street words with abbreviations spelled out, postal code, city, country.</summary>
public sealed record StreetAddress(string? Number, IReadOnlyList<string> Street, string? PostalCode, string? City, string? Country)
{
    public static StreetAddress Of(string? street, string? postalCode, string? city, string? country)
    {
        var (number, words) = AddressMatching.Street(street);
        return new StreetAddress(
            number,
            words,
            AddressMatching.PostalKey(postalCode),
            string.Join(' ', NameMatching.Tokens(city)) is { Length: > 0 } folded ? folded : null,
            string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant());
    }

    /// <summary>
    /// This address's <see cref="AddressMatching.StreetKey(StreetAddress)"/>, worked out once: an import builds the blocking
    /// keys of tens of thousands of stored customers' addresses for every batch, and the street's sound is the dear part.
    /// </summary>
    public string? StreetKey
    {
        get
        {
            var known = Volatile.Read(ref _derived.StreetKey);
            if (known is null)
            {
                known = AddressMatching.StreetKey(this) ?? NoStreetKey;
                Volatile.Write(ref _derived.StreetKey, known);
            }

            return ReferenceEquals(known, NoStreetKey) ? null : known;
        }
    }

    /// <summary>Stands for "worked out: this address has no street key" (a key is never this instance).</summary>
    private static readonly string NoStreetKey = new('-', 1);

    private readonly Derived _derived = new();

    /// <summary>A copy (<c>with</c>) works its key out afresh: its street may differ.</summary>
    private StreetAddress(StreetAddress original)
    {
        Number = original.Number;
        Street = original.Street;
        PostalCode = original.PostalCode;
        City = original.City;
        Country = original.Country;
        _derived = new Derived();
    }

    private sealed class Derived : DerivedValues
    {
        public string? StreetKey;
    }
}

/// <summary>How two addresses relate.</summary>
public enum AddressAgreement
{
    /// <summary>Not enough on both sides to say.</summary>
    Unknown,

    /// <summary>In different countries, or different cities with different postal codes: evidence of different customers.</summary>
    Elsewhere,

    /// <summary>Same area (postal code or city), both with a street and number, which differ.</summary>
    DifferentStreet,

    /// <summary>Same area (postal code or city), street unknown on one side.</summary>
    SameArea,

    /// <summary>The same street and house number in the same place.</summary>
    SameStreetAddress,
}

/// <summary>Address comparison: "Hauptstr. 5" is "Hauptstraße 5", "435 S. La Cienega Blvd." is "435 south la cienega boulevard".</summary>
public static class AddressMatching
{
    /// <summary>Street abbreviations and their full words (English, German, French, Spanish, Dutch, Nordic usage).</summary>
    private static readonly FrozenDictionary<string, string> Abbreviations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "strasse", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue", ["avda"] = "avenida",
        ["blvd"] = "boulevard", ["blv"] = "boulevard", ["bd"] = "boulevard", ["bvd"] = "boulevard", ["dr"] = "drive",
        ["ln"] = "lane", ["pl"] = "place", ["plz"] = "platz", ["sq"] = "square", ["ct"] = "court", ["cres"] = "crescent",
        ["cct"] = "circuit", ["cir"] = "circle", ["hwy"] = "highway", ["pkwy"] = "parkway", ["pky"] = "parkway", ["tce"] = "terrace",
        ["ter"] = "terrace", ["wy"] = "way", ["cl"] = "close", ["gr"] = "grove", ["pde"] = "parade", ["esp"] = "esplanade",
        ["n"] = "north", ["s"] = "south", ["e"] = "east", ["w"] = "west", ["ne"] = "northeast", ["nw"] = "northwest",
        ["se"] = "southeast", ["sw"] = "southwest", ["mt"] = "mount", ["ft"] = "fort", ["r"] = "rue", ["c"] = "calle",
        ["vej"] = "vej", ["g"] = "gatan", ["gt"] = "gate",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that say nothing about which street: dropped before comparing.</summary>
    private static readonly FrozenSet<string> StreetNoise = new[] { "the", "of", "de", "la", "le", "del", "der", "die", "am", "an", "im" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The house number and the street words, abbreviations spelled out ("hauptstr" → "hauptstrasse").</summary>
    public static (string? Number, IReadOnlyList<string> Words) Street(string? street)
    {
        string? number = null;
        var words = new List<string>();
        foreach (var raw in Matching.Words(street?.Replace('.', ' ').Replace('/', ' ').Replace('-', ' ')))
        {
            if (char.IsAsciiDigit(raw[0]))
            {
                // "5", "5a", "12b": the first number is the house number; further ones (flat, floor) are left out.
                number ??= new string(raw.TakeWhile(char.IsAsciiDigit).ToArray()).TrimStart('0');
                continue;
            }

            var word = NameMatching.Transliterate(raw);
            if (Abbreviations.TryGetValue(word, out var full))
            {
                word = full;
            }
            else if (word.Length > 3 && word.EndsWith("str", StringComparison.Ordinal))
            {
                word += "asse"; // "Hauptstr." → "hauptstrasse"
            }
            else if (word.EndsWith("strase", StringComparison.Ordinal))
            {
                word = word[..^"strase".Length] + "strasse"; // "Straße" transliterated as "strase" by the ss-collapse
            }

            if (!StreetNoise.Contains(word))
            {
                words.Add(word);
            }
        }

        // "Haupt Straße" and "Hauptstraße" are the same street.
        return (number, words.Count > 1 && words[^1] is "strasse" or "street" or "weg" or "gasse" or "platz" ? [string.Concat(words)] : words);
    }

    /// <summary>
    /// The postal code upper case without spaces, hyphens and dots: "SW1A 1AA" → "SW1A1AA". Null when empty.
    /// Migration 0014 computes the same in SQL for the addresses stored before it; keep the two alike.
    /// </summary>
    public static string? PostalKey(string? postalCode)
    {
        if (string.IsNullOrWhiteSpace(postalCode))
        {
            return null;
        }

        var key = postalCode.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
            .Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        return key.Length > 0 ? key : null;
    }

    /// <summary>
    /// The street address as a blocking key: house number, the Cologne code of the street (abbreviations spelled out,
    /// so "Hauptstr." and "Hauptstraße" agree, and so do most one-letter typos) and the city, or the postal code where
    /// no city is given. Finds the same address when the postal code is mistyped, which the postal-code key cannot.
    /// Null without a house number, a street or a place. Stored per address (addresses.street_key).
    /// </summary>
    public static string? StreetKey(StreetAddress address)
    {
        var place = address.City ?? (address.PostalCode is { } postal ? "#" + postal : null);
        if (address.Number is not { Length: > 0 } number || address.Street.Count == 0 || place is null)
        {
            return null;
        }

        var street = string.Concat(address.Street);
        var sound = ColognePhonetic.Code(street);
        return $"{number}|{(sound.Length > 0 ? sound : street)}|{place}";
    }

    /// <summary><see cref="StreetKey(StreetAddress)"/> of an address as stored.</summary>
    public static string? StreetKey(string? street, string? city, string? postalCode) =>
        StreetKey(StreetAddress.Of(street, postalCode, city, null));

    public static AddressAgreement Compare(StreetAddress a, StreetAddress b)
    {
        if (a.Country is { } ca && b.Country is { } cb && ca != cb)
        {
            return AddressAgreement.Elsewhere;
        }

        var postal = a.PostalCode is not null && b.PostalCode is not null ? a.PostalCode == b.PostalCode : (bool?)null;
        var city = a.City is not null && b.City is not null ? a.City == b.City || NameMatching.Alike(a.City, b.City) : (bool?)null;
        var sameStreet = a.Number is not null && a.Number == b.Number && StreetsAgree(a.Street, b.Street);
        if (city == false && postal != true)
        {
            // The same street and number with both place fields mistyped is more likely typos than another town.
            return sameStreet ? AddressAgreement.SameArea : AddressAgreement.Elsewhere;
        }

        if (postal is null && city is null)
        {
            return AddressAgreement.Unknown;
        }

        var sameArea = postal == true || city == true;
        if (sameStreet && sameArea)
        {
            return AddressAgreement.SameStreetAddress;
        }

        if (!sameArea)
        {
            return AddressAgreement.Unknown;
        }

        return a.Number is not null && b.Number is not null && a.Street.Count > 0 && b.Street.Count > 0
            ? AddressAgreement.DifferentStreet
            : AddressAgreement.SameArea;
    }

    /// <summary>Street words agree word for word, allowing a typo in each, or as a whole ("la cienega" and "lacienega").</summary>
    private static bool StreetsAgree(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return a.Count == b.Count;
        }

        var x = string.Concat(a);
        var y = string.Concat(b);
        if (x == y || NameMatching.Alike(x, y))
        {
            return true;
        }

        // The distinctive words (not "street", "north") must all agree; a missing direction or street type is fine.
        var (shorter, longer) = a.Count <= b.Count ? (a, b) : (b, a);
        return shorter.All(word => longer.Any(other => other == word || NameMatching.Alike(word, other)));
    }
}
