using Aida.Platform.UseCases;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aida.Platform.Http;

/// <summary>
/// The thin HTTP half of a use case: its <see cref="Result{T}"/> as a typed answer (so OpenAPI sees every
/// outcome), with the ETag of the record's version and RFC 9457 problems for every <see cref="Failure"/>.
/// </summary>
public static class ResultHttp
{
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToOk<T>(this Result<T> result, HttpResponse response)
    {
        if (result.Failure is Failure.Invalid invalid)
        {
            return invalid.ToValidationProblem();
        }

        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        SetETag(result, response);
        return TypedResults.Ok(result.Value);
    }

    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated<T>(this Result<T> result, HttpResponse response, Func<T, string> location)
    {
        if (result.Failure is Failure.Invalid invalid)
        {
            return invalid.ToValidationProblem();
        }

        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        SetETag(result, response);
        return TypedResults.Created(location(result.Value!), result.Value);
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> ToNoContent<T>(this Result<T> result) =>
        result.Failure switch
        {
            null => TypedResults.NoContent(),
            Failure.Invalid invalid => invalid.ToValidationProblem(),
            var failure => failure.ToProblem(),
        };

    /// <summary>A read by id: nothing in the request can be invalid, so any failure (not found) is a problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOkOrProblem<T>(this Result<T> result, HttpResponse response)
    {
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        SetETag(result, response);
        return TypedResults.Ok(result.Value);
    }

    /// <summary>
    /// A list or report: its only refusal is invalid input (anything else is a bug), and its answer is not
    /// one versioned record, so it has no ETag.
    /// </summary>
    public static Results<Ok<T>, ValidationProblem> ToOkOrInvalid<T>(this Result<T> result) =>
        result.Failure is { } failure ? OnlyInvalid(failure).ToValidationProblem() : TypedResults.Ok(result.Value);

    /// <summary>A create whose only refusal is invalid input; anything else is a bug.</summary>
    public static Results<Created<T>, ValidationProblem> ToCreatedOrInvalid<T>(this Result<T> result, HttpResponse response, Func<T, string> location)
    {
        if (result.Failure is { } failure)
        {
            return OnlyInvalid(failure).ToValidationProblem();
        }

        SetETag(result, response);
        return TypedResults.Created(location(result.Value!), result.Value);
    }

    /// <summary>Validation problems keep their own shape (and OpenAPI schema): errors as a member of the problem.</summary>
    public static ValidationProblem ToValidationProblem(this Failure.Invalid invalid) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(invalid.Errors), invalid.Detail, type: invalid.ProblemType, title: invalid.Title);

    /// <summary>Any refusal as a problem; prefer <see cref="ToValidationProblem"/> for <see cref="Failure.Invalid"/> where the answer is typed.</summary>

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var details = new ProblemDetails
        {
            Type = failure.ProblemType,
            Title = failure.Title,
            Status = failure.StatusCode,
            Detail = failure.Detail,
        };
        if (failure.Field is not null)
        {
            details.Extensions["errors"] = failure.FieldErrors;
        }

        foreach (var (name, value) in failure.Extensions)
        {
            details.Extensions[name] = value;
        }

        return TypedResults.Problem(details);
    }

    private static Failure.Invalid OnlyInvalid(Failure failure) =>
        failure as Failure.Invalid
        ?? throw new InvalidOperationException($"This answer has no room for {failure.GetType().Name}: its use case may only refuse invalid input.");

    private static void SetETag<T>(Result<T> result, HttpResponse response)
    {
        if (result.Version is { } version)
        {
            ETags.Set(response, version);
        }
    }
}
