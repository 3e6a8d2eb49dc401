namespace Aida.Features.Segments;

/// <summary>
/// <c>PATCH /api/v1/segments/{id}</c> (segments.manage, merge-patch, If-Match): rename, describe, change the
/// criteria, priority or exclusion group, or (de)activate. A change that can change who belongs (criteria,
/// priority, group, reactivation) is followed by a full run. The type cannot change.
/// </summary>
public static class UpdateSegment
{
    public sealed record Request(
        Optional<string?> Name,
        Optional<string?> Description,
        Optional<SegmentType> Type,
        Optional<JsonElement?> Criteria,
        Optional<int> Priority,
        Optional<string?> ExclusionGroup,
        Optional<bool> IsActive);

    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        IServiceScopeFactory scopes,
        ILogger<Segment> logger,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, scopes, logger, cancellationToken)).ToOk(response);

    public static async Task<Result<SegmentResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, IServiceScopeFactory scopes, ILogger logger, CancellationToken cancellationToken)
    {
        var rerun = false;
        var result = await db.ChangeAsync(db.Set<Segment>().Where(s => s.Id == id), ifMatch, "segment", async Task<Failure?> (segment) =>
        {
            var errors = new ValidationErrors();
            var name = request.Name.IsSet ? errors.RequiredText("name", request.Name.Value, Segment.NameMaxLength) : segment.Name;
            var description = request.Description.IsSet ? errors.OptionalText("description", request.Description.Value, Segment.DescriptionMaxLength) : segment.Description;
            var group = request.ExclusionGroup.IsSet ? SegmentRules.ExclusionGroup(errors, request.ExclusionGroup.Value) : segment.ExclusionGroup;
            if (request.Type.IsSet && request.Type.Value != segment.Type)
            {
                errors.Add("type", "A segment's type cannot change; create a new segment instead.");
            }

            var criteria = segment.Criteria;
            if (request.Criteria.IsSet)
            {
                if (segment.Type == SegmentType.Static)
                {
                    errors.Add("criteria", "A static segment has no criteria: its members are added by hand.");
                }
                else if (request.Criteria.Value is not { ValueKind: not JsonValueKind.Null } element)
                {
                    errors.Add("criteria", "Is required for a dynamic segment.");
                }
                else if (await SegmentRules.CriteriaAsync(db, errors, element, segment.Id, cancellationToken) is not null)
                {
                    criteria = element.GetRawText();
                }
            }

            if (segment.Type == SegmentType.Static && group is not null)
            {
                errors.Add("exclusionGroup", "Only dynamic segments take part in exclusion groups.");
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            if (request.Name.IsSet && await SegmentRules.UniqueNameAsync(db, name!, segment.Id, cancellationToken) is { } taken)
            {
                return taken;
            }

            var priority = request.Priority.Or(segment.Priority);
            var isActive = request.IsActive.Or(segment.IsActive);
            rerun = segment.Type == SegmentType.Dynamic && isActive
                && (criteria != segment.Criteria || priority != segment.Priority || group != segment.ExclusionGroup || !segment.IsActive);
            segment.Name = name!;
            segment.Description = description;
            segment.Criteria = criteria;
            segment.Priority = priority;
            segment.ExclusionGroup = group;
            segment.IsActive = isActive;
            segment.NeedsFullRun |= rerun;
            db.PublishChanges(segment, "segment.updated", SegmentMapping.Subject(segment.Id), changes => new { segmentId = segment.Id, changes });
            return null;
        }, segment => segment, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Failure;
        }

        if (rerun)
        {
            await SegmentRecalculation.RunWithDependentsAsync(scopes, id, SegmentRunReason.CriteriaChanged, logger, cancellationToken);
        }

        var saved = await db.Set<Segment>().AsNoTracking().FirstAsync(s => s.Id == id, cancellationToken);
        return Result.Ok(await SegmentReach.ResponseAsync(db, saved, cancellationToken), saved.Version);
    }
}
