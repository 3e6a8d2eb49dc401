namespace Aida.Features.Customers.Duplicates;

/// <summary>A blocking key's holder: the key, the customer's id, and (for addresses) the street line.</summary>
public sealed class KeyHolder
{
    public string Key { get; set; } = "";

    public string Id { get; set; } = "";

    public string? Street { get; set; }
}

/// <summary>
/// The first holders by id of each of many blocking keys, in one query per two thousand keys (ROW_NUMBER over the
/// key: the same on SQLite and PostgreSQL; LINQ's top-N-per-group does not translate). The keys travel as one list
/// parameter (<see cref="DatabaseDialect.OneOf"/>). The duplicate scan and an import batch look up thousands of
/// keys at once this way; only the capped rows cross the wire. The condition says the key is not empty: some key
/// indexes are partial (<c>WHERE street_key &lt;&gt; ''</c>), neither database can infer that from a list of keys, and
/// without it they scanned the whole table for every query.
/// </summary>
public static class TopPerKey
{
    private const int KeysPerQuery = 2000;

    /// <summary>
    /// At most <paramref name="limit"/> live rows of <paramref name="table"/> per key, lowest ids first, among the rows
    /// <paramref name="where"/> (SQL over the alias <c>t</c>) admits. Table and column names and the condition are the
    /// caller's constants; the keys travel as parameters.
    /// </summary>
    public static async Task<List<KeyHolder>> QueryAsync(
        AidaDb db, IReadOnlyList<string> keys, string table, string keyColumn, string idColumn, int limit, CancellationToken cancellationToken, bool street = false,
        string? where = null)
    {
        var hits = new List<KeyHolder>();
        for (var i = 0; i < keys.Count; i += KeysPerQuery)
        {
            var (sql, list) = Statement(db.Dialect, keys.Skip(i).Take(Math.Min(KeysPerQuery, keys.Count - i)).ToList(), "{0}", table, keyColumn, idColumn, limit, street, where);
            hits.AddRange(await db.Database.SqlQueryRaw<KeyHolder>(sql, list).ToListAsync(cancellationToken));
        }

        return hits;
    }

    /// <summary>The statement <see cref="QueryAsync"/> runs for these keys, with <paramref name="placeholder"/> for its one parameter.</summary>
    public static (string Sql, object Parameter) Statement(
        DatabaseDialect dialect, IReadOnlyList<string> keys, string placeholder, string table, string keyColumn, string idColumn, int limit, bool street = false, string? where = null)
    {
        var (oneOf, list) = dialect.OneOf("t." + keyColumn, placeholder, keys);
        var sql = new System.Text.StringBuilder()
            .Append("SELECT r.k AS \"Key\", CAST(r.id AS TEXT) AS \"Id\", ").Append(street ? "r.street" : "NULL").Append(" AS \"Street\" FROM (SELECT t.")
            .Append(keyColumn).Append(" AS k, t.").Append(idColumn).Append(" AS id, ").Append(street ? "t.street_line_1" : "NULL").Append(" AS street, ROW_NUMBER() OVER (PARTITION BY t.")
            .Append(keyColumn).Append(" ORDER BY t.").Append(idColumn).Append(") AS rn FROM ").Append(table).Append(" t WHERE t.deleted_at IS NULL AND t.").Append(keyColumn).Append(" <> '' AND ")
            .Append(where is null ? "" : where + " AND ").Append(oneOf)
            .Append(") r WHERE r.rn <= ").Append(limit.ToString(CultureInfo.InvariantCulture))
            .ToString();
        return (sql, list);
    }
}

/// <summary>
/// A column a record type is blocked by: its values are the keys written <paramref name="Prefix"/> + value in the
/// type's notation, held by <paramref name="IdColumn"/>; a key is common when more than <paramref name="Limit"/> live
/// rows hold it (the create path then reads that many).
/// </summary>
public sealed record BlockingColumn(string Prefix, string Table, string KeyColumn, string IdColumn, int Limit);

public static class CommonKeysQuery
{
    /// <summary>
    /// The common keys of <paramref name="columns"/> with their first holders by id, among the rows
    /// <paramref name="where"/> (SQL over the alias <c>t</c>) admits: one grouped count per column (an index scan),
    /// then the first holders of the common values (<see cref="TopPerKey"/>). Columns sharing a prefix (a mail domain
    /// of a contact and a web site's) make one key: common when common in any of them, its first holders the first
    /// of each, as the create path's lookups of both bring them.
    /// </summary>
    public static async Task<CommonKeys> FindAsync(AidaDb db, IReadOnlyList<BlockingColumn> columns, CancellationToken cancellationToken, string? where = null)
    {
        var first = new Dictionary<string, HashSet<Guid>>(StringComparer.Ordinal);
        foreach (var prefix in columns.GroupBy(c => c.Prefix))
        {
            var common = new HashSet<string>(StringComparer.Ordinal);
            foreach (var column in prefix)
            {
                var sql = $"SELECT t.{column.KeyColumn} AS \"Value\" FROM {column.Table} t WHERE t.deleted_at IS NULL AND t.{column.KeyColumn} IS NOT NULL " +
                    $"AND t.{column.KeyColumn} <> ''{(where is null ? "" : " AND " + where)} GROUP BY t.{column.KeyColumn} " +
                    $"HAVING COUNT(*) > {column.Limit.ToString(CultureInfo.InvariantCulture)}";
                common.UnionWith(await db.Database.SqlQueryRaw<string>(sql).ToListAsync(cancellationToken));
            }

            if (common.Count == 0)
            {
                continue;
            }

            var keys = common.ToList();
            foreach (var key in keys)
            {
                first[prefix.Key + key] = [];
            }

            foreach (var column in prefix)
            {
                foreach (var holder in await TopPerKey.QueryAsync(db, keys, column.Table, column.KeyColumn, column.IdColumn, column.Limit, cancellationToken, where: where))
                {
                    first[prefix.Key + holder.Key].Add(Guid.Parse(holder.Id));
                }
            }
        }

        return new CommonKeys(first);
    }
}
