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

/// <summary>The API's problems, for handlers that answer one directly; each says what the matching <see cref="Failure"/> says.</summary>
public static class Problems
{
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        new Failure.Invalid(new Dictionary<string, string[]>(errors), detail ?? Failure.Invalid.DefaultDetail).ToValidationProblem();

    public static ValidationProblem Validation(string field, string message) => new Failure.Invalid(field, message).ToValidationProblem();

    public static ValidationProblem InvalidIfMatch() => Failure.Invalid.IfMatch().ToValidationProblem();

    public static ProblemHttpResult NotFound(string what) => new Failure.NotFound(what).ToProblem();

    public static ProblemHttpResult Conflict(string field, string detail) => new Failure.Conflict(field, detail).ToProblem();

    /// <summary>403 naming <paramref name="field"/>: the actor may use the route but not set this field.</summary>
    public static ProblemHttpResult Forbidden(string field, string detail) => new Failure.Forbidden(field, detail).ToProblem();

    public static ProblemHttpResult PreconditionFailed(int currentVersion) => new Failure.Stale(currentVersion).ToProblem();
}
