namespace Aida.Features.Customers.Merges;

/// <summary>
/// Moves every record that hangs off a merged-away customer to the survivor, and back on undo, in
/// set-based SQL that first writes each row it changes into customer_merge_moves. The list below is every
/// customer reference in the migrations (grep REFERENCES customers); what stays behind, and why:
/// customer_lifecycles, customer_scores and scoring_queue are the survivor's own, derived state (one row
/// per customer); a purchase whose external id, a first-contact/first-purchase milestone, a pending stage
/// change request or a static segment membership the survivor already has stays with the merged-away
/// customer rather than break a unique rule — undo finds it where it was.
/// </summary>
public static class MergeChildren
{
    // Placeholders in the SQL: {0} merge id, {1} the merged-away customer, {2} the survivor, {3} now, {4} true, {5} false.
    private sealed record Reference(string Table, string Column, string? StayBehind = null, string Key = "id", bool Versioned = true);

    private static readonly Reference[] References =
    [
        new("contacts", "customer_id"),
        new("addresses", "customer_id"),
        new("accounts", "customer_id", "EXISTS (SELECT 1 FROM accounts x WHERE x.customer_id = {2} AND x.deleted_at IS NULL) AND t.deleted_at IS NULL"),
        // A relationship that would link the survivor to itself was soft-deleted first and keeps its ends.
        new("relationships", "from_customer_id", "t.to_customer_id = {2}"),
        new("relationships", "to_customer_id", "t.from_customer_id = {2}"),
        new("interactions", "customer_id"),
        new("notes", "customer_id"),
        new("activities", "customer_id"),
        new("communications", "customer_id"),
        new("opportunities", "customer_id"),
        new("leads", "converted_customer_id"),
        new("lifecycle_history", "customer_id", Versioned: false),
        new("stage_change_requests", "customer_id",
            "t.status = 'pending' AND EXISTS (SELECT 1 FROM stage_change_requests x WHERE x.customer_id = {2} AND x.status = 'pending')"),
        new("purchases", "customer_id", "EXISTS (SELECT 1 FROM purchases x WHERE x.customer_id = {2} AND x.external_id = t.external_id)"),
        new("journey_milestones", "customer_id",
            "t.milestone_type IN ('first_contact', 'first_purchase') AND EXISTS (SELECT 1 FROM journey_milestones x WHERE x.customer_id = {2} AND x.milestone_type = t.milestone_type)"),
        new("segment_members", "customer_id", "EXISTS (SELECT 1 FROM segment_members x WHERE x.customer_id = {2} AND x.segment_id = t.segment_id)", Key: "segment_id", Versioned: false),
        new("audit_entries", "customer_id", Versioned: false),
        // Customers below a merged-away one in the hierarchy hang below the survivor instead. The merged
        // customers themselves are changed through EF (their versions are checked), so they are left out here.
        new("customers", "parent_id", "t.deleted_at IS NOT NULL OR t.id = {2} OR EXISTS (SELECT 1 FROM customer_merge_sources s WHERE s.merge_id = {0} AND s.customer_id = t.id)"),
    ];

    /// <summary>Flags that may be true for one live row per customer (or per customer and type): cleared on rows joining a survivor that has one.</summary>
    private sealed record Flag(string Table, string Column, string SurvivorHasOne);

    private static readonly Flag[] Flags =
    [
        new("contacts", "is_primary", "EXISTS (SELECT 1 FROM contacts x WHERE x.customer_id = {2} AND x.is_primary = {4} AND x.deleted_at IS NULL)"),
        new("addresses", "is_default", "EXISTS (SELECT 1 FROM addresses x WHERE x.customer_id = {2} AND x.address_type = t.address_type AND x.is_default = {4} AND x.deleted_at IS NULL)"),
    ];

    /// <summary>Live rows that would break a rule after the move: soft-deleted (undo restores them).</summary>
    private sealed record Removal(string Table, string Condition);

