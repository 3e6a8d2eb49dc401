using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aida.Platform.Ui;

/// <summary>
/// What a feature handler answered, read back by a page. Pages call the same handlers as the API
/// (ARCHITECTURE.md: the UI calls handlers in-process), so every rule, check and audit entry is shared;
/// this turns the handler's typed result into a value, or field errors to show beside the inputs.
/// </summary>
public sealed record Outcome<T>(T? Value, int Status, string? ProblemType, string? Detail, IReadOnlyDictionary<string, string[]> Errors, IDictionary<string, object?> Extensions)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public bool IsStale => ProblemType == ProblemTypes.PreconditionFailed;

    public bool IsNotFound => Status == StatusCodes.Status404NotFound;

    public bool IsDuplicate => ProblemType == ProblemTypes.Duplicate;

    /// <summary>The errors keyed by field, with a problem that names no field kept under "" (shown above the form).</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors =>
        Errors.Count > 0 || Succeeded || Detail is null ? Errors : new Dictionary<string, string[]> { [""] = [Detail] };
}

public static class Outcome
{
    public static Outcome<T> Of<T>(IResult result)
    {
        var empty = new Dictionary<string, string[]>();
        switch (result)
        {
            case INestedHttpResult nested:
                // A handler's Results<A, B, …>: the outcome is the result inside.
                return Of<T>(nested.Result);
            case ValidationProblem validation:
                return new Outcome<T>(default, validation.StatusCode, validation.ProblemDetails.Type, validation.ProblemDetails.Detail,
                    new Dictionary<string, string[]>(validation.ProblemDetails.Errors), validation.ProblemDetails.Extensions);
            case ProblemHttpResult problem:
                var details = problem.ProblemDetails;
                var errors = details.Extensions.TryGetValue("errors", out var e) && e is IDictionary<string, string[]> named
                    ? new Dictionary<string, string[]>(named)
                    : empty;
                return new Outcome<T>(default, problem.StatusCode, details.Type, details.Detail, errors, details.Extensions);
            case IValueHttpResult<T> value and IStatusCodeHttpResult status:
                return new Outcome<T>(value.Value, status.StatusCode ?? StatusCodes.Status200OK, null, null, empty, new Dictionary<string, object?>());
            case IStatusCodeHttpResult status:
                return new Outcome<T>(default, status.StatusCode ?? StatusCodes.Status200OK, null, null, empty, new Dictionary<string, object?>());
            default:
                throw new InvalidOperationException($"A handler answered {result.GetType().Name}, which pages do not understand.");
        }
    }
}
