using System.Text.RegularExpressions;

namespace Aida.Features.Lifecycle;

/// <summary>What a valid stage is, for adding and editing one.</summary>
public static partial class StageRules
{
    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    public static string? Color(ValidationErrors errors, string? color)
    {
        var value = errors.OptionalText("color", color, LifecycleStage.ColorLength);
        if (value is not null && !HexColor().IsMatch(value))
        {
            errors.Add("color", "Must be a hex colour such as #22c55e.");
        }

        return value?.ToLowerInvariant();
    }

    public static string? Code(ValidationErrors errors, string? code)
    {
        var value = errors.OptionalText("code", code, LifecycleStage.CodeMaxLength);
        if (value is not null && !SnakeCase().IsMatch(value))
        {
            errors.Add("code", $"Must be 1 to {LifecycleStage.CodeMaxLength} lower-case letters, digits or underscores, starting with a letter, e.g. onboarding.");
        }

        return value;
    }

    /// <summary>"Won back!" → "won_back": a stage added without a code gets one from its name.</summary>
    public static string CodeOf(string name)
    {
        var code = Codes.FromName(name, LifecycleStage.CodeMaxLength);
        return code.Length > 0 && char.IsAsciiLetterLower(code[0]) ? code : "stage_" + code;
    }

    /// <summary>Names and codes are unique among live stages, names whatever their case.</summary>
    public static async Task CheckUniqueAsync(AidaDb db, ValidationErrors errors, Guid? self, string? name, string? code, CancellationToken cancellationToken)
    {
        // A few dozen stages: compared here, with .NET's case rules, not the database's (SQLite folds ASCII only).
        if (name is not null && (await db.Set<LifecycleStage>().Where(s => s.Id != self).Select(s => s.Name).ToListAsync(cancellationToken))
                .Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("name", "Another stage already has this name.");
        }

        if (code is not null && await db.Set<LifecycleStage>().AnyAsync(s => s.Id != self && s.Code == code, cancellationToken))
        {
            errors.Add("code", "Another stage already has this code.");
        }
    }
}