    private static readonly Removal[] Removals =
    [
        new("accounts", "t.customer_id = {1} AND EXISTS (SELECT 1 FROM accounts x WHERE x.customer_id = {2} AND x.deleted_at IS NULL)"),
        // Would link the survivor to itself.
        new("relationships", "(t.from_customer_id = {1} AND t.to_customer_id = {2}) OR (t.to_customer_id = {1} AND t.from_customer_id = {2})"),
        // Would repeat a link the survivor already has.
        new("relationships", "t.from_customer_id = {1} AND EXISTS (SELECT 1 FROM relationships x WHERE x.from_customer_id = {2} AND x.to_customer_id = t.to_customer_id AND x.relationship_type = t.relationship_type AND x.deleted_at IS NULL)"),
        new("relationships", "t.to_customer_id = {1} AND EXISTS (SELECT 1 FROM relationships x WHERE x.to_customer_id = {2} AND x.from_customer_id = t.from_customer_id AND x.relationship_type = t.relationship_type AND x.deleted_at IS NULL)"),
    ];

    /// <summary>
    /// Moves what hangs off <paramref name="mergedAway"/> to <paramref name="survivorId"/>, one merged-away
    /// customer at a time, so that each sees what the previous one brought (a second primary contact, say).
    /// </summary>
    public static async Task MoveAsync(AidaDb db, Guid mergeId, Guid mergedAway, Guid survivorId, DateTime now, CancellationToken cancellationToken)
    {
        object[] args = [.. new object[] { mergeId, mergedAway, survivorId, now, true, false }.Select(db.Dialect.SqlValue)];

        foreach (var removal in Removals)
        {
            await ExecuteAsync(db,
                $"INSERT INTO customer_merge_moves (merge_id, table_name, column_name, record_id, kind, from_customer_id) " +
                $"SELECT {{0}}, '{removal.Table}', 'deleted_at', t.id, 'delete', NULL FROM {removal.Table} t " +
                $"WHERE t.deleted_at IS NULL AND ({removal.Condition}) " +
                $"AND NOT EXISTS (SELECT 1 FROM customer_merge_moves m WHERE m.merge_id = {{0}} AND m.table_name = '{removal.Table}' AND m.column_name = 'deleted_at' AND m.record_id = t.id)",
                args, cancellationToken);
            await ExecuteAsync(db,
                $"UPDATE {removal.Table} SET deleted_at = {{3}}, updated_at = {{3}}, version = version + 1 " +
                $"WHERE deleted_at IS NULL AND id IN (SELECT record_id FROM customer_merge_moves WHERE merge_id = {{0}} AND table_name = '{removal.Table}' AND kind = 'delete')",
                args, cancellationToken);
        }

        foreach (var flag in Flags)
        {
            await ExecuteAsync(db,
                $"INSERT INTO customer_merge_moves (merge_id, table_name, column_name, record_id, kind, from_customer_id) " +
                $"SELECT {{0}}, '{flag.Table}', '{flag.Column}', t.id, 'flag', NULL FROM {flag.Table} t " +
                $"WHERE t.customer_id = {{1}} AND t.{flag.Column} = {{4}} AND t.deleted_at IS NULL AND {flag.SurvivorHasOne}",
                args, cancellationToken);
            await ExecuteAsync(db,
                $"UPDATE {flag.Table} SET {flag.Column} = {{5}}, updated_at = {{3}}, version = version + 1 " +
                $"WHERE customer_id = {{1}} AND id IN (SELECT record_id FROM customer_merge_moves WHERE merge_id = {{0}} AND table_name = '{flag.Table}' AND column_name = '{flag.Column}' AND kind = 'flag')",
                args, cancellationToken);
        }

        foreach (var reference in References)
        {
            var stay = reference.StayBehind is null ? "" : $" AND NOT ({reference.StayBehind})";
            await ExecuteAsync(db,
                $"INSERT INTO customer_merge_moves (merge_id, table_name, column_name, record_id, kind, from_customer_id) " +
                $"SELECT {{0}}, '{reference.Table}', '{reference.Column}', t.{reference.Key}, 'reparent', t.{reference.Column} FROM {reference.Table} t " +
                $"WHERE t.{reference.Column} = {{1}}{stay}",
                args, cancellationToken);
            var stamp = reference.Versioned ? ", updated_at = {3}, version = version + 1" : "";
            await ExecuteAsync(db,
                $"UPDATE {reference.Table} SET {reference.Column} = {{2}}{stamp} " +
                $"WHERE {reference.Column} = {{1}} AND {reference.Key} IN (SELECT record_id FROM customer_merge_moves " +
                $"WHERE merge_id = {{0}} AND table_name = '{reference.Table}' AND column_name = '{reference.Column}' AND kind = 'reparent' AND from_customer_id = {{1}})",
                args, cancellationToken);
        }
    }

