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
/// keys at once this way; only the capped rows cross the wire.
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
            var count = Math.Min(KeysPerQuery, keys.Count - i);
            var (oneOf, list) = db.Dialect.OneOf("t." + keyColumn, "{0}", keys.Skip(i).Take(count).ToList());
            var sql = new System.Text.StringBuilder()
                .Append("SELECT r.k AS \"Key\", CAST(r.id AS TEXT) AS \"Id\", ").Append(street ? "r.street" : "NULL").Append(" AS \"Street\" FROM (SELECT t.")
                .Append(keyColumn).Append(" AS k, t.").Append(idColumn).Append(" AS id, ").Append(street ? "t.street_line_1" : "NULL").Append(" AS street, ROW_NUMBER() OVER (PARTITION BY t.")
                .Append(keyColumn).Append(" ORDER BY t.").Append(idColumn).Append(") AS rn FROM ").Append(table).Append(" t WHERE t.deleted_at IS NULL AND ").Append(where is null ? "" : where + " AND ").Append(oneOf)
                .Append(") r WHERE r.rn <= ").Append(limit.ToString(CultureInfo.InvariantCulture))
                .ToString();
            hits.AddRange(await db.Database.SqlQueryRaw<KeyHolder>(sql, list).ToListAsync(cancellationToken));
        }

        return hits;
    }
}
