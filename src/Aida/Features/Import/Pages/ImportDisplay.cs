namespace Aida.Features.Import.Pages;

/// <summary>How the import screens word an import's state, its numbers and its fields for the person reading them.</summary>
public static class ImportDisplay
{
    private static readonly Dictionary<string, string> Labels = ImportTargets.AllFields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);

    public static string Status(ImportStatus status) => status switch
    {
        ImportStatus.Uploaded => "Not started",
        ImportStatus.Queued => "Waiting to start",
        ImportStatus.Running => "Running",
        ImportStatus.Completed => "Done",
        ImportStatus.Failed => "Failed",
        ImportStatus.Reverted => "Reverted",
        _ => EnumText<ImportStatus>.ToText(status),
    };

    public static string StatusClass(ImportStatus status) => status switch
    {
        ImportStatus.Completed => "badge status-active",
        ImportStatus.Failed => "badge warn",
        ImportStatus.Queued or ImportStatus.Running => "badge status-prospect",
        _ => "badge status-inactive",
    };

    public static string Label(string? field) => field is null ? "" : Labels.GetValueOrDefault(field, field);

    /// <summary>What an import's records are called: customer, contact, interaction, lead (plural with an s).</summary>
    public static string Noun(string entityType, long count = 1) => (entityType switch
    {
        ImportEntities.Contacts => "contact",
        ImportEntities.Interactions => "interaction",
        ImportEntities.Leads => "lead",
        _ => "customer",
    }) + (count == 1 ? "" : "s");

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => Math.Floor(share * 100).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>"about 3 minutes", "less than a minute": an estimate, worded as one.</summary>
    public static string TimeLeft(double? seconds) => seconds switch
    {
        null => "estimating…",
        < 60 => "less than a minute",
        < 90 => "about a minute",
        < 3600 => $"about {Math.Round(seconds.Value / 60).ToString(CultureInfo.InvariantCulture)} minutes",
        _ => $"about {(seconds.Value / 3600).ToString("0.#", CultureInfo.InvariantCulture)} hours",
    };

    public static string Policy(DuplicatePolicy policy) => policy switch
    {
        DuplicatePolicy.Update => "update the existing customer",
        DuplicatePolicy.Create => "create it anyway",
        _ => "skip the row",
    };

    public static string Outcome(string outcome) => outcome switch
    {
        RowOutcome.Created => "New",
        RowOutcome.Updated => "Updates a customer",
        RowOutcome.Skipped => "Skipped",
        RowOutcome.Failed => "Has problems",
        _ => outcome,
    };
}
