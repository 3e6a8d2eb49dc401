using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aida.Platform.Data;

/// <summary>
/// The row an entity type is stored as, read from the EF model: table, columns, value converters and
/// store types. Lets the bulk and fast insert paths write exactly the row a tracked save would.
/// </summary>
public sealed class RowShape
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, RowShape>> Shapes = new();

    private RowShape(IEntityType entityType)
    {
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        Table = table.Name;
        Columns = entityType.GetProperties()
            .Where(p => !p.IsShadowProperty() && p.ValueGenerated != ValueGenerated.OnAdd)
            .Select(p => new Column(p.GetColumnName(table)!, p.GetGetter(), p.GetTypeMapping().Converter, StoreTypeName(p.GetColumnType())))
            .ToList();
        InsertOrder = Depth(entityType, []);
        PrimaryKey = entityType.FindPrimaryKey() is { Properties: [var key] } ? key.GetColumnName(table) : null;
    }

    public string Table { get; }

    public IReadOnlyList<Column> Columns { get; }

    /// <summary>Rows of a lower order are inserted first, so every foreign key finds its row.</summary>
    public int InsertOrder { get; }

    /// <summary>
    /// <c>ON CONFLICT (keys) DO UPDATE SET</c> every other column but the primary key to the new row's value:
    /// a row that exists keeps its identity and takes the new values. Names are the model's, never input.
    /// </summary>
    public string OnConflictUpdate(IReadOnlyList<string> conflictColumns) =>
        $"ON CONFLICT ({string.Join(", ", conflictColumns.Select(c => $"\"{c}\""))}) DO UPDATE SET "
        + string.Join(", ", Columns.Where(c => c.Name != PrimaryKey && !conflictColumns.Contains(c.Name)).Select(c => $"\"{c.Name}\" = excluded.\"{c.Name}\""));

    /// <summary>The primary key's column (a single-column key; null for none or a composite one).</summary>
    public string? PrimaryKey { get; }

    public static RowShape For(IModel model, Type clrType) =>
        Shapes.GetValue(model, _ => new ConcurrentDictionary<Type, RowShape>())
            .GetOrAdd(clrType, type => new RowShape(model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.")));

    public sealed record Column(string Name, IClrPropertyGetter Getter, ValueConverter? Converter, string StoreType)
    {
        public object? Value(object entity)
        {
            var value = Getter.GetClrValueUsingContainingEntity(entity);
            return value is null || Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }

    private static int Depth(IEntityType type, HashSet<IEntityType> seen)
    {
        if (!seen.Add(type))
        {
            return 0;
        }

        var principals = type.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != type).ToList();
        return principals.Count == 0 ? 0 : 1 + principals.Max(p => Depth(p, seen));
    }

    /// <summary>"character varying(200)" → "character varying": COPY wants the type, not its length.</summary>
    private static string StoreTypeName(string? columnType)
    {
        var type = columnType ?? "text";
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? type : type[..paren].TrimEnd();
    }
}
