using System.Collections.Concurrent;
using System.Reflection;

namespace Aida.Platform.Http;

/// <summary>
/// Holds query strings to the rules bodies obey, before any endpoint runs: every value is text by
/// <see cref="TextInput"/>, and every date or time an endpoint binds from the query lies within
/// <see cref="AcceptedDates"/>. A value the framework cannot parse at all is left to binding, which
/// already answers 400 naming it; values a handler parses itself are checked where it parses them
/// (<see cref="QueryValues"/>, <see cref="Ui.FormValues"/>).
/// </summary>
public sealed class QueryInputMiddleware(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<MethodInfo, (string Name, Type Type)[]> DateParameters = new();

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var errors = new ValidationErrors();
        foreach (var (key, values) in context.Request.Query)
        {
            if (TextInput.Problem(key) is { } keyProblem)
            {
                errors.Add("query", keyProblem);
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && TextInput.Problem(value) is { } problem)
                {
                    errors.Add(key, problem);
                }
            }
        }

        if (!errors.Any && context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            foreach (var (name, type) in DateParameters.GetOrAdd(handler, FindDateParameters))
            {
                if (context.Request.Query[name] is { Count: > 0 } given && Parse(given.ToString(), type) is { } date && !AcceptedDates.Contains(date))
                {
                    errors.Add(name, AcceptedDates.Message);
                }
            }
        }

        if (!errors.Any)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(errors.ToDictionary())
            {
                Type = ProblemTypes.Validation,
                Title = "The request is invalid.",
                Status = StatusCodes.Status400BadRequest,
                Detail = "One or more fields are invalid.",
            },
        });
    }

    private static object? Parse(string text, Type type) => type switch
    {
        _ when type == typeof(DateOnly) => DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var date) ? date : null,
        _ => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null,
    };

    /// <summary>The handler's date and time parameters bound from the query, including those inside [AsParameters] records.</summary>
    private static (string Name, Type Type)[] FindDateParameters(MethodInfo handler)
    {
        var found = new List<(string, Type)>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                found.AddRange(parameter.ParameterType.GetProperties()
                    .Where(p => IsDate(p.PropertyType) && !NotFromQuery(p))
                    .Select(p => (QueryName(p.GetCustomAttribute<FromQueryAttribute>(), p.Name), DateType(p.PropertyType))));
            }
            else if (IsDate(parameter.ParameterType) && !NotFromQuery(parameter))
            {
                found.Add((QueryName(parameter.GetCustomAttribute<FromQueryAttribute>(), parameter.Name!), DateType(parameter.ParameterType)));
            }
        }

        return [.. found];
    }

    private static bool NotFromQuery(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(true).Any(a => a is FromRouteAttribute or FromBodyAttribute or FromHeaderAttribute or FromFormAttribute or FromServicesAttribute);

    private static string QueryName(FromQueryAttribute? attribute, string name) =>
        attribute?.Name ?? char.ToLowerInvariant(name[0]) + name[1..];

    private static Type DateType(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static bool IsDate(Type type) => DateType(type) is var t && (t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly));
}
