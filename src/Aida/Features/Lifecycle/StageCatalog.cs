namespace Aida.Features.Lifecycle;

/// <summary>
/// Every stage, deleted ones too (history and requests still name them), and the transition rules:
/// a few dozen rows read once per request that needs them, instead of a join per history entry.
/// </summary>
public sealed class StageCatalog
{
    private readonly Dictionary<Guid, LifecycleStage> _stages;
    private readonly ILookup<Guid, StageTransitionRule> _rulesFrom;

    private StageCatalog(IEnumerable<LifecycleStage> stages, IEnumerable<StageTransitionRule> rules)
    {
        _stages = stages.ToDictionary(s => s.Id);
        _rulesFrom = rules.ToLookup(r => r.FromStageId);
    }

    public static async Task<StageCatalog> LoadAsync(AidaDb db, CancellationToken cancellationToken) =>
        new(await db.Set<LifecycleStage>().IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken),
            await db.Set<StageTransitionRule>().AsNoTracking().ToListAsync(cancellationToken));

    public LifecycleStage this[Guid id] => _stages[id];

    /// <summary>The live stage with this id, if any.</summary>
    public LifecycleStage? Live(Guid id) => _stages.TryGetValue(id, out var stage) && !stage.IsDeleted ? stage : null;

    public StageSummary Summary(Guid id) => _stages[id].ToSummary();

    /// <summary>The live stages in display order, inactive ones too, as <see cref="ListStages"/> answers them.</summary>
    public IReadOnlyList<LifecycleStageResponse> LiveStages() =>
        _stages.Values.Where(s => !s.IsDeleted).OrderBy(s => s.DisplayOrder).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => s.ToResponse()).ToList();

    /// <summary>Every transition rule, in stage order, as <see cref="ListTransitions"/> answers them.</summary>
    public IReadOnlyList<TransitionResponse> Transitions() =>
        _rulesFrom.SelectMany(rules => rules)
            .OrderBy(r => _stages[r.FromStageId].DisplayOrder).ThenBy(r => _stages[r.ToStageId].DisplayOrder)
            .Select(r => new TransitionResponse(r.Id, Summary(r.FromStageId), Summary(r.ToStageId), r.RequiresApproval))
            .ToList();

    public StageTransitionRule? Rule(Guid from, Guid to) => _rulesFrom[from].FirstOrDefault(r => r.ToStageId == to);

    /// <summary>The moves allowed from <paramref name="from"/> into live, active stages, in stage order.</summary>
    public IReadOnlyList<AllowedMove> MovesFrom(Guid from) =>
        _rulesFrom[from]
            .Select(r => (Rule: r, Stage: Live(r.ToStageId)))
            .Where(x => x.Stage is { IsActive: true })
            .OrderBy(x => x.Stage!.DisplayOrder).ThenBy(x => x.Stage!.Name, StringComparer.Ordinal)
            .Select(x => new AllowedMove(x.Stage!.ToSummary(), x.Rule.RequiresApproval))
            .ToList();
}
