namespace Aida.Features.Deals;

/// <summary>A stage as a pipeline write sends it; <c>id</c> names an existing stage (PATCH), none adds one.</summary>
public sealed record StageInput(Guid? Id, string? Name, string? Code, int? Probability, StageKind? Kind);

/// <summary>The shape every pipeline must keep: named stages, at least one open, exactly one won and one lost, codes unique.</summary>
public static class PipelineRules
{
    public const int MaxStages = 30;

    /// <summary>A valid stage; <see cref="CodeSent"/> tells a code chosen by the client from one made from the name.</summary>
    public sealed record CheckedStage(Guid? Id, string Name, string Code, int Probability, StageKind Kind, bool CodeSent);

    public static List<CheckedStage> Stages(ValidationErrors errors, IReadOnlyList<StageInput>? stages)
    {
        var result = new List<CheckedStage>();
        if (stages is null || stages.Count == 0)
        {
            errors.Add("stages", "Is required: the stages in order, with at least one open stage, one won and one lost stage.");
            return result;
        }

        if (stages.Count > MaxStages)
        {
            errors.Add("stages", $"A pipeline has at most {MaxStages} stages.");
            return result;
        }

        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var field = $"stages[{i}]";
            if (stage is null)
            {
                errors.Add(field, "Must be a stage.");
                continue;
            }

            var name = errors.RequiredText(field + ".name", stage.Name, PipelineStage.NameMaxLength);
            var kind = stage.Kind ?? StageKind.Open;
            var code = stage.Code is null ? Codes.FromName(name ?? "", PipelineStage.CodeMaxLength) : stage.Code.Trim();
            if (code.Length == 0 || code.Length > PipelineStage.CodeMaxLength || !code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                errors.Add(field + ".code", $"Must be 1 to {PipelineStage.CodeMaxLength} lower-case letters, digits or underscores, e.g. demo_booked.");
            }

            var probability = stage.Probability ?? kind switch { StageKind.Won => 100, StageKind.Lost => 0, _ => (int?)null };
            if (probability is null)
            {
                errors.Add(field + ".probability", "Is required: 0 to 100, the chance a deal in this stage is won.");
            }
            else if (probability is < 0 or > 100)
            {
                errors.Add(field + ".probability", "Must be between 0 and 100.");
            }

            result.Add(new CheckedStage(stage.Id, name ?? "", code, probability ?? 0, kind, stage.Code is not null));
        }

        if (!result.Any(s => s.Kind == StageKind.Open))
        {
            errors.Add("stages", "Needs at least one open stage for deals to work in.");
        }

        if (result.Count(s => s.Kind == StageKind.Won) != 1 || result.Count(s => s.Kind == StageKind.Lost) != 1)
        {
            errors.Add("stages", "Needs exactly one won stage and exactly one lost stage.");
        }

        // An existing stage sent without a code keeps its own, so only codes that will be stored are compared.
        foreach (var duplicate in result.Where(s => s.Id is null || s.CodeSent).GroupBy(s => s.Code, StringComparer.Ordinal).Where(g => g.Count() > 1 && g.Key.Length > 0))
        {
            errors.Add("stages", $"The code '{duplicate.Key}' is used by more than one stage.");
        }

        foreach (var duplicate in result.Where(s => s.Id is not null).GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            errors.Add("stages", $"The stage {duplicate.Key} is listed more than once.");
        }

        return result;
    }

    public static string? Name(ValidationErrors errors, string? name) => errors.RequiredText("name", name, Pipeline.NameMaxLength);
}
