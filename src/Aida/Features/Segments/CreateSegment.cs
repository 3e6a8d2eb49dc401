namespace Aida.Features.Segments;

/// <summary>
/// <c>POST /api/v1/segments</c> (segments.manage): a static or dynamic segment. Bad criteria are refused with
/// 400 naming the JSON path (<c>criteria.all[1].operator</c>) and nothing is saved. A dynamic segment is
/// evaluated in full right after it is saved; should that fail, it is saved all the same and the next
/// scheduled run evaluates it (<c>needsFullRun</c>).
/// </summary>
public static class CreateSegment
{
    public sealed record Request(
        string? Name,
        string? Description,
        SegmentType? Type,
        JsonElement? Criteria,
        int? Priority,
        string? ExclusionGroup,
        bool? IsActive);

    public static async Task<Results<Created<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, IServiceScopeFactory scopes, ILogger<Segment> logger, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, scopes, logger, cancellationToken)).ToCreated(response, created => $"/api/v1/segments/{created.Id}");

    public static async Task<Result<SegmentResponse>> RunAsync(Request request, AidaDb db, IServiceScopeFactory scopes, ILogger logger, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, Segment.NameMaxLength);
        var description = errors.OptionalText("description", request.Description, Segment.DescriptionMaxLength);
        var group = SegmentRules.ExclusionGroup(errors, request.ExclusionGroup);
        CriteriaNode? criteria = null;
        switch (request.Type)
        {
            case null:
                errors.Add("type", "Is required: static (members added by hand) or dynamic (members follow criteria).");
                break;
            case SegmentType.Static:
                if (request.Criteria is { ValueKind: not JsonValueKind.Null })
                {
                    errors.Add("criteria", "A static segment has no criteria: its members are added by hand.");
                }

                if (group is not null)
                {
                    errors.Add("exclusionGroup", "Only dynamic segments take part in exclusion groups.");
                }

                break;
            default:
                if (request.Criteria is not { ValueKind: not JsonValueKind.Null } element)
                {
                    errors.Add("criteria", "Is required for a dynamic segment, e.g. {\"all\": [{\"field\": \"customer.status\", \"operator\": \"eq\", \"value\": \"active\"}]}.");
                }
                else
                {
                    criteria = await SegmentRules.CriteriaAsync(db, errors, element, null, cancellationToken);
                }

                break;
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var segment = new Segment
        {
            Name = name!,
            Description = description,
            Type = request.Type!.Value,
            Criteria = criteria is null ? null : request.Criteria!.Value.GetRawText(),
            Priority = request.Priority ?? 0,
            ExclusionGroup = group,
            IsActive = request.IsActive ?? true,
            NeedsFullRun = request.Type == SegmentType.Dynamic,
            CreatedBy = db.Operation.ActorId,
        };
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            if (await SegmentRules.UniqueNameAsync(db, segment.Name, null, cancellationToken) is { } taken)
            {
                return taken;
            }

            db.Add(segment);
            db.Publish("segment.created", SegmentMapping.Subject(segment.Id), () => new { segmentId = segment.Id, segment.Name, type = EnumText<SegmentType>.ToText(segment.Type) });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (segment.Type == SegmentType.Dynamic)
        {
            await SegmentRecalculation.RunWithDependentsAsync(scopes, segment.Id, SegmentRunReason.Created, logger, cancellationToken);
        }

        var saved = await db.Set<Segment>().AsNoTracking().FirstAsync(s => s.Id == segment.Id, cancellationToken);
        return Result.Ok(await SegmentReach.ResponseAsync(db, saved, cancellationToken), saved.Version);
    }
}
