using System.Text.Json.Nodes;
using Aida.Features.Customers;

namespace Aida.Features.Segments;

/// <summary>
/// <c>POST /api/v1/segments/{id}/members</c> and <c>DELETE /api/v1/segments/{id}/members/{customerId}</c>
/// (segments.manage): a static segment's members, by hand. Only customers in the caller's reach can be added
/// (another is "not found", named by its place in the list). Audited as a change of the segment's member count,
/// with the customers added or removed.
/// </summary>
public static class StaticMembers
{
    public const int MaxPerRequest = 500;

    public sealed record AddRequest(IReadOnlyList<Guid>? CustomerIds);

    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Add(
        Guid id, [FromBody] AddRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await AddAsync(id, request, db, cancellationToken)).ToOk(response);

    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Remove(
        Guid id, Guid customerId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RemoveAsync(id, customerId, db, cancellationToken)).ToOk(response);

    public static async Task<Result<SegmentResponse>> AddAsync(Guid id, AddRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var ids = request.CustomerIds ?? [];
        if (ids.Count is 0 or > MaxPerRequest)
        {
            errors.Add("customerIds", $"Must list 1 to {MaxPerRequest} customer ids.");
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var segment = await db.Set<Segment>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment");
        }

        if (segment.Type != SegmentType.Static)
        {
            return new Failure.Conflict("id", "A dynamic segment's members follow its criteria; change the criteria instead.");
        }

        var distinct = ids.Distinct().ToList();
        var reachable = await db.Set<Customer>().Where(c => distinct.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!reachable.Contains(ids[i]))
            {
                errors.Add($"customerIds[{i}]", "No customer with that id exists.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var present = await db.Set<SegmentMember>().Where(m => m.SegmentId == id && distinct.Contains(m.CustomerId)).Select(m => m.CustomerId).ToListAsync(cancellationToken);
        var now = db.Clock.UtcNow();
        var added = distinct.Except(present).ToList();
        db.AddRange(added.Select(c => new SegmentMember { SegmentId = id, CustomerId = c, AddedAt = now }));
        return await FinishAsync(db, transaction, segment, added, [], cancellationToken);
    }

    public static async Task<Result<SegmentResponse>> RemoveAsync(Guid id, Guid customerId, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var segment = await db.Set<Segment>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment");
        }

        if (segment.Type != SegmentType.Static)
        {
            return new Failure.Conflict("id", "A dynamic segment's members follow its criteria; change the criteria instead.");
        }

        // A member out of reach is as absent as one that is not there.
        var member = await db.Set<SegmentMember>()
            .Where(m => m.SegmentId == id && m.CustomerId == customerId && db.Set<Customer>().Any(c => c.Id == m.CustomerId))
            .FirstOrDefaultAsync(cancellationToken);
        if (member is null)
        {
            return new Failure.NotFound("member");
        }

        db.Remove(member);
        return await FinishAsync(db, transaction, segment, [], [customerId], cancellationToken);
    }

    private static async Task<Result<SegmentResponse>> FinishAsync(AidaDb db, WriteTransaction transaction, Segment segment, List<Guid> added, List<Guid> removed, CancellationToken cancellationToken)
    {
        if (added.Count + removed.Count > 0)
        {
            segment.MemberCount += added.Count - removed.Count;
            segment.LastCalculatedAt = db.Clock.UtcNow();
            db.AnnotateAudit(segment, new JsonObject
            {
                ["added"] = new JsonArray(added.Select(a => (JsonNode)a.ToString()).ToArray()),
                ["removed"] = new JsonArray(removed.Select(a => (JsonNode)a.ToString()).ToArray()),
            });
            db.Publish("segment.members_changed", SegmentMapping.Subject(segment.Id), () => new { segmentId = segment.Id, added = added.Count, removed = removed.Count, memberCount = segment.MemberCount });
            await db.SaveChangesAsync(cancellationToken);
            await SegmentRecalculation.RecordSizeAsync(db, segment.Id, DateOnly.FromDateTime(db.Clock.UtcNow()), segment.MemberCount, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await SegmentReach.ResponseAsync(db, segment, cancellationToken), segment.Version);
    }
}
