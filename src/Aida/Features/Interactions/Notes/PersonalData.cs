using System.Text.RegularExpressions;

namespace Aida.Features.Interactions.Notes;

/// <summary>
/// Finds text in a note that looks like data no CRM note should hold (spec edge case "PII in notes"):
/// a payment card number (13 to 19 digits, spaces or dashes allowed, that pass the Luhn check) or a
/// national id (a US social security number, a UK National Insurance number). Only the kinds found are
/// reported, never the values, so nothing downstream (responses, logs, audit) can repeat them.
/// </summary>
public static partial class PersonalData
{
    public const string PaymentCard = "payment_card";
    public const string NationalId = "national_id";

    public static IReadOnlyList<string> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = new List<string>(2);
        if (HasPaymentCard(text))
        {
            found.Add(PaymentCard);
        }

        if (SocialSecurityNumber().IsMatch(text) || NationalInsuranceNumber().IsMatch(text))
        {
            found.Add(NationalId);
        }

        return found;
    }

    private static bool HasPaymentCard(string text)
    {
        Span<int> digits = stackalloc int[19];
        foreach (Match candidate in CardLike().Matches(text))
        {
            var count = 0;
            foreach (var c in candidate.ValueSpan)
            {
                if (char.IsAsciiDigit(c))
                {
                    if (count == digits.Length)
                    {
                        count++;
                        break;
                    }

                    digits[count++] = c - '0';
                }
            }

            if (count is >= 13 and <= 19 && PassesLuhn(digits[..count]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Luhn checksum every payment card number carries: it tells a card from a phone number or an order number most of the time.</summary>
    public static bool PassesLuhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    // Runs of digits with single spaces or dashes between them, not part of a longer number.
    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CardLike();

    // AAA-GG-SSSS with the numbers the SSA never issues excluded (000, 666, 9xx areas; 00 group; 0000 serial).
    [GeneratedRegex(@"(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SocialSecurityNumber();

    // Two prefix letters (not D, F, I, Q, U, V; second not O), six digits, suffix A-D: "QQ 12 34 56 C".
    [GeneratedRegex(@"\b(?![DFIQUV])[A-Z](?![DFIQUVO])[A-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NationalInsuranceNumber();
}