    /// <summary>
    /// Puts every moved row back under the customer it came from — unless it has since left the survivor —
    /// then restores what was soft-deleted and the flags that were cleared. Answers how many moved rows had
    /// left the survivor since (those stay where they are now).
    /// </summary>
    public static async Task<int> UndoAsync(AidaDb db, Guid mergeId, Guid survivorId, DateTime now, CancellationToken cancellationToken)
    {
        object[] args = [.. new object[] { mergeId, Guid.Empty, survivorId, now, true, false }.Select(db.Dialect.SqlValue)];
        var moved = await db.Set<CustomerMergeMove>().AsNoTracking().CountAsync(m => m.MergeId == mergeId && m.Kind == "reparent", cancellationToken);
        var restored = 0;

        foreach (var reference in References.Reverse())
        {
            var stamp = reference.Versioned ? ", updated_at = {3}, version = version + 1" : "";
            restored += await ExecuteAsync(db,
                $"UPDATE {reference.Table} SET {reference.Column} = (SELECT m.from_customer_id FROM customer_merge_moves m " +
                $"WHERE m.merge_id = {{0}} AND m.table_name = '{reference.Table}' AND m.column_name = '{reference.Column}' AND m.kind = 'reparent' AND m.record_id = {reference.Table}.{reference.Key}){stamp} " +
                $"WHERE {reference.Column} = {{2}} AND {reference.Key} IN (SELECT record_id FROM customer_merge_moves " +
                $"WHERE merge_id = {{0}} AND table_name = '{reference.Table}' AND column_name = '{reference.Column}' AND kind = 'reparent')",
                args, cancellationToken);
        }

        foreach (var table in Removals.Select(r => r.Table).Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(db,
                $"UPDATE {table} SET deleted_at = NULL, updated_at = {{3}}, version = version + 1 " +
                $"WHERE deleted_at IS NOT NULL AND id IN (SELECT record_id FROM customer_merge_moves WHERE merge_id = {{0}} AND table_name = '{table}' AND kind = 'delete')",
                args, cancellationToken);
        }

        foreach (var flag in Flags)
        {
            await ExecuteAsync(db,
                $"UPDATE {flag.Table} SET {flag.Column} = {{4}}, updated_at = {{3}}, version = version + 1 " +
                $"WHERE id IN (SELECT record_id FROM customer_merge_moves WHERE merge_id = {{0}} AND table_name = '{flag.Table}' AND column_name = '{flag.Column}' AND kind = 'flag') " +
                $"AND NOT EXISTS (SELECT 1 FROM {flag.Table} x WHERE x.customer_id = {flag.Table}.customer_id AND x.{flag.Column} = {{4}} AND x.deleted_at IS NULL AND x.id <> {flag.Table}.id" +
                (flag.Table == "addresses" ? " AND x.address_type = addresses.address_type)" : ")"),
                args, cancellationToken);
        }

        return moved - restored;
    }

    /// <summary>How many rows of each table the merge moved to the survivor.</summary>
    public static async Task<Dictionary<string, int>> CountMovedAsync(AidaDb db, Guid mergeId, CancellationToken cancellationToken) =>
        await db.Set<CustomerMergeMove>().AsNoTracking()
            .Where(m => m.MergeId == mergeId && m.Kind == "reparent")
            .GroupBy(m => m.TableName)
            .Select(g => new { Table = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Table, g => g.Count, StringComparer.Ordinal, cancellationToken);

    private static Task<int> ExecuteAsync(AidaDb db, string sql, object[] args, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(sql, args, cancellationToken);
}
