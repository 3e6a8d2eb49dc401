using System.Collections.Frozen;

namespace Aida.Platform;

/// <summary>Money is a <c>decimal</c> amount plus an ISO 4217 code (ARCHITECTURE, Data).</summary>
public static class Money
{
    /// <summary>Amounts are stored as numeric(15, 2): up to 13 digits before the point.</summary>
    public const decimal MaxAmount = 9_999_999_999_999.99m;

    // The codes .NET knows from its regions: every currency in circulation, without test or fund codes.
    private static readonly FrozenSet<string> Codes = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>()
        .Where(code => code.Length == 3)
        .ToFrozenSet(StringComparer.Ordinal);

    public static bool IsCurrency(string code) => Codes.Contains(code);

    /// <summary>
    /// An amount as every screen shows it: the code, then the figure with thousands separators and cents
    /// ("USD 105,112.50"). Invariant rather than the viewer's culture, so a figure reads the same on every
    /// screen and in every export; the code, not a symbol, because "$" alone is a dozen currencies.
    /// </summary>
    public static string Format(decimal amount, string? currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{currency} {amount:N2}").TrimStart();

    /// <summary>An ISO 4217 code, upper-cased; null (and an error if <paramref name="required"/>) when absent.</summary>
    public static string? Currency(ValidationErrors errors, string field, string? value, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Is required: an ISO 4217 currency code such as EUR or USD.");
            }

            return null;
        }

        var code = value.Trim().ToUpperInvariant();
        if (!IsCurrency(code))
        {
            errors.Add(field, $"'{value.Trim()}' is not an ISO 4217 currency code (e.g. EUR, GBP, USD).");
        }

        return code;
    }

    /// <summary>Zero or more, at most <see cref="MaxAmount"/>, in cents: what numeric(15, 2) stores without rounding.</summary>
    public static void Amount(ValidationErrors errors, string field, decimal? amount)
    {
        if (amount is not { } value)
        {
            return;
        }

        if (value < 0)
        {
            errors.Add(field, "Must not be negative.");
        }
        else if (value > MaxAmount)
        {
            errors.Add(field, $"Must be at most {MaxAmount.ToString(CultureInfo.InvariantCulture)}.");
        }
        else if (decimal.Round(value, 2) != value)
        {
            errors.Add(field, "Must have at most two decimal places.");
        }
    }
}
