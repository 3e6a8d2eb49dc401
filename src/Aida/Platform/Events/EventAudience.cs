namespace Aida.Platform.Events;

/// <summary>Who may read an event in the feed; decided when the event is written, from its subject.</summary>
public enum EventAudience
{
    /// <summary>It belongs to a customer: those who reach the customer (the customer-reach filter decides).</summary>
    Customer,

    /// <summary>
    /// Shared sales records that belong to no customer — leads before they convert, pipelines, imports, an
    /// activity without a customer, a message still unmatched: those who reach every customer.
    /// </summary>
    AllCustomers,

    /// <summary>People and access (users, teams, tokens), settings only administrators read (web forms), and any kind not listed: administrators; a token's events also its user.</summary>
    Admins,
}

/// <summary>
/// Which feed readers an event is for (issue 14: <c>user.created</c> and <c>token.created</c> reached
/// viewers). Every subject kind is listed here, and a kind that is not — a new feature's events before
/// anyone decided — goes to administrators only, so nothing reaches everyone by default. The feed's
/// filter reads the columns this sets; the customer's own reach is still judged by <c>CustomerAccess</c>.
/// </summary>
public sealed class EventAudiences : IRecordFilters
{
    /// <summary>Subject kinds (the first segment of a subject) that belong to no customer but to everyone who reaches every customer.</summary>
    private static readonly HashSet<string> SharedKinds = new(StringComparer.Ordinal)
    {
        "leads", "pipelines", "imports", "activities", "communications", "segments",
    };

    /// <summary>The audience of an event about <paramref name="subject"/>, and the user who may also read it.</summary>
    public static (EventAudience Audience, Guid? UserId) Of(string subject, Guid? customerId)
    {
        if (customerId is not null)
        {
            return (EventAudience.Customer, null);
        }

        var parts = subject.Split('/');
        if (SharedKinds.Contains(parts[0]))
        {
            return (EventAudience.AllCustomers, null);
        }

        // Everything else is for administrators: "users/…" (emails, roles), "users/{id}/tokens/…" (names, prefixes,
        // scopes), "teams/…", "lead-forms/…" (read with admin.settings only), and any kind not listed above.
        // A token's holder may also follow what happens to their own token, and a user their own notifications
        // ("users/{id}/notifications[/{id}]"); nothing else about users.
        var own = parts is ["users", _, "tokens", _] or ["users", _, "notifications"] or ["users", _, "notifications", _];
        var holder = own && Guid.TryParse(parts[1], out var userId) ? userId : (Guid?)null;
        return (EventAudience.Admins, holder);
    }

    public void Apply(ModelBuilder modelBuilder, AidaDb db) =>
        modelBuilder.Entity<OutboxEvent>().HasQueryFilter(Filter, e => e.Audience == EventAudience.Customer
            || (e.Audience == EventAudience.AllCustomers && db.ReachesAllCustomers)
            || db.ActorIsAdmin
            || (e.UserId != null && e.UserId == db.ActorId));

    private const string Filter = "eventAudience";
}
