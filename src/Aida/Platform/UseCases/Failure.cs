namespace Aida.Platform.UseCases;

/// <summary>
/// Why a use case refused, in the domain's words. Each kind knows the HTTP status and problem type it is
/// reported with, so the API and the pages agree without either decoding the other's results. A feature
/// with a refusal of its own (a possible duplicate with its candidates) derives from this.
/// <paramref name="Field"/> names the field the refusal is about, when there is one: the API's problem then
/// carries it under "errors" and a form shows it beside that input.
/// </summary>
public abstract record Failure(string Detail, string? Field = null)
{
    /// <summary>The status an API answer or a re-rendered page carries.</summary>
    public abstract int StatusCode { get; }

    /// <summary>The RFC 9457 problem type clients switch on (ProblemTypes).</summary>
    public abstract string ProblemType { get; }

    public abstract string Title { get; }

    /// <summary>Messages keyed by field; a refusal that names no field is kept under "" (shown above a form).</summary>
    public virtual IReadOnlyDictionary<string, string[]> FieldErrors =>
        new Dictionary<string, string[]> { [Field ?? ""] = [Detail] };

    /// <summary>Problem members beyond type, title, status, detail and errors (e.g. the current version of a stale record).</summary>
    public virtual IReadOnlyDictionary<string, object?> Extensions => new Dictionary<string, object?>();

    /// <summary>400: fields that break a rule, each with its messages.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors, string Detail = Invalid.DefaultDetail) : Failure(Detail)
    {
        public const string DefaultDetail = "One or more fields are invalid.";

        public Invalid(string field, string message)
            : this(new Dictionary<string, string[]> { [field] = [message] })
        {
        }

        public override int StatusCode => 400;

        public override string ProblemType => ProblemTypes.Validation;

        public override string Title => "The request is invalid.";

        public override IReadOnlyDictionary<string, string[]> FieldErrors => Errors.Count > 0 ? Errors : base.FieldErrors;

        /// <summary>The If-Match header (or a form's version) is not an ETag this API gave out.</summary>
        public static Invalid IfMatch() => new("If-Match", "Must be an ETag from this API, e.g. \"3\", or *.");
    }

    /// <summary>404: no such record, or not one the actor may see (never tell which).</summary>
    public sealed record NotFound(string What) : Failure($"No {What} with that id exists.")
    {
        public override int StatusCode => 404;

        public override string ProblemType => ProblemTypes.NotFound;

        public override string Title => "Not found.";
    }

    /// <summary>412: the change was based on a version that is no longer current.</summary>
    public sealed record Stale(int CurrentVersion)
        : Failure("The If-Match version is not the current one. Fetch the record again and reapply your change.")
    {
        public override int StatusCode => 412;

        public override string ProblemType => ProblemTypes.PreconditionFailed;

        public override string Title => "The record was changed by someone else.";

        public override IReadOnlyDictionary<string, object?> Extensions => new Dictionary<string, object?> { ["currentVersion"] = CurrentVersion };
    }

    /// <summary>409: the request is valid but conflicts with what is stored (a taken external id, a loop, a closed deal).</summary>
    public sealed record Conflict(string Field, string Message) : Failure(Message, Field)
    {
        public override int StatusCode => 409;

        public override string ProblemType => ProblemTypes.Conflict;

        public override string Title => "The request conflicts with the current state.";
    }

    /// <summary>403 naming a field: the actor may use the route but not set this field.</summary>
    public sealed record Forbidden(string Field, string Message) : Failure(Message, Field)
    {
        public override int StatusCode => 403;

        public override string ProblemType => ProblemTypes.Forbidden;

        public override string Title => "You are not allowed to do this.";
    }
}
