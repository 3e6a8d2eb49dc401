using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Aida.Platform.Http;

/// <summary>
/// Teaches the OpenAPI generator what our HTTP contract does by hand, so the document is true for
/// generated clients: enums spelled as in the spec, PATCH fields wrapped in <see cref="Optional{T}"/>
/// (documented as the plain type), one schema per type, the bearer token on every operation that needs
/// it, and the problem+json answers every operation can give. It is linted with Redocly's recommended
/// rules and checked against the test suite's real requests and responses (tests/Aida.Tests).
/// </summary>
public static class OpenApiConventions
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "Problem";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = SchemaIds.For;
        options.AddSchemaTransformer(TransformSchema);
        options.AddOperationTransformer(TransformOperation);
        options.AddDocumentTransformer(TransformDocument);
    }

    private static Task TransformDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Aida CRM API";
        document.Info.Description =
            "Errors are RFC 9457 problem+json with a stable `type` and `errors` naming each failing field. " +
            "Lists take `limit` and `cursor` and return `nextCursor`. PATCH is merge-patch: absent fields are kept, null clears; " +
            "send the ETag in `If-Match` to refuse the change (412) if someone saved first. " +
            "Every operation needs an API token: `Authorization: Bearer aida_…`.";

        // The generator writes the request's base address with a trailing slash; paths start with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "aida_…",
            Description = "An API token, created with `aida token create` or on the profile page.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        // Replaced by Problem on every operation (TransformOperation); it forbade our extension members.
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
        document.Components.Schemas.Remove("ProblemDetails");

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }

        RequestSchemas.LoosenRequired(document);
        foreach (var schema in (document.Components.Schemas.Values).OfType<OpenApiSchema>())
        {
            DropRedundantNull(schema, document, []);
        }
        return Task.CompletedTask;
    }

    private static Task TransformOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var writes = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || authorize.Count == 0;

        operation.Security = anonymous
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

        var parameters = operation.Parameters ?? [];
        if (metadata.OfType<IdempotentEndpoint>().Any() && HttpMethods.IsPost(method))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.Header,
                In = ParameterLocation.Header,
                Description = "Makes a retried POST safe: the same key with the same body within 24 hours replays the first answer instead of acting again.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
            });
        }

        operation.Responses ??= [];
        var responses = operation.Responses;
        var hasInput = operation.RequestBody is not null || parameters.Any(p => p.In is ParameterLocation.Query or ParameterLocation.Header);
        AddProblem(responses, context, StatusCodes.Status400BadRequest, "The request is malformed or a field is invalid; `errors` names each field.", hasInput);
        AddProblem(responses, context, StatusCodes.Status401Unauthorized, "No valid API token was sent.", !anonymous);
        // Every role may read customers; other permissions, and any change with a read-only token, can be refused.
        var permissions = authorize.Select(a => a.Policy).OfType<string>().Where(p => p.StartsWith(Auth.PermissionRequirement.PolicyPrefix, StringComparison.Ordinal));
        var refusable = writes || permissions.Any(p => p != Auth.PermissionRequirement.PolicyPrefix + Auth.Permissions.CustomersViewOwn);
        AddProblem(responses, context, StatusCodes.Status403Forbidden, "Your role or token may not do this.", !anonymous && refusable);
        AddProblem(responses, context, StatusCodes.Status404NotFound, "No record with that id exists, or you may not see it.", description.RelativePath?.Contains('{', StringComparison.Ordinal) == true);
        // A unique index or a reference hit by a concurrent change is a 409 on any write (ExceptionProblemHandler).
        AddProblem(responses, context, StatusCodes.Status409Conflict, "The change conflicts with the current state.", writes);
        var ifMatch = parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, "If-Match", StringComparison.OrdinalIgnoreCase));
        AddProblem(responses, context, StatusCodes.Status412PreconditionFailed, "The record was changed since the ETag in If-Match.", ifMatch);
        AddProblem(responses, context, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was already used for a different request.",
            metadata.OfType<IdempotentEndpoint>().Any() && HttpMethods.IsPost(method));

        // Whatever the handler declared, every problem answer has the one problem shape.
        foreach (var (status, response) in responses)
        {
            if (response is OpenApiResponse concrete && concrete.Content?.ContainsKey(ProblemJson) == true)
            {
                concrete.Content[ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) };
                if (string.IsNullOrEmpty(concrete.Description) || concrete.Description == ReasonPhrase(status))
                {
                    concrete.Description = ProblemDescriptions.TryGetValue(status, out var better) ? better : concrete.Description;
                }
            }
        }

        responses["default"] = ProblemResponse(context, "Any other problem: payload too large (413), unsupported media type (415), too many requests (429) or an unexpected error (500, with a request id).");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The generator writes a nullable property as oneOf [null, $ref]; where the referenced schema accepts any
    /// JSON (a <see cref="System.Text.Json.JsonElement"/>) null matches both and oneOf rejects it.
    /// </summary>
    private static void DropRedundantNull(OpenApiSchema schema, OpenApiDocument document, HashSet<OpenApiSchema> seen)
    {
        if (!seen.Add(schema))
        {
            return;
        }

        foreach (var (name, property) in (schema.Properties ?? new Dictionary<string, IOpenApiSchema>()).ToList())
        {
            if (property is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.Count(s => s.Type == JsonSchemaType.Null) == 1
                && oneOf.Single(s => s.Type != JsonSchemaType.Null) is { } other && other.Type is null && other.Enum is not { Count: > 0 })
            {
                schema.Properties![name] = other;
            }
        }

        foreach (var child in (schema.Properties?.Values ?? []).Append(schema.Items).Append(schema.AdditionalProperties).OfType<OpenApiSchema>())
        {
            DropRedundantNull(child, document, seen);
        }
    }

    private static readonly Dictionary<string, string> ProblemDescriptions = new()
    {
        ["400"] = "The request is malformed or a field is invalid; `errors` names each field.",
        ["403"] = "Your role or token may not do this.",
        ["404"] = "No record with that id exists, or you may not see it.",
        ["409"] = "The change conflicts with the current state.",
        ["412"] = "The record was changed since the ETag in If-Match.",
        ["428"] = "Send the record's ETag in If-Match.",
    };

    private static string? ReasonPhrase(string status) =>
        int.TryParse(status, out var code) ? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) : null;

    private static void AddProblem(OpenApiResponses responses, OpenApiOperationTransformerContext context, int status, string description, bool applies)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (applies && !responses.ContainsKey(key))
        {
            responses[key] = ProblemResponse(context, description);
        }
    }

    private static OpenApiResponse ProblemResponse(OpenApiOperationTransformerContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
        },
    };

    /// <summary>RFC 9457 as this API writes it (PlatformModule, Problems, ExceptionProblemHandler).</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Switch on `type`; extension members (e.g. `candidates` of a possible duplicate) may be added.",
        Required = new HashSet<string> { "type", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable problem type, e.g. urn:aida:problem:validation." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages by field name (or header name, e.g. If-Match).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = true,
    };

    private static async Task TransformSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var optional = context.JsonTypeInfo.Type.IsGenericType && context.JsonTypeInfo.Type.GetGenericTypeDefinition() == typeof(Optional<>);
        var type = Unwrap(context.JsonTypeInfo.Type, out var nullable);
        // Text runs through ApiJson's own converter, which hides a string property's annotation from the
        // generator: read "string?" from the property itself.
        nullable |= !type.IsValueType && !optional && context.JsonPropertyInfo is { IsGetNullable: true };
        if (type.IsEnum)
        {
            var names = (IEnumerable<string>)typeof(Data.EnumText<>).MakeGenericType(type).GetProperty("AllNames")!.GetValue(null)!;
            // An enum is a component the generator wraps in oneOf [null, $ref] where a property may be null;
            // only an Optional<T> field is inline (SchemaIds) and carries its own null.
            schema.Type = optional && nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Enum = names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
        }
        else if ((context.JsonTypeInfo.Type != type || schema.Type is null) && Primitive(type) is { } primitive)
        {
            schema.Type = nullable ? primitive.Type | JsonSchemaType.Null : primitive.Type;
            schema.Format = primitive.Format;
        }
        else if (optional)
        {
            // A list or object in a PATCH: its value's schema, inline.
            var value = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            schema.Type = nullable ? value.Type | JsonSchemaType.Null : value.Type;
            schema.Items = value.Items;
            schema.Properties = value.Properties;
            schema.AdditionalProperties = value.AdditionalProperties;
            schema.AdditionalPropertiesAllowed = value.AdditionalPropertiesAllowed;
            schema.Required = value.Required;
            schema.Format = value.Format;
        }
    }

    private static Type Unwrap(Type type, out bool nullable)
    {
        nullable = false;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
        {
            type = type.GetGenericArguments()[0];
            nullable = !type.IsValueType;
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            nullable = true;
            type = inner;
        }

        return type;
    }

    private static (JsonSchemaType Type, string? Format)? Primitive(Type type) => type switch
    {
        _ when type == typeof(string) => (JsonSchemaType.String, null),
        _ when type == typeof(Guid) => (JsonSchemaType.String, "uuid"),
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => (JsonSchemaType.String, "date-time"),
        _ when type == typeof(DateOnly) => (JsonSchemaType.String, "date"),
        _ when type == typeof(bool) => (JsonSchemaType.Boolean, null),
        _ when type == typeof(int) || type == typeof(long) => (JsonSchemaType.Integer, null),
        _ when type == typeof(decimal) || type == typeof(double) => (JsonSchemaType.Number, null),
        _ => null,
    };

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Audit"] = "Who changed what and when: the audit log of every change.",
        ["Events"] = "The outbox feed of domain events, in commit order, for integrations that follow changes.",
        ["Users"] = "Users, their roles and teams (administrators).",
        ["Me"] = "The signed-in user and their API tokens.",
        ["Customers"] = "Customers, individuals and organisations, with duplicate detection, soft delete and optimistic concurrency.",
        ["Duplicates"] = "The duplicate review queue: likely duplicate customers as scored clusters to merge, dismiss or defer, and the background scan that finds them.",
        ["Contacts"] = "The people at a customer; one of them is primary.",
        ["Addresses"] = "A customer's addresses; one default per type.",
        ["Accounts"] = "An organisation's account: industry, size, revenue and terms.",
        ["Relationships"] = "Links between customers (parent/child, subsidiary, partner…); hierarchies cannot loop.",
        ["Interactions"] = "Calls, emails, meetings and other touchpoints logged against a customer.",
        ["Notes"] = "Markdown notes on a customer, visible to the author, the team or everyone who can see the customer.",
        ["Activities"] = "Scheduled tasks, calls, meetings and follow-ups with due dates and reminders.",
        ["Communications"] = "Email and SMS messages handed over by integrations, matched to customers and threaded.",
        ["Email"] = "Email Aida sends through its SMTP server: a queue with retries, a per-domain rate, bounces and do-not-contact honoured; templates with placeholders and a preview.",
        ["Timeline"] = "One customer's interactions, completed activities, notes, changes and journey milestones, newest first.",
        ["Search"] = "Full-text search over customers, contacts, interactions and notes.",
        ["Notifications"] = "Reminders and other notices for the signed-in user.",
        ["Leads"] = "Prospects before they are customers: capture, qualification, follow-ups and conversion.",
        ["Web forms"] = "Forms that capture leads from a website, and their embed snippet.",
        ["Lead scoring"] = "Rules that score leads, and rescoring.",
        ["Lead routing"] = "Rules that assign new leads to owners.",
        ["Pipelines"] = "Sales pipelines and their stages.",
        ["Deals"] = "Opportunities moving through a pipeline's stages.",
        ["Forecast"] = "Expected revenue from open deals by period.",
        ["Analytics"] = "Pipeline, funnel, lead source, time-in-stage and win-rate figures.",
        ["Dashboard"] = "The signed-in user's day and period at a glance, in their reach: the home page's figures.",
        ["Jobs"] = "The background jobs (reminders, deliveries, clean-ups): their last and next runs, and \"run now\". Administrators only.",
        ["Lifecycle"] = "Customer lifecycle: stages, allowed moves, each customer's stage and history, approvals.",
        ["Customer value"] = "Purchases and refunds from accounting or booking systems, each customer's value figures, high-value customers, and journey milestones.",
        ["Scoring"] = "Customer scores (health, engagement, value, churn risk, upsell), scoring rules, recalculation runs and the health dashboard.",
        ["Segments"] = "Static and dynamic customer segments: criteria, preview, members, recalculation, export, analytics.",
        ["Exports"] = "Customers (with the list's filters), contacts, leads, deals and interactions as CSV, Excel or JSON downloads: streamed, in your reach, audited (analytics.exportData).",
        ["Imports"] = "Customers from a CSV or Excel file: upload, map columns to fields, preview, run in the background, download the report, revert within 30 days (customers.import).",
    };

    /// <summary>
    /// One schema id per type. The generator names a schema by the short type name, so every use case's
    /// nested <c>Request</c> shared one id (and the first one's shape); nested types are named with their
    /// declaring types (<c>CreateCustomerRequest</c>), and two types that still meet on one id fail loudly.
    /// </summary>
    internal static class SchemaIds
    {
        private static readonly ConcurrentDictionary<string, Type> Owners = new(StringComparer.Ordinal);

        public static string? For(JsonTypeInfo info)
        {
            var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
            // PATCH fields are documented inline as their value type (TransformSchema).
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
            {
                return null;
            }

            var id = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            if (id is null)
            {
                return null;
            }

            for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType)
            {
                // FollowUpDraft.Draft is FollowUpDraft; UserEndpoints.MeResponse is UserMeResponse.
                var prefix = outer.Name.EndsWith("Endpoints", StringComparison.Ordinal) ? outer.Name[..^"Endpoints".Length] : outer.Name;
                id = prefix.EndsWith(id, StringComparison.Ordinal) ? prefix : prefix + id;
            }

            var owner = Owners.GetOrAdd(id, type);
            return owner == type
                ? id
                : throw new InvalidOperationException($"OpenAPI schema id '{id}' would name both {owner.FullName} and {type.FullName}.");
        }
    }

    /// <summary>
    /// Request bodies are read leniently: a missing field is null (or, in a PATCH, left as it is) and the
    /// handler's validation names what is really required. The generator marks every constructor parameter
    /// required, which would make clients send all of them; responses do write every property.
    /// </summary>
    private static class RequestSchemas
    {
        public static void LoosenRequired(OpenApiDocument document)
        {
            var requests = new HashSet<string>(StringComparer.Ordinal);
            var responses = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value))
            {
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                {
                    Walk(document, media.Schema, requests, loosen: false);
                    Walk(document, media.Schema, [], loosen: true);
                }

                foreach (var media in (operation.Responses ?? []).Values.SelectMany(r => r.Content?.Values ?? []))
                {
                    Walk(document, media.Schema, responses, loosen: false);
                }
            }

            foreach (var id in requests)
            {
                if (document.Components?.Schemas?[id] is OpenApiSchema { Required.Count: > 0 } && responses.Contains(id))
                {
                    throw new InvalidOperationException($"OpenAPI schema '{id}' is used by both a request and a response; give the request its own type.");
                }

                Walk(document, document.Components?.Schemas?[id], [], loosen: true);
            }
        }

        private static void Walk(OpenApiDocument document, IOpenApiSchema? schema, HashSet<string> seen, bool loosen)
        {
            switch (schema)
            {
                case null:
                    return;
                case OpenApiSchemaReference reference:
                    var id = reference.Reference.Id;
                    // Components are collected here and loosened by the caller, once it knows no response shares them.
                    if (!loosen && id is not null && seen.Add(id) && document.Components?.Schemas is { } schemas && schemas.TryGetValue(id, out var target))
                    {
                        Walk(document, target, seen, loosen);
                    }

                    return;
                case OpenApiSchema concrete:
                    if (loosen)
                    {
                        concrete.Required?.Clear();
                    }

                    foreach (var child in (concrete.Properties?.Values ?? []).Concat(concrete.OneOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.AllOf ?? []))
                    {
                        Walk(document, child, seen, loosen);
                    }

                    Walk(document, concrete.Items, seen, loosen);
                    Walk(document, concrete.AdditionalProperties, seen, loosen);
                    return;
            }
        }
    }
}
