using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Aida.Platform.Http;

/// <summary>
/// The one place exceptions become responses. Malformed bodies, wrong JSON types and unbindable query
/// values are the client's mistake (4xx naming the field); a lost optimistic-concurrency race is 412;
/// a unique index hit by a race is 409. Anything else is a bug: logged with the trace id, answered 500.
/// </summary>
public sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var problem = ToProblem(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
        {
            Type = ProblemTypes.UnsupportedMediaType,
            Title = "Unsupported media type.",
            Status = StatusCodes.Status415UnsupportedMediaType,
            Detail = "Send the body as application/json.",
        },
        BadHttpRequestException bad => FromBinding(bad),
        DbUpdateConcurrencyException => new ProblemDetails
        {
            Type = ProblemTypes.PreconditionFailed,
            Title = "The record was changed by someone else.",
            Status = StatusCodes.Status412PreconditionFailed,
            Detail = "Another change was saved first. Fetch the record again and reapply your change.",
        },
        DbUpdateException db when DbErrors.IsUniqueViolation(db, out var field, out var message) =>
            Validationish(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The request conflicts with the current state.", field, message),
        DbUpdateException db when DbErrors.IsForeignKeyViolation(db) => new ProblemDetails
        {
            Type = ProblemTypes.Conflict,
            Title = "The request conflicts with the current state.",
            Status = StatusCodes.Status409Conflict,
            Detail = "A record this change refers to no longer exists.",
        },
        _ => new ProblemDetails
        {
            Type = ProblemTypes.Internal,
            Title = "An unexpected error occurred.",
            Status = StatusCodes.Status500InternalServerError,
            Detail = "The error was logged. Quote the trace id when reporting it.",
        },
    };

    public static ProblemDetails TooLarge(long? limit = null) => new()
    {
        Type = ProblemTypes.PayloadTooLarge,
        Title = "The request body is too large.",
        Status = StatusCodes.Status413PayloadTooLarge,
        Detail = limit is null ? "The request body exceeds the size limit." : $"The request body exceeds the limit of {limit} bytes.",
    };

    private static ProblemDetails FromJson(JsonException json)
    {
        var field = FieldFromPath(json.Path);
        var text = StripPosition(json.Message);

        // System.Text.Json's reader reports syntax errors with this internal subtype; only the body as a whole is at fault.
        if (IsSyntaxError(json) || json.Path is null)
        {
            return Validationish(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest,
                "The request body is not valid JSON.", "body", text);
        }

        var message = text switch
        {
            _ when text.StartsWith("The JSON property", StringComparison.Ordinal) => "Is not a known field.",
            _ when text.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal) =>
                $"Has the wrong type: expected {Describe(text)}.",
            _ when text.StartsWith("The JSON object contains a trailing comma", StringComparison.Ordinal) ||
                   text.Contains("invalid", StringComparison.OrdinalIgnoreCase) && text.Contains("token", StringComparison.OrdinalIgnoreCase) =>
                "Is not valid JSON here.",
            _ => text,
        };
        return Validationish(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The request is invalid.", field, message);
    }

    private static bool IsSyntaxError(JsonException json) =>
        json.GetType().Name == "JsonReaderException" || json.InnerException?.GetType().Name == "JsonReaderException";

    private static ProblemDetails FromBinding(BadHttpRequestException bad)
    {
        var match = FailedToBind().Match(bad.Message);
        if (match.Success)
        {
            return Validationish(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The request is invalid.",
                JsonNamingPolicy.CamelCase.ConvertName(match.Groups["name"].Value),
                $"'{match.Groups["value"].Value}' is not {Friendly(match.Groups["type"].Value)}.");
        }

        if (bad.Message.Contains("was not provided", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return Validationish(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "The request body is missing.",
                "body", "A JSON request body is required.");
        }

        return new ProblemDetails
        {
            Type = ProblemTypes.MalformedRequest,
            Title = "The request is malformed.",
            Status = bad.StatusCode,
            Detail = bad.Message,
        };
    }

    private static ProblemDetails Validationish(int status, string type, string title, string field, string message) =>
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Type = type,
            Title = title,
            Status = status,
            Detail = $"{field}: {message}",
        };

    /// <summary>"$.addresses[0].country" → "addresses[0].country"; the root is "body".</summary>
    public static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static string Describe(string message)
    {
        var typeName = message["The JSON value could not be converted to ".Length..].TrimEnd('.');
        return Friendly(typeName);
    }

    private static string Friendly(string typeName)
    {
        var t = typeName.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        if (t.StartsWith("Nullable<", StringComparison.Ordinal))
        {
            t = t["Nullable<".Length..].TrimEnd('>');
        }

        t = t[(t.LastIndexOf('.') + 1)..].TrimEnd('?');
        return t switch
        {
            "String" or "string" => "a string",
            "Int32" or "Int64" or "int" or "long" => "a whole number",
            "Decimal" or "Double" or "decimal" or "double" => "a number",
            "Boolean" or "bool" => "true or false",
            "Guid" => "a UUID",
            "DateTime" or "DateTimeOffset" => "an ISO 8601 date-time",
            "DateOnly" => "a date (YYYY-MM-DD)",
            _ when t.EndsWith("[]", StringComparison.Ordinal) || t.StartsWith("List`1", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex FailedToBind();
}
