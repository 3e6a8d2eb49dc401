using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aida.Platform.Http;

/// <summary>Stable RFC 9457 problem types: clients switch on these, never on titles or details.</summary>
public static class ProblemTypes
{
    public const string Validation = "urn:aida:problem:validation";
    public const string NotFound = "urn:aida:problem:not-found";
    public const string Conflict = "urn:aida:problem:conflict";
    public const string Duplicate = "urn:aida:problem:possible-duplicate";
    public const string PreconditionFailed = "urn:aida:problem:precondition-failed";
    public const string MalformedRequest = "urn:aida:problem:malformed-request";
    public const string PayloadTooLarge = "urn:aida:problem:payload-too-large";
    public const string UnsupportedMediaType = "urn:aida:problem:unsupported-media-type";
    public const string IdempotencyKeyReused = "urn:aida:problem:idempotency-key-reused";
    public const string MethodNotAllowed = "urn:aida:problem:method-not-allowed";
    public const string Unauthorized = "urn:aida:problem:unauthorized";
    public const string Forbidden = "urn:aida:problem:forbidden";
    public const string TooManyRequests = "urn:aida:problem:too-many-requests";
    public const string Internal = "urn:aida:problem:internal";

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => MalformedRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => TooManyRequests,
        _ => Internal,
    };
}

public static class Problems
{
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail ?? "One or more fields are invalid.",
            type: ProblemTypes.Validation, title: "The request is invalid.");

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem InvalidIfMatch() =>
        Validation("If-Match", "Must be an ETag from this API, e.g. \"3\", or *.");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(new ProblemDetails
        {
            Type = ProblemTypes.NotFound,
            Title = "Not found.",
            Status = StatusCodes.Status404NotFound,
            Detail = $"No {what} with that id exists.",
        });

    public static ProblemHttpResult Conflict(string field, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Type = ProblemTypes.Conflict,
            Title = "The request conflicts with the current state.",
            Status = StatusCodes.Status409Conflict,
            Detail = detail,
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } },
        });

    /// <summary>403 naming <paramref name="field"/>: the actor may use the route but not set this field.</summary>
    public static ProblemHttpResult Forbidden(string field, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Type = ProblemTypes.Forbidden,
            Title = "You are not allowed to do this.",
            Status = StatusCodes.Status403Forbidden,
            Detail = detail,
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } },
        });

    public static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        TypedResults.Problem(new ProblemDetails
        {
            Type = ProblemTypes.PreconditionFailed,
            Title = "The record was changed by someone else.",
            Status = StatusCodes.Status412PreconditionFailed,
            Detail = "The If-Match version is not the current one. Fetch the record again and reapply your change.",
            Extensions = { ["currentVersion"] = currentVersion },
        });
}
