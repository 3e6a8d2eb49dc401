using System.Text.Json.Nodes;
using Aida.Features.Customers;

namespace Aida.Features.Import;

/// <summary>A row of a contacts, interactions or leads import: its number, the record it describes (or null) and its problems.</summary>
public sealed class TargetRow(long row, object? parsed, List<RowProblem> problems)
{
    public long Row { get; } = row;

    public object? Parsed { get; } = parsed;

    public List<RowProblem> Problems { get; } = problems;

    public RowOutcome? Outcome { get; set; }

    /// <summary>Fails the row for a problem found against the database, named by its column.</summary>
    public RowOutcome Fail(ImportPlan plan, string field, string message, Guid? recordId = null)
    {
        var problem = new RowProblem(Row, plan.ColumnOf(field), field, message);
        Problems.Add(problem);
        return Outcome = new RowOutcome(Row, RowOutcome.Failed, ImportEngine.Describe([problem]), recordId);
    }
}

/// <summary>What a batch of a non-customer import needs: the database as the importer, the import, its plan and the importer.</summary>
public sealed record TargetBatch(AidaDb Db, Import Import, ImportPlan Plan, User Owner, bool DryRun);

/// <summary>What a revert did: records removed, fields restored, fields kept because they changed since, records out of reach.</summary>
public sealed record RevertCounts(long Removed, long Restored, long Kept, long NotYours)
{
    public static RevertCounts operator +(RevertCounts a, RevertCounts b) =>
        new(a.Removed + b.Removed, a.Restored + b.Restored, a.Kept + b.Kept, a.NotYours + b.NotYours);
}

/// <summary>
/// How an import updates a matched record and how a revert gives it its previous values back (contacts and leads
/// alike).
/// </summary>
public static class RevertedFields
{
    /// <summary>
    /// Writes each mapped field whose imported value is present and differs from the record's, and returns what the
    /// revert needs: the fields' values before and as imported (empty when the record already had every value).
    /// </summary>
    public static (JsonObject Previous, JsonObject Imported) Update<T>(
        T record, T source, IEnumerable<string> mapped, Func<T, string, string?> get, Action<T, string, string?> set)
    {
        var previous = new JsonObject();
        var imported = new JsonObject();
        foreach (var field in mapped)
        {
            var value = get(source, field);
            var before = get(record, field);
            if (value is null || string.Equals(before, value, StringComparison.Ordinal))
            {
                continue;
            }

            previous[field] = before;
            imported[field] = value;
            set(record, field, value);
        }

        return (previous, imported);
    }

    /// <summary>
    /// Restores each field the import changed (and the record may still take) to its previous value, where it still
    /// holds what the import wrote; a field changed since keeps its later value and is counted as kept.
    /// </summary>
    /// <returns>The fields restored.</returns>
    public static List<string> Restore<T>(
        T record, ImportChange update, IReadOnlyCollection<string> updatable, Func<T, string, string?> get, Action<T, string, string?> set, ref long restored, ref long kept)
    {
        var previous = JsonNode.Parse(update.Previous ?? "{}")!.AsObject();
        var imported = JsonNode.Parse(update.Imported ?? "{}")!.AsObject();
        var changed = new List<string>();
        foreach (var (field, value) in imported)
        {
            if (!updatable.Contains(field))
            {
                continue;
            }

            if (!string.Equals(get(record, field), value?.GetValue<string>(), StringComparison.Ordinal))
            {
                kept++;
                continue;
            }

            set(record, field, previous[field]?.GetValue<string>());
            changed.Add(field);
            restored++;
        }

        return changed;
    }
}

/// <summary>
/// One entity type the import wizard imports besides customers (issue 17 item 1): its fields and header
/// synonyms, how a row is read and validated with the API's own rules, how a batch is decided and written
/// (creates by <see cref="BulkInsert"/>, every record in import_changes in the same transaction), and how a
/// revert undoes it. Customers keep their own, tuned path (<see cref="ImportEngine"/>).
/// </summary>
public interface IImportTarget
{
    string EntityType { get; }

    IReadOnlyList<ImportField> Fields { get; }

    /// <summary>Problems of a mapping beyond those every mapping has (e.g. a required field is not mapped).</summary>
    void CheckMapping(IReadOnlySet<string> mappedFields, ValidationErrors errors);

    /// <summary>The row's record, validated without the database; null with <paramref name="errors"/> filled (keyed by field).</summary>
    object? Build(string?[] values, Guid ownerId, DateTime now, ValidationErrors errors);

    /// <summary>The values the row would store, by field, for the preview.</summary>
    Dictionary<string, string?> StoredValues(object parsed);

    /// <summary>Decides every row of the batch (an <see cref="TargetRow.Outcome"/> each) and, unless a dry run, writes it.</summary>
    Task ProcessAsync(TargetBatch batch, List<TargetRow> rows, CancellationToken cancellationToken);

