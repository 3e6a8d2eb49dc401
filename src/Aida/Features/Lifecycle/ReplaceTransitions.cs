namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>PUT /api/v1/lifecycle/transitions</c> (admin.settings): the whole table of allowed moves at once, as
/// an administrator edits it on one screen. Rules kept keep their ids; the table is replaced in one save
/// and announced as one <c>lifecycle_transitions.replaced</c> event.
/// </summary>
public static class ReplaceTransitions
{
    public sealed record Rule(Guid? FromStageId, Guid? ToStageId, bool? RequiresApproval);

    public sealed record Request(IReadOnlyList<Rule>? Rules);

    public static async Task<Results<Ok<IReadOnlyList<TransitionResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToOk();

    public static async Task<Result<IReadOnlyList<TransitionResponse>>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Rules is null)
        {
            errors.Add("rules", "Is required: the list of allowed moves (it may be empty).");
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var wanted = new Dictionary<(Guid From, Guid To), bool>();
        for (var i = 0; i < request.Rules.Count; i++)
        {
            var field = $"rules[{i}]";
            if (request.Rules[i] is not { } rule)
            {
                errors.Add(field, "Must be a rule object.");
                continue;
            }

            if (rule.FromStageId is not { } from || stages.Live(from) is null)
            {
                errors.Add(field + ".fromStageId", "Must be the id of a stage.");
                continue;
            }

            if (rule.ToStageId is not { } to || stages.Live(to) is null)
            {
                errors.Add(field + ".toStageId", "Must be the id of a stage.");
                continue;
            }

            if (from == to)
            {
                errors.Add(field + ".toStageId", "Must differ from fromStageId: staying in a stage is not a move.");
            }
            else if (!wanted.TryAdd((from, to), rule.RequiresApproval == true))
            {
                errors.Add(field, "Repeats an earlier rule for the same two stages.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var current = await db.Set<StageTransitionRule>().ToListAsync(cancellationToken);
        foreach (var rule in current)
        {
            if (wanted.Remove((rule.FromStageId, rule.ToStageId), out var requiresApproval))
            {
                rule.RequiresApproval = requiresApproval;
            }
            else
            {
                db.Remove(rule);
            }
        }

        foreach (var ((from, to), requiresApproval) in wanted)
        {
            db.Add(new StageTransitionRule { FromStageId = from, ToStageId = to, RequiresApproval = requiresApproval });
        }

        db.Publish("lifecycle_transitions.replaced", "lifecycle-transitions", () => new { rules = request.Rules.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await ListTransitions.RunAsync(db, cancellationToken));
    }
}
