using Aida.Features.Interactions;

namespace Aida.Features.Lifecycle;

/// <summary>Journey milestones on the customer's timeline (spec 002 Journey AC-1), in place of their audit entries.</summary>
public sealed class JourneyTimelineSource : ITimelineSource
{
    private static readonly string[] Audited = [AuditRecorder.EntityTypeName(typeof(JourneyMilestone))];

    public TimelineKind Kind => TimelineKind.Milestone;

    public IReadOnlyCollection<string> AuditedEntityTypes => Audited;

    public async Task<IReadOnlyList<TimelineItem>> ReadAsync(AidaDb db, Guid customerId, TimelineWindow window, CancellationToken cancellationToken)
    {
        var query = db.Set<JourneyMilestone>().AsNoTracking()
            .Where(m => m.CustomerId == customerId && m.OccurredAt >= window.From && m.OccurredAt < window.To);
        if (window.Actor is { } actor)
        {
            query = query.Where(m => m.RecordedBy == actor);
        }

        if (window.After is (var time, var afterId))
        {
            query = query.Where(m => m.OccurredAt <= time && (m.OccurredAt < time || m.Id.CompareTo(afterId) < 0));
        }

        var rows = await query.OrderByDescending(m => m.OccurredAt).ThenByDescending(m => m.Id).Take(window.Take).ToListAsync(cancellationToken);
        var recorders = rows.Where(m => m.RecordedBy is not null).Select(m => m.RecordedBy!.Value).Distinct().ToList();
        var names = recorders.Count == 0
            ? []
            : await db.Set<User>().Where(u => recorders.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return rows.Select(m => new TimelineItem(
            TimelineKind.Milestone, m.Id, m.OccurredAt, m.RecordedBy ?? User.SystemId,
            m.RecordedBy is { } by ? names.GetValueOrDefault(by, "Someone") : "Aida",
            Journey.Title(m.MilestoneType), m.Note, null, null, null, null, null, null, false, null, false, null,
            EnumText<MilestoneType>.ToText(m.MilestoneType), m.Details is null ? null : JsonDocument.Parse(m.Details).RootElement.Clone()))
            .ToList();
    }
}