    /// <summary>Undoes a chunk of the import's changes, as the importer-turned-reverter (record-level access applies).</summary>
    Task<RevertCounts> RevertAsync(AidaDb db, List<ImportChange> changes, CancellationToken cancellationToken);
}

public static class ImportTargets
{
    private static readonly IImportTarget[] Targets = [new ContactImportTarget(), new InteractionImportTarget(), new LeadImportTarget()];

    public static IImportTarget? Of(string entityType) => Targets.FirstOrDefault(t => t.EntityType == entityType);

    /// <summary>The fields a column of an import of this entity type can map to.</summary>
    public static IReadOnlyList<ImportField> FieldsOf(string entityType) =>
        entityType == ImportEntities.Customers ? CustomerFields.All : Of(entityType)?.Fields ?? CustomerFields.All;

    /// <summary>Every field of every type, for labels.</summary>
    public static IEnumerable<ImportField> AllFields => CustomerFields.All.Concat(Targets.SelectMany(t => t.Fields));

    /// <summary>The field a header suggests, as <see cref="CustomerFields.Suggest"/> does for customers; each field for one column at most.</summary>
    public static Dictionary<string, string?> Suggest(string entityType, IReadOnlyList<string> headers)
    {
        if (entityType == ImportEntities.Customers)
        {
            return CustomerFields.Suggest(headers);
        }

        var bySynonym = FieldsOf(entityType)
            .SelectMany(f => f.Synonyms.Append(f.Name).Select(s => (Key: CustomerFields.Normalize(s), f.Name)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var suggestion = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var field = bySynonym.GetValueOrDefault(CustomerFields.Normalize(header));
            suggestion[header] = field is not null && taken.Add(field) ? field : null;
        }

        return suggestion;
    }

    public static T Stamp<T>(T entity, DateTime now) where T : TrackedEntity
    {
        entity.CreatedAt = now;
        entity.UpdatedAt = now;
        entity.Version = 1;
        return entity;
    }

    /// <summary>Runs a query over a list of keys 500 at a time (the databases' parameter limits).</summary>
    public static async Task<List<TResult>> ChunkedAsync<TKey, TResult>(
        IReadOnlyList<TKey> keys, Func<List<TKey>, Task<List<TResult>>> query)
    {
        var results = new List<TResult>();
        for (var i = 0; i < keys.Count; i += 500)
        {
            results.AddRange(await query(keys.Skip(i).Take(500).ToList()));
        }

        return results;
    }
}

/// <summary>
/// The customer a contact or interaction row belongs to, named by one of three columns: the customer's
/// external id, its id, or its exact display name (which must be unique among the customers the importer
/// can see). A customer that exists but is not the importer's is "not yours".
/// </summary>
public static class CustomerReference
{
    public const string ExternalIdField = "customer.externalId";
    public const string IdField = "customer.id";
    public const string NameField = "customer.name";

    public static ImportField[] Fields =>
    [
        new(ExternalIdField, "Customer (external id)", "customer external id", "customer id external", "account id", "account number", "customer number", "kundennummer", "company id", "organization id", "organisation id", "client id"),
        new(IdField, "Customer (Aida id)", "customer aida id", "aida id", "aida customer id"),
        new(NameField, "Customer (exact name)", "customer", "customer name", "company", "company name", "account", "account name", "organisation", "organization", "firma", "kunde", "empresa", "client"),
    ];

    public sealed record Reference(string? ExternalId, Guid? Id, string? Name);

    /// <summary>The reference of a row; a malformed id is a problem of its column.</summary>
    public static Reference? Read(Func<string, string?> value, ValidationErrors errors)
    {
        var externalId = value(ExternalIdField);
        var idText = value(IdField);
        var name = value(NameField);
        Guid? id = null;
        if (idText is not null)
        {
            if (Guid.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors.Add(IdField, "Is not an Aida customer id (a GUID such as 0190c3a4-…).");
            }
        }

        if (externalId is null && idText is null && name is null)
        {
            errors.Add(NameField, "The customer is required: fill the customer's external id, id or exact name.");
        }

        return externalId is null && id is null && name is null ? null : new Reference(externalId, id, name);
    }

    public static void CheckMapping(IReadOnlySet<string> mapped, ValidationErrors errors)
    {
        if (!mapped.Contains(ExternalIdField) && !mapped.Contains(IdField) && !mapped.Contains(NameField))
        {
            errors.Add("mapping", $"Map a column to {ExternalIdField}, {IdField} or {NameField}: the customer each row belongs to.");
        }
    }

