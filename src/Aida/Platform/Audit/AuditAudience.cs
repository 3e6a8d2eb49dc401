namespace Aida.Platform.Audit;

/// <summary>
/// Who may read a history entry that belongs to no customer — the audit log's side of the rule the event
/// feed follows (<see cref="Events.EventAudiences"/>): shared sales records (leads and their touches,
/// pipelines, imports, customer-less activities, unmatched messages) go to those who reach every customer;
/// users, teams, tokens, the lead settings and rules, web forms, and any entity type not listed here go to
/// administrators only, and a token's history also to its holder. A customer's entries are judged by its reach.
/// </summary>
public sealed class AuditAudience : IRecordFilters
{
    private static readonly string[] SharedTypes =
        ["lead", "lead_interaction", "pipeline", "pipeline_stage", "activity", "communication", AuditRecorder.ImportEntityType];

    public void Apply(ModelBuilder modelBuilder, AidaDb db) =>
        modelBuilder.Entity<AuditEntry>().HasQueryFilter("auditAudience", a => a.CustomerId != null
            || db.ActorIsAdmin
            || (db.ReachesAllCustomers && SharedTypes.Contains(a.EntityType))
            || (a.EntityType == "api_token" && db.Set<ApiToken>().Any(t => t.Id == a.EntityId && t.UserId == db.ActorId)));
}
