using System.Collections.Frozen;

namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// Phone numbers to E.164 with the country they were written in: "01 42 68 53 00" in France and
/// "+33 1 42 68 53 00" are both +33142685300. Numbers are compared, and looked up, by their variants: the
/// E.164 form and the national form (trunk prefix and national number), each as the last ten digits —
/// the form <see cref="Matching.PhoneKey"/> stores — so a stored key in either form is found.
/// </summary>
public static class PhoneNumbers
{
    /// <summary>Country calling codes (ITU-T E.164) of the countries a customer's address names, by ISO 3166 code.</summary>
    private static readonly FrozenDictionary<string, string> CallingCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["US"] = "1", ["CA"] = "1", ["PR"] = "1", ["RU"] = "7", ["KZ"] = "7", ["EG"] = "20", ["ZA"] = "27", ["GR"] = "30",
        ["NL"] = "31", ["BE"] = "32", ["FR"] = "33", ["ES"] = "34", ["HU"] = "36", ["IT"] = "39", ["VA"] = "39", ["RO"] = "40",
        ["CH"] = "41", ["AT"] = "43", ["GB"] = "44", ["GG"] = "44", ["JE"] = "44", ["IM"] = "44", ["DK"] = "45", ["SE"] = "46",
        ["NO"] = "47", ["SJ"] = "47", ["PL"] = "48", ["DE"] = "49", ["PE"] = "51", ["MX"] = "52", ["CU"] = "53", ["AR"] = "54",
        ["BR"] = "55", ["CL"] = "56", ["CO"] = "57", ["VE"] = "58", ["MY"] = "60", ["AU"] = "61", ["ID"] = "62", ["PH"] = "63",
        ["NZ"] = "64", ["SG"] = "65", ["TH"] = "66", ["JP"] = "81", ["KR"] = "82", ["VN"] = "84", ["CN"] = "86", ["TR"] = "90",
        ["IN"] = "91", ["PK"] = "92", ["AF"] = "93", ["LK"] = "94", ["MM"] = "95", ["IR"] = "98", ["MA"] = "212", ["DZ"] = "213",
        ["TN"] = "216", ["NG"] = "234", ["KE"] = "254", ["PT"] = "351", ["LU"] = "352", ["IE"] = "353", ["IS"] = "354",
        ["AL"] = "355", ["MT"] = "356", ["CY"] = "357", ["FI"] = "358", ["AX"] = "358", ["BG"] = "359", ["LT"] = "370",
        ["LV"] = "371", ["EE"] = "372", ["MD"] = "373", ["AM"] = "374", ["BY"] = "375", ["AD"] = "376", ["MC"] = "377",
        ["SM"] = "378", ["UA"] = "380", ["RS"] = "381", ["ME"] = "382", ["HR"] = "385", ["SI"] = "386", ["BA"] = "387",
        ["MK"] = "389", ["CZ"] = "420", ["SK"] = "421", ["LI"] = "423", ["HK"] = "852", ["MO"] = "853", ["TW"] = "886",
        ["AE"] = "971", ["IL"] = "972", ["SA"] = "966", ["QA"] = "974", ["FO"] = "298", ["GL"] = "299", ["GI"] = "350",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Calling codes of one or two digits; any other code has three (the codes are prefix-free).</summary>
    private static readonly FrozenSet<string> ShortCodes = new[]
    {
        "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Countries whose national numbers keep their leading 0 after the country code (Italy, San Marino, Vatican).</summary>
    private static readonly FrozenSet<string> KeepsLeadingZero = new[] { "39", "378" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The number in E.164 ("+33142685300"), or null when it is too short or its country is unknown.</summary>
    public static string? E164(string? phone, string? country)
    {
        var (code, national) = Parse(phone, country);
        return code is null || national is null ? null : "+" + code + national;
    }

    /// <summary>
    /// The keys the number may be stored under (<see cref="Matching.PhoneKey"/>, last ten digits), whichever
    /// way it was written: as given, in E.164, and in national form with the trunk 0.
    /// </summary>
    public static IReadOnlyCollection<string> Variants(string? phone, string? country)
    {
        var variants = new HashSet<string>(StringComparer.Ordinal);
        if (Matching.PhoneKey(phone) is not { } asWritten)
        {
            return variants;
        }

        variants.Add(asWritten);
        var (code, national) = Parse(phone, country);
        if (code is not null && national is not null)
        {
            variants.Add(LastTen(code + national));
            if (code != "1" && !KeepsLeadingZero.Contains(code))
            {
                variants.Add(LastTen("0" + national));
            }
            else if (code == "1")
            {
                variants.Add(LastTen(national));
            }
        }

        return variants;
    }

    private static string LastTen(string digits) => digits.Length > 10 ? digits[^10..] : digits;

    /// <summary>The calling code and the national significant number, when they can be told.</summary>
    private static (string? Code, string? National) Parse(string? phone, string? country)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return (null, null);
        }

        var extension = phone.IndexOfAny(['x', 'X', '#', ';']);
        var written = (extension >= 0 ? phone[..extension] : phone).Trim();
        var digits = new string(written.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 5)
        {
            return (null, null);
        }

        var international = written.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal);
        if (international)
        {
            if (!written.StartsWith('+'))
            {
                digits = digits[2..];
            }

            var code = digits.Length > 0 && ShortCodes.Contains(digits[..1]) ? digits[..1]
                : digits.Length > 1 && ShortCodes.Contains(digits[..2]) ? digits[..2]
                : digits.Length > 2 ? digits[..3] : null;
            if (code is null)
            {
                return (null, null);
            }

            var national = digits[code.Length..];
            // "+44 (0)20 …": the trunk 0 written after the country code is not dialled.
            if (national.StartsWith('0') && !KeepsLeadingZero.Contains(code))
            {
                national = national[1..];
            }

            return national.Length >= 4 ? (code, national) : (null, null);
        }

        if (country is null || !CallingCodes.TryGetValue(country.Trim().ToUpperInvariant(), out var countryCode))
        {
            return (null, null);
        }

        if (countryCode == "1")
        {
            // North America: ten digits, with or without the leading 1.
            return digits.Length == 11 && digits[0] == '1' ? ("1", digits[1..]) : digits.Length == 10 ? ("1", digits) : (null, null);
        }

        var nationalNumber = digits.StartsWith('0') && !KeepsLeadingZero.Contains(countryCode) ? digits[1..] : digits;
        return nationalNumber.Length >= 4 ? (countryCode, nationalNumber) : (null, null);
    }
}