    /// <summary>
    /// Finds the customers of a batch's rows at once. Rows whose customer is missing, ambiguous or not the
    /// importer's fail, named by the column that was used; the others get their customer's id.
    /// </summary>
    public static async Task<Dictionary<TargetRow, Guid>> ResolveAsync(
        AidaDb db, ImportPlan plan, List<(TargetRow Row, Reference Reference)> rows, CancellationToken cancellationToken)
    {
        var externalIds = rows.Select(r => r.Reference.ExternalId).OfType<string>().Distinct().ToList();
        var ids = rows.Where(r => r.Reference.ExternalId is null).Select(r => r.Reference.Id).OfType<Guid>().Distinct().ToList();
        var names = rows.Where(r => r.Reference.ExternalId is null && r.Reference.Id is null).Select(r => r.Reference.Name).OfType<string>().Distinct().ToList();

        var all = CustomerAccess.All(db).AsNoTracking();
        var byExternalId = (await ImportTargets.ChunkedAsync(externalIds, chunk => all.Where(c => c.ExternalId != null && chunk.Contains(c.ExternalId))
                .Select(c => new { c.Id, ExternalId = c.ExternalId! }).ToListAsync(cancellationToken)))
            .ToDictionary(c => c.ExternalId, c => c.Id, StringComparer.Ordinal);
        var existingIds = (await ImportTargets.ChunkedAsync(ids, chunk => all.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken))).ToHashSet();
        var byName = (await ImportTargets.ChunkedAsync(names, chunk => all.Where(c => chunk.Contains(c.DisplayName))
                .Select(c => new { c.Id, c.DisplayName }).ToListAsync(cancellationToken)))
            .Where(c => names.Contains(c.DisplayName, StringComparer.Ordinal))
            .GroupBy(c => c.DisplayName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToList(), StringComparer.Ordinal);

        // Record-level access: the customers the importer can see, as the API's own query filter decides.
        var candidates = byExternalId.Values.Concat(existingIds).Concat(byName.Values.SelectMany(v => v)).Distinct().ToList();
        var visible = (await ImportTargets.ChunkedAsync(candidates, chunk => db.Set<Customer>().AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken))).ToHashSet();

        var resolved = new Dictionary<TargetRow, Guid>();
        foreach (var (row, reference) in rows)
        {
            string field;
            Guid? found;
            if (reference.ExternalId is { } externalId)
            {
                field = ExternalIdField;
                found = byExternalId.TryGetValue(externalId, out var id) ? id : null;
                if (found is null)
                {
                    row.Fail(plan, field, "No customer with this external id exists.");
                    continue;
                }
            }
            else if (reference.Id is { } id)
            {
                field = IdField;
                found = existingIds.Contains(id) ? id : null;
                if (found is null)
                {
                    row.Fail(plan, field, "No customer with this id exists.");
                    continue;
                }
            }
            else
            {
                field = NameField;
                var matches = byName.GetValueOrDefault(reference.Name!) ?? [];
                var seen = matches.Where(visible.Contains).ToList();
                if (matches.Count == 0)
                {
                    row.Fail(plan, field, "No customer has exactly this name.");
                    continue;
                }

                if (seen.Count > 1)
                {
                    row.Fail(plan, field, $"{seen.Count} customers have this name; use the customer's external id or id instead.");
                    continue;
                }

                found = seen.Count == 1 ? seen[0] : matches[0];
            }

            if (!visible.Contains(found.Value))
            {
                row.Fail(plan, field, "The customer is not yours: you cannot see it, so nothing can be added to it.");
                continue;
            }

            resolved[row] = found.Value;
        }

        return resolved;
    }
}

/// <summary>Dates and times of an import's cells, in the formats spreadsheets and CRM exports write them.</summary>
public static class ImportDates
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
    ];

    private static readonly string[] DayFirst = ["d.M.yyyy", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss", "d/M/yyyy", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "d-M-yyyy", "d-M-yyyy H:mm"];

    private static readonly string[] MonthFirst = ["M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt"];

    /// <summary>
    /// A point in time, in UTC: ISO 8601 (with an offset or Z; without one it is taken as UTC), d.m.Y, and
    /// d/m/Y or m/d/Y — the last two only when the day is above 12, since 03/04/2024 could be either.
    /// </summary>
    public static DateTime? Parse(string text, out string? problem)
    {
        problem = null;
        var culture = CultureInfo.InvariantCulture;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ssK"], culture, DateTimeStyles.None, out var withOffset)
            && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
        {
            return withOffset.UtcDateTime;
        }

        if (DateTime.TryParseExact(text, IsoFormats, culture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso))
        {
            return iso;
        }

        var dayFirst = DateTime.TryParseExact(text, DayFirst, culture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d1);
        var monthFirst = DateTime.TryParseExact(text, MonthFirst, culture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d2);
        if (dayFirst && monthFirst && d1 != d2)
        {
            problem = "Is ambiguous: it could be day/month or month/day. Write it as YYYY-MM-DD (e.g. 2024-04-03) or with dots (3.4.2024).";
            return null;
        }

        if (dayFirst || monthFirst)
        {
            return dayFirst ? d1 : d2;
        }

        problem = "Is not a date: write it as YYYY-MM-DD with an optional time (2024-04-03 14:30), or as D.M.YYYY.";
        return null;
    }
}
