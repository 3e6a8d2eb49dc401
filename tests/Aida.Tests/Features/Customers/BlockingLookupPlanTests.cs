using System.Data.Common;
using Aida.Features.Customers.Duplicates;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// Every blocking-key lookup (<see cref="TopPerKey"/>: the import, the duplicate scan, lead matching) reads its key's
/// index, on both databases. Several of those indexes are partial (<c>WHERE street_key &lt;&gt; ''</c>, open leads
/// only); a lookup that does not say what the index assumes reads the whole table instead, which is invisible in a
/// small test and made every import batch and every create with an address read all addresses at a million
/// customers. The plans are read from the databases themselves: on PostgreSQL with sequential scans priced out, so
/// a table scan that remains means no index could serve the lookup.
/// </summary>
public sealed class BlockingLookupPlanTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string OpenLeads = "t.status IN ('active', 'unresponsive')";

    public static TheoryData<DatabaseKind, string, string, string, bool, string?> Lookups()
    {
        var data = new TheoryData<DatabaseKind, string, string, string, bool, string?>();
        foreach (var db in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            data.Add(db, "customers", "name_key", "id", false, null);
            data.Add(db, "customers", "name_phonetic", "id", false, null);
            data.Add(db, "customers", "name_block", "id", false, null);
            data.Add(db, "contacts", "email_normalized", "customer_id", false, null);
            data.Add(db, "contacts", "phone_key", "customer_id", false, null);
            data.Add(db, "contacts", "email_domain", "customer_id", false, null);
            data.Add(db, "accounts", "website_domain", "customer_id", false, null);
            data.Add(db, "addresses", "street_key", "customer_id", true, null);
            // The duplicate scan's common keys include postal codes (CustomerDuplicateRecords' blocking columns).
            data.Add(db, "addresses", "postal_key", "customer_id", true, null);
            data.Add(db, "leads", "email_normalized", "id", false, OpenLeads);
            data.Add(db, "leads", "phone_key", "id", false, OpenLeads);
            data.Add(db, "leads", "name_key", "id", false, OpenLeads);
            data.Add(db, "leads", "name_phonetic", "id", false, OpenLeads);
            data.Add(db, "leads", "name_block", "id", false, OpenLeads);
        }

        return data;
    }

    [Theory, MemberData(nameof(Lookups))]
    public async Task ABlockingKeyLookup_SearchesTheKeysIndex_NeverScansTheTable(DatabaseKind kind, string table, string keyColumn, string idColumn, bool street, string? where)
    {
        var app = await fixture.AppFor(kind);

        var plan = await app.QueryAsync(async db =>
        {
            var (sql, keys) = TopPerKey.Statement(db.Dialect, ["one", "two"], "@keys", table, keyColumn, idColumn, limit: 20, street, where);
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            if (kind == DatabaseKind.Postgres)
            {
                await using var off = connection.CreateCommand();
                off.CommandText = "SET enable_seqscan = off";
                await off.ExecuteNonQueryAsync();
            }

            await using var command = connection.CreateCommand();
            command.CommandText = (kind == DatabaseKind.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "keys";
            parameter.Value = keys;
            command.Parameters.Add(parameter);
            var lines = new List<string>();
            await using (DbDataReader reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(reader.FieldCount - 1));
                }
            }

            if (kind == DatabaseKind.Postgres)
            {
                await using var on = connection.CreateCommand();
                on.CommandText = "RESET enable_seqscan";
                await on.ExecuteNonQueryAsync();
            }

            return lines;
        });

        var text = string.Join("\n", plan);
        if (kind == DatabaseKind.Sqlite)
        {
            Assert.Contains(plan, line => line.StartsWith("SEARCH t USING INDEX ", StringComparison.Ordinal) || line.StartsWith("SEARCH t USING COVERING INDEX ", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.StartsWith("SCAN t", StringComparison.Ordinal));
        }
        else
        {
            Assert.DoesNotContain($"Seq Scan on {table} t", text, StringComparison.Ordinal);
            Assert.Contains("Index", text, StringComparison.Ordinal);
        }
    }
}
