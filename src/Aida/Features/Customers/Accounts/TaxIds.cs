using System.Text.RegularExpressions;

namespace Aida.Features.Customers.Accounts;

/// <summary>
/// Tax id formats by country (Account AC-2). An id that carries its own country prefix (EU VAT
/// numbers such as "DE123456789", Swiss "CHE-…") is checked against that country; otherwise the
/// customer's country decides. Countries without a rule get a plausibility check only.
/// </summary>
public static partial class TaxIds
{
    private sealed record Rule(Regex Pattern, string Example, Func<string, bool>? Checksum = null);

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        ["US"] = new(Us(), "12-3456789 (EIN)"),
        ["GB"] = new(Gb(), "GB123456789 (VAT)"),
        ["DE"] = new(De(), "DE123456789 (VAT) or 12/345/67890 (Steuernummer)"),
        ["FR"] = new(Vat("FR", @"[0-9A-HJ-NP-Z]{2}\d{9}"), "FR12345678901"),
        ["IT"] = new(Vat("IT", @"\d{11}"), "IT12345678901"),
        ["ES"] = new(Vat("ES", @"[0-9A-Z]\d{7}[0-9A-Z]"), "ESX1234567X"),
        ["NL"] = new(Vat("NL", @"\d{9}B\d{2}"), "NL123456789B01"),
        ["BE"] = new(Vat("BE", @"[01]\d{9}"), "BE0123456789"),
        ["AT"] = new(Vat("AT", @"U\d{8}"), "ATU12345678"),
        ["SE"] = new(Vat("SE", @"\d{10}01"), "SE123456789001"),
        ["DK"] = new(Vat("DK", @"\d{8}"), "DK12345678"),
        ["FI"] = new(Vat("FI", @"\d{8}"), "FI12345678"),
        ["PL"] = new(Vat("PL", @"\d{10}"), "PL1234567890"),
        ["PT"] = new(Vat("PT", @"\d{9}"), "PT123456789"),
        ["IE"] = new(Vat("IE", @"(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])"), "IE1234567WA"),
        ["LU"] = new(Vat("LU", @"\d{8}"), "LU12345678"),
        ["GR"] = new(Vat("EL", @"\d{9}"), "EL123456789"),
        ["CZ"] = new(Vat("CZ", @"\d{8,10}"), "CZ12345678"),
        ["NO"] = new(No(), "NO123456789MVA"),
        ["CH"] = new(Ch(), "CHE-123.456.789 MWST"),
        ["CA"] = new(Ca(), "123456789RT0001 (business number)"),
        ["AU"] = new(Au(), "51 824 753 556 (ABN)", AbnChecksum),
        ["IN"] = new(In(), "27AAPFU0939F1ZV (GSTIN)"),
        ["BR"] = new(Br(), "12.345.678/0001-95 (CNPJ)"),
    };

    private static readonly Dictionary<string, string> PrefixCountries = new(StringComparer.Ordinal)
    {
        ["DE"] = "DE", ["FR"] = "FR", ["IT"] = "IT", ["ES"] = "ES", ["NL"] = "NL", ["BE"] = "BE", ["AT"] = "AT",
        ["SE"] = "SE", ["DK"] = "DK", ["FI"] = "FI", ["PL"] = "PL", ["PT"] = "PT", ["IE"] = "IE", ["LU"] = "LU",
        ["EL"] = "GR", ["CZ"] = "CZ", ["GB"] = "GB", ["CHE"] = "CH",
    };

    /// <summary>Null when valid; otherwise the message to show for the taxId field.</summary>
    public static string? Check(string taxId, string? customerCountry)
    {
        var compact = taxId.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var country = CountryFromPrefix(compact) ?? customerCountry;

        if (country is not null && Rules.TryGetValue(country, out var rule))
        {
            return rule.Pattern.IsMatch(compact) && (rule.Checksum?.Invoke(compact) ?? true)
                ? null
                : $"Is not a valid tax id for {country}; expected a format like {rule.Example}.";
        }

        return Plausible().IsMatch(compact)
            ? null
            : "Must be 4 to 50 letters and digits (separators . - / allowed).";
    }

    private static string? CountryFromPrefix(string compact)
    {
        if (compact.StartsWith("CHE", StringComparison.Ordinal))
        {
            return "CH";
        }

        return compact.Length > 2 && char.IsAsciiLetter(compact[0]) && char.IsAsciiLetter(compact[1])
            && PrefixCountries.TryGetValue(compact[..2], out var country)
            ? country
            : null;
    }

    /// <summary>Australian Business Number: weighted digit sum (first digit less one) divisible by 89.</summary>
    private static bool AbnChecksum(string compact)
    {
        int[] weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
        var digits = compact.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length != 11)
        {
            return false;
        }

        digits[0] -= 1;
        return digits.Select((d, i) => d * weights[i]).Sum() % 89 == 0;
    }

    private static Regex Vat(string prefix, string body) =>
        new($"^{prefix}{body}$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    [GeneratedRegex(@"^\d{2}-?\d{7}$")]
    private static partial Regex Us();

    // A VAT number, or a domestic Steuernummer (10 to 13 digits, often written with slashes).
    [GeneratedRegex(@"^(DE\d{9}|\d{2,3}/?\d{3,4}/?\d{4,5})$")]
    private static partial Regex De();

    [GeneratedRegex(@"^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$")]
    private static partial Regex Gb();

    [GeneratedRegex(@"^(NO)?\d{9}(MVA)?$")]
    private static partial Regex No();

    [GeneratedRegex(@"^CHE-?\d{3}\.?\d{3}\.?\d{3}(MWST|TVA|IVA)?$")]
    private static partial Regex Ch();

    [GeneratedRegex(@"^\d{9}([A-Z]{2}\d{4})?$")]
    private static partial Regex Ca();

    [GeneratedRegex(@"^\d{11}$")]
    private static partial Regex Au();

    [GeneratedRegex(@"^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")]
    private static partial Regex In();

    [GeneratedRegex(@"^\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}$")]
    private static partial Regex Br();

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9.\-/]{2,48}[A-Z0-9]$")]
    private static partial Regex Plausible();
}
