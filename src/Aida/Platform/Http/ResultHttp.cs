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

    /// <summary>An answer that is not one versioned record (a page of a list), so it carries no ETag.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToOk<T>(this Result<T> result)
    {
        Unversioned(result);
        return result.Failure switch
        {
            null => TypedResults.Ok(result.Value),
            Failure.Invalid invalid => invalid.ToValidationProblem(),
            var failure => failure.ToProblem(),
        };
    }

    /// <summary>A read of one record: it with its ETag, or why there is none. A read takes nothing that could be invalid.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOkOrProblem<T>(this Result<T> result, HttpResponse response)
    {
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        SetETag(result, response);
        return TypedResults.Ok(result.Value);
    }

    /// <summary>A query that can be refused only for its parameters (a list): the answer, or the validation problem.</summary>
    public static Results<Ok<T>, ValidationProblem> ToOkOrInvalid<T>(this Result<T> result)
    {
        Unversioned(result);
        return result.Failure switch
        {
            null => TypedResults.Ok(result.Value),
            Failure.Invalid invalid => invalid.ToValidationProblem(),
            var failure => throw new InvalidOperationException($"A query answered {failure.GetType().Name}, which its endpoint does not declare."),
        };
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> ToNoContent<T>(this Result<T> result) =>
        result.Failure switch
        {
            null => TypedResults.NoContent(),
            Failure.Invalid invalid => invalid.ToValidationProblem(),
            var failure => failure.ToProblem(),
        };

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

    /// <summary>A versioned answer must be mapped with the response, or its ETag would be silently lost.</summary>
    private static void Unversioned<T>(Result<T> result)
    {
        if (result.Version is not null)
        {
            throw new InvalidOperationException("A versioned answer carries an ETag: map it with the HttpResponse.");
        }
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
