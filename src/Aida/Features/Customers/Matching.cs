using System.Text;

namespace Aida.Features.Customers;

/// <summary>
/// The normalised forms of names, emails, phones and web sites that search and duplicate detection
/// compare. They are stored beside the value they derive from, so lookups are index probes.
/// </summary>
public static class Matching
{
    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company",
        "plc", "gmbh", "ag", "kg", "ug", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "aps",
        "pty", "pte", "kk", "sro", "the", "and",
    };

    /// <summary>
    /// Words a company name may carry that do not tell companies apart, for comparing names (not stored):
    /// legal forms in the languages of the countries Aida validates tax ids for (Aktiebolag, A/S, Sp. z o.o.,
    /// S.L., e.K., …), as <see cref="Words"/> splits them, and noise words such as Group and Holdings.
    /// </summary>
    private static readonly HashSet<string> LegalFormsAndNoise = new(LegalForms, StringComparer.Ordinal)
    {
        "aktiebolag", "publ", "asa", "oyj", "osakeyhtio", "sp", "z", "oo", "spzoo", "ska", "sk", "sl", "slu", "sll", "sau", "sal",
        "ek", "ev", "eg", "gbr", "ohg", "mbh", "kgaa", "se", "vof", "cv", "sasu", "eurl", "snc", "sci", "sapa", "scarl", "ss",
        "lda", "ltda", "sgps", "kft", "zrt", "nyrt", "bt", "as", "aps", "is", "ivs", "ks", "sro", "spol", "doo", "dd", "ad", "ood",
        "eood", "srl", "sa", "sc", "ou", "uab", "sia", "ehf", "hf", "oe", "ae", "ike", "epe", "bvba", "sprl", "cvba", "scrl",
        "group", "groupe", "gruppe", "grupo", "gruppo", "holding", "holdings", "international", "intl", "worldwide", "global",
        "und", "et", "y", "e", "of", "den", "der", "die", "le", "la", "les",
    };

    /// <summary>True for a legal form or a noise word in a company name ("Sp. z o.o.", "Group").</summary>
    public static bool IsLegalFormOrNoise(string word) => LegalFormsAndNoise.Contains(word);

    private static readonly HashSet<string> FreeMailDomains = new(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "hotmail.com", "hotmail.co.uk",
        "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net",
        "gmx.com", "web.de", "proton.me", "protonmail.com", "yandex.ru", "yandex.com", "mail.ru", "qq.com",
        "163.com", "126.com", "zoho.com", "fastmail.com", "t-online.de", "orange.fr", "free.fr", "libero.it",
    };

    /// <summary>Lower case, accents removed, whitespace collapsed: "  Zoë  MÜLLER " → "zoe muller".</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            switch (c)
            {
                case 'ß': builder.Append("ss"); break;
                case 'æ' or 'Æ': builder.Append("ae"); break;
                case 'ø' or 'Ø': builder.Append('o'); break;
                case 'ł' or 'Ł': builder.Append('l'); break;
                case 'đ' or 'Đ': builder.Append('d'); break;
                default: builder.Append(char.ToLowerInvariant(c)); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The words of a name without punctuation: "O'Neil & Sons, Ltd." → ["oneil", "sons", "ltd"].</summary>
    public static IReadOnlyList<string> Words(string? text)
    {
        var folded = Fold(text);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (c is '\'' or '’' or '.')
            {
                // "o'neil" and "j.p." read as one word.
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>
    /// The form names are searched and sorted by: its words, lower case, without accents or punctuation,
    /// one space apart. "O'Neil-Smith, Zoë" → "oneil smith zoe"; a query is reduced the same way, so
    /// "o'n", "oneil" and "O’Neil" all find it.
    /// </summary>
    public static string SearchKey(string? text) => string.Join(' ', Words(text));

    /// <summary>
    /// The identity of a name for duplicate detection: words without legal forms, in sorted order, so
    /// "Acme Corp." and "ACME" agree, and "Smith John" matches "John Smith".
    /// </summary>
    public static string NameKey(string? name)
    {
        var words = Words(name);
        var meaningful = words.Where(w => !LegalForms.Contains(w)).ToList();
        if (meaningful.Count == 0)
        {
            meaningful = [.. words];
        }

        meaningful.Sort(StringComparer.Ordinal);
        return string.Join(' ', meaningful);
    }

    /// <summary>How the name key sounds, word by word (Soundex), so "Jon Smyth" meets "John Smith".</summary>
    public static string Phonetic(string nameKey)
    {
        var codes = nameKey.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Soundex).ToList();
        codes.Sort(StringComparer.Ordinal);
        return string.Join(' ', codes);
    }

    public static string Soundex(string word)
    {
        if (word.Length == 0)
        {
            return "";
        }

        if (!char.IsAsciiLetter(word[0]))
        {
            return word; // digits and non-Latin scripts compare as written
        }

        var builder = new StringBuilder(4);
        builder.Append(char.ToUpperInvariant(word[0]));
        var last = SoundexDigit(word[0]);
        for (var i = 1; i < word.Length && builder.Length < 4; i++)
        {
            var c = word[i];
            var digit = SoundexDigit(c);
            if (digit != '0' && digit != last)
            {
                builder.Append(digit);
            }

            if (c is not ('h' or 'w'))
            {
                last = digit;
            }
        }

        return builder.ToString().PadRight(4, '0');
    }

    private static char SoundexDigit(char c) => c switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0',
    };

    /// <summary>
    /// The mailbox an address reaches: lower case, "+tag" dropped, and Gmail's ignored dots removed.
    /// </summary>
    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var value = email.Trim().ToLowerInvariant();
        var at = value.LastIndexOf('@');
        if (at <= 0)
        {
            return value;
        }

        var local = value[..at];
        var domain = value[(at + 1)..];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return $"{local}@{domain}";
    }

    /// <summary>The company domain of an address, or null for free mail providers (which say nothing about a company).</summary>
    public static string? CompanyDomain(string? email)
    {
        var normalized = NormalizeEmail(email);
        var at = normalized?.LastIndexOf('@') ?? -1;
        if (at <= 0)
        {
            return null;
        }

        var domain = normalized![(at + 1)..];
        return FreeMailDomains.Contains(domain) ? null : domain;
    }

    /// <summary>
    /// A phone number reduced to its last ten digits, so "+1 (555) 010-9999" and "555.010.9999" match
    /// whatever punctuation or international prefix they were written with. Null under five digits, the
    /// fewest a valid phone has (<see cref="Contacts.ContactRules.Phone"/>).
    /// </summary>
    public static string? PhoneKey(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var extension = phone.IndexOfAny(['x', 'X', '#', ';']);
        var digits = new string((extension >= 0 ? phone[..extension] : phone).Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 5)
        {
            return null;
        }

        return digits.Length > 10 ? digits[^10..] : digits;
    }

    public static int PhoneDigitCount(string phone)
    {
        var extension = phone.IndexOfAny(['x', 'X', '#', ';']);
        return (extension >= 0 ? phone[..extension] : phone).Count(char.IsAsciiDigit);
    }

    /// <summary>"https://www.Example.com/about" → "example.com".</summary>
    public static string? WebsiteDomain(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
        {
            return null;
        }

        var text = website.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }
}
