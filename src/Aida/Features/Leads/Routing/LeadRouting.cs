namespace Aida.Features.Leads.Routing;

/// <summary>
/// Assigns a new lead by the routing rules: the first active rule, in position order, that matches the
/// lead's source and territory and can place it. An assign-to-user rule whose user is deactivated, and a
/// round robin whose every active member is at the open-lead cap, pass the lead on to the next rule.
/// The rule and the reason in words are recorded on the lead; no rule leaves it in the unassigned pool.
/// Runs for the public-form system actor too, so users and open-lead counts are read past record access.
/// </summary>
public static class LeadRouting
{
    public static async Task RouteAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadRoutingRule>().AsNoTracking().Where(r => r.IsActive)
            .OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var passed = new List<string>();
        foreach (var rule in rules.Where(r => r.Matches(lead)))
        {
            var placed = rule.Action == RoutingAction.AssignUser
                ? await AssignUserAsync(db, rule, cancellationToken)
                : await RoundRobinAsync(db, rule, cancellationToken);
            if (placed.UserId is { } userId)
            {
                lead.AssignedTo = userId;
                lead.AssignedAt = db.Clock.UtcNow();
                lead.RoutingRuleId = rule.Id;
                lead.RoutingReason = Reason(placed.Reason, passed);
                return;
            }

            passed.Add(placed.Reason);
        }

        lead.RoutingRuleId = null;
        lead.RoutingReason = Reason(rules.Count == 0 ? "No routing rules are set up; the lead waits in the unassigned pool." : "No routing rule matched; the lead waits in the unassigned pool.", passed);
    }

    private sealed record Placement(Guid? UserId, string Reason);

    private static async Task<Placement> AssignUserAsync(AidaDb db, LeadRoutingRule rule, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().Where(u => u.Id == rule.UserId).Select(u => new { u.Id, u.DisplayName, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
        return user is { IsActive: true }
            ? new Placement(user.Id, $"Rule '{rule.Name}': assigned to {user.DisplayName}.")
            : new Placement(null, $"rule '{rule.Name}' skipped: {user?.DisplayName ?? "its user"} is deactivated");
    }

    /// <summary>
    /// The member after the rule's cursor who is active and under the cap. The cursor is read and moved
    /// under a lock (PostgreSQL; SQLite has one writer) so two leads captured at once never go to the same
    /// turn, and it is moved with a direct UPDATE: it is bookkeeping, not an edit of the rule (no new
    /// version to upset an admin's If-Match, no audit entry per lead).
    /// </summary>
    private static async Task<Placement> RoundRobinAsync(AidaDb db, LeadRoutingRule rule, CancellationToken cancellationToken)
    {
        await db.LockAsync(LockName.LeadRouting, cancellationToken);
        var cursor = await db.Set<LeadRoutingRule>().Where(r => r.Id == rule.Id).Select(r => r.LastAssignedUserId).FirstOrDefaultAsync(cancellationToken);
        var team = await db.Set<Team>().AsNoTracking().Where(t => t.Id == rule.TeamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken) ?? "(deleted team)";
        var members = (await db.Set<User>().AsNoTracking()
                .Where(u => u.TeamId == rule.TeamId && u.IsActive && u.Id != User.SystemId)
                .Select(u => new { u.Id, u.DisplayName })
                .ToListAsync(cancellationToken))
            .OrderBy(u => u.Id)
            .ToList();
        if (members.Count == 0)
        {
            return new Placement(null, $"rule '{rule.Name}' skipped: team {team} has no active members");
        }

        var memberIds = members.Select(m => (Guid?)m.Id).ToList();
        var open = await LeadAccess.All(db)
            .Where(l => l.Status == LeadStatus.Active && memberIds.Contains(l.AssignedTo))
            .GroupBy(l => l.AssignedTo)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId!.Value, g => g.Count, cancellationToken);

        // Start after the cursor; a cursor whose member left the team still marks a place in the order.
        var start = cursor is { } last ? members.FindIndex(m => m.Id.CompareTo(last) > 0) : 0;
        if (start < 0)
        {
            start = 0;
        }

        for (var i = 0; i < members.Count; i++)
        {
            var member = members[(start + i) % members.Count];
            var count = open.GetValueOrDefault(member.Id);
            if (rule.OpenLeadCap is { } cap && count >= cap)
            {
                continue;
            }

            await db.Set<LeadRoutingRule>().Where(r => r.Id == rule.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastAssignedUserId, member.Id), cancellationToken);
            var load = rule.OpenLeadCap is { } limit ? $"{count} open of cap {limit}" : $"{count} open";
            return new Placement(member.Id, $"Rule '{rule.Name}': round robin in team {team}, to {member.DisplayName} ({load}).");
        }

        return new Placement(null, $"rule '{rule.Name}' skipped: every member of team {team} is at the cap of {rule.OpenLeadCap}");
    }

    private static string Reason(string reason, List<string> passed)
    {
        var text = passed.Count == 0 ? reason : $"{reason} Before it, {string.Join("; ", passed)}.";
        return text.Length <= Lead.RoutingReasonMaxLength ? text : text[..(Lead.RoutingReasonMaxLength - 1)] + "…";
    }
}
