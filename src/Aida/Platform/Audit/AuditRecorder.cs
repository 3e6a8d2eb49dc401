using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Aida.Platform.Audit;

/// <summary>
/// Derives the audit log from the change tracker just before a save, so no use case can change a
/// tracked record without leaving a trace, and the entries commit or roll back with the change itself.
/// </summary>
public static class AuditRecorder
{
    public const string NotAuditedAnnotation = "Aida:NotAudited";

    /// <summary>Bulk imports are audited a batch at a time under this entity type, with the import's id.</summary>
    public const string ImportEntityType = "import";

    private static readonly HashSet<string> Bookkeeping =
        [nameof(AuditedEntity.Id), nameof(AuditedEntity.CreatedAt), nameof(AuditedEntity.UpdatedAt), nameof(AuditedEntity.Version)];

    /// <summary>Derived columns (search keys, normalised copies) are not changes a person made.</summary>
    public static PropertyBuilder<T> NotAudited<T>(this PropertyBuilder<T> property) =>
        property.HasAnnotation(NotAuditedAnnotation, true);

    public static string EntityTypeName(Type clrType) => Naming.ToSnakeCase(clrType.Name);

    public static void Record(DbContext db, OperationContext operation, DateTime now, IReadOnlyDictionary<object, JsonObject> contexts)
    {
        var entries = new List<AuditEntry>();
        foreach (var entry in db.ChangeTracker.Entries<AuditedEntity>())
        {
            var audit = entry.State switch
            {
                EntityState.Added => Describe(entry, AuditAction.Create, Created(entry)),
                EntityState.Modified when IsSoftDelete(entry) => Describe(entry, AuditAction.Delete, Changed(entry)),
                EntityState.Modified => Describe(entry, AuditAction.Update, Changed(entry)),
                EntityState.Deleted => Describe(entry, AuditAction.Delete, new JsonObject()),
                _ => null,
            };

            if (audit is null)
            {
                continue;
            }

            audit.OccurredAt = now;
            audit.ActorId = operation.ActorId;
            audit.ActorName = operation.ActorName;
            audit.ActorTokenId = operation.TokenId;
            audit.RequestId = operation.RequestId;
            audit.Context = contexts.TryGetValue(entry.Entity, out var context) ? context.ToJsonString(ApiJson.Options) : null;
            entries.Add(audit);
        }

        db.Set<AuditEntry>().AddRange(entries);
    }

    private static AuditEntry? Describe(EntityEntry<AuditedEntity> entry, AuditAction action, JsonObject changes) =>
        action == AuditAction.Update && changes.Count == 0
            ? null
            : new AuditEntry
            {
                ActorName = "",
                EntityType = EntityTypeName(entry.Metadata.ClrType),
                EntityId = entry.Entity.Id,
                CustomerId = entry.Entity.AuditCustomerId,
                Action = action,
                Changes = changes.ToJsonString(ApiJson.Options),
            };

    private static bool IsSoftDelete(EntityEntry<AuditedEntity> entry)
    {
        if (entry.Entity is not TrackedEntity)
        {
            return false;
        }

        var deleted = entry.Property(nameof(TrackedEntity.DeletedAt));
        return deleted.IsModified && deleted.OriginalValue is null && deleted.CurrentValue is not null;
    }

    private static JsonObject Created(EntityEntry entry)
    {
        var changes = new JsonObject();
        foreach (var property in Audited(entry))
        {
            if (property.CurrentValue is not null)
            {
                changes[FieldName(property.Metadata)] = new JsonObject { ["to"] = Value(property.CurrentValue) };
            }
        }

        return changes;
    }

    private static JsonObject Changed(EntityEntry entry)
    {
        var changes = new JsonObject();
        foreach (var property in Audited(entry))
        {
            if (property.IsModified && !Equals(property.OriginalValue, property.CurrentValue))
            {
                changes[FieldName(property.Metadata)] = new JsonObject
                {
                    ["from"] = Value(property.OriginalValue),
                    ["to"] = Value(property.CurrentValue),
                };
            }
        }

        return changes;
    }

    private static IEnumerable<PropertyEntry> Audited(EntityEntry entry) =>
        entry.Properties.Where(p =>
            !Bookkeeping.Contains(p.Metadata.Name)
            && !p.Metadata.IsShadowProperty()
            && p.Metadata.FindAnnotation(NotAuditedAnnotation) is null);

    private static string FieldName(IProperty property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static JsonNode? Value(object? value) =>
        value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), ApiJson.Options);
}
