using System.Globalization;
using System.Text.RegularExpressions;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Data;

/// <summary>
/// Migrations are written by hand, not generated from the EF model, so nothing else keeps the two in
/// step: every table and column the model maps must exist with a compatible type and the same
/// nullability, and every column of those tables must be known to the model.
/// </summary>
public sealed partial class SchemaAgreementTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    /// <summary>Tables that belong to the migration runner or the database engine, not to the model.</summary>
    private static readonly HashSet<string> Unmapped = new(StringComparer.Ordinal)
    {
        "schema_migrations", "sqlite_sequence",
        // The FTS5 index over search_documents and its shadow tables (Platform/Search): the engine's, read only through SQL.
        "search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config",
    };

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Model_EveryMappedTable_ExistsInTheMigratedSchema(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var model = await ModelColumnsAsync(app);
        var schema = await SchemaColumnsAsync(app);

        var missing = model.Select(c => c.Table).Distinct().Where(t => !schema.Any(c => c.Table == t)).ToList();

        Assert.True(missing.Count == 0, $"Tables the model maps but the {db} schema lacks: {string.Join(", ", missing)}");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Model_EveryMappedProperty_HasAColumnOfCompatibleTypeAndNullability(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var model = await ModelColumnsAsync(app);
        var schema = (await SchemaColumnsAsync(app)).ToDictionary(c => (c.Table, c.Column));

        var disagreements = new List<string>();
        foreach (var expected in model)
        {
            if (!schema.TryGetValue((expected.Table, expected.Column), out var actual))
            {
                disagreements.Add($"{expected.Table}.{expected.Column}: mapped by {expected.Property} but missing from the schema");
                continue;
            }

            if (NormalizeType(expected.Type) != NormalizeType(actual.Type))
            {
                disagreements.Add($"{expected.Table}.{expected.Column}: model type '{expected.Type}', schema type '{actual.Type}'");
            }

            if (expected.Nullable != actual.Nullable)
            {
                disagreements.Add($"{expected.Table}.{expected.Column}: model says {Nullability(expected.Nullable)}, schema says {Nullability(actual.Nullable)}");
            }
        }

        Assert.True(disagreements.Count == 0, $"The EF model and the {db} schema disagree:\n" + string.Join("\n", disagreements));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Schema_EveryColumnOfAMappedTable_IsMappedByTheModel(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var model = await ModelColumnsAsync(app);
        var tables = model.Select(c => c.Table).ToHashSet(StringComparer.Ordinal);
        var mapped = model.Select(c => (c.Table, c.Column)).ToHashSet();

        var unknown = (await SchemaColumnsAsync(app))
            .Where(c => tables.Contains(c.Table) && !mapped.Contains((c.Table, c.Column)))
            .Select(c => $"{c.Table}.{c.Column} ({c.Type})")
            .ToList();

        Assert.True(unknown.Count == 0, $"Columns in the {db} schema that the model does not map: {string.Join(", ", unknown)}");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Schema_EveryTable_IsMappedByTheModel(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var tables = (await ModelColumnsAsync(app)).Select(c => c.Table).ToHashSet(StringComparer.Ordinal);

        var unknown = (await SchemaColumnsAsync(app)).Select(c => c.Table).Distinct()
            .Where(t => !tables.Contains(t) && !Unmapped.Contains(t))
            .ToList();

        Assert.True(unknown.Count == 0, $"Tables in the {db} schema that no entity maps: {string.Join(", ", unknown)}");
    }

    private sealed record ColumnInfo(string Table, string Column, string Type, bool Nullable, string Property = "");

    private static Task<List<ColumnInfo>> ModelColumnsAsync(AidaApp app) => app.QueryAsync(d =>
    {
        var columns = new List<ColumnInfo>();
        foreach (var entity in d.Model.GetEntityTypes())
        {
            if (entity.FindPrimaryKey() is null && entity.GetTableName() is null)
            {
                continue; // rows of a query (e.g. SearchMatch), not a table
            }

            var table = entity.GetTableName()
                ?? throw new InvalidOperationException($"{entity.DisplayName()} is not mapped to a table.");
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)
                    ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property.Name} has no column in {table}.");
                columns.Add(new ColumnInfo(table, column, property.GetColumnType(store), property.IsColumnNullable(store),
                    $"{entity.DisplayName()}.{property.Name}"));
            }
        }

        return Task.FromResult(columns);
    });

    private static async Task<List<ColumnInfo>> SchemaColumnsAsync(AidaApp app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            var rows = await RawSql.QueryAsync(settings, """
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                """);
            return rows.Select(r => new ColumnInfo(r[0]!, r[1]!, r[2]!, !bool.Parse(r[3]!))).ToList();
        }

        var columns = new List<ColumnInfo>();
        var tables = await RawSql.QueryAsync(settings, "SELECT name FROM sqlite_master WHERE type = 'table'");
        foreach (var table in tables.Select(t => t[0]!))
        {
            // table_info: cid, name, type, notnull, dflt_value, pk. An INTEGER PRIMARY KEY is never null though not declared so.
            foreach (var c in await RawSql.QueryAsync(settings, $"SELECT * FROM pragma_table_info('{table}')"))
            {
                var notNull = c[3] == "1" || int.Parse(c[5]!, CultureInfo.InvariantCulture) > 0;
                columns.Add(new ColumnInfo(table, c[1]!, c[2]!, !notNull));
            }
        }

        return columns;
    }

    /// <summary>One spelling per type: case, spacing and the usual aliases (varchar(n) = character varying(n)) do not matter.</summary>
    private static string NormalizeType(string type)
    {
        var text = WhiteSpace().Replace(type.Trim().ToLowerInvariant(), " ");
        text = SpaceAroundPunctuation().Replace(text, "$1");
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var (name, arguments) = open < 0 ? (text, "") : (text[..open], text[open..]);
        name = name switch
        {
            "varchar" => "character varying",
            "char" or "bpchar" => "character",
            "int" or "int4" => "integer",
            "int8" => "bigint",
            "int2" => "smallint",
            "bool" => "boolean",
            "decimal" => "numeric",
            "timestamptz" => "timestamp with time zone",
            "timestamp" => "timestamp without time zone",
            _ => name,
        };
        return name + arguments;
    }

    private static string Nullability(bool nullable) => nullable ? "NULL" : "NOT NULL";

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\s*([(),])\s*")]
    private static partial Regex SpaceAroundPunctuation();
}
