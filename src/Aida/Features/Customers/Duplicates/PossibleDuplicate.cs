namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// 409: existing customers match the new one closely (WF-CM-001 step 4). The candidates travel with the
/// refusal so the API can list them and the form can offer to open one or create anyway.
/// </summary>
public sealed record PossibleDuplicate(IReadOnlyList<DuplicateCandidate> Candidates)
    : Failure("Existing customers match closely. Open one of them, or repeat the request with allowDuplicate=true to create it anyway.")
{
    public override int StatusCode => StatusCodes.Status409Conflict;

    public override string ProblemType => ProblemTypes.Duplicate;

    public override string Title => "This customer may already exist.";

    public override IReadOnlyDictionary<string, object?> Extensions => new Dictionary<string, object?> { ["candidates"] = Candidates };
}
