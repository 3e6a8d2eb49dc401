using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Aida.Tests.Platform.Http;

/// <summary>
/// Closes the class of "bad input becomes a 500": walks every operation in the OpenAPI document and sends
/// each the families of hostile input an attacker or a careless integrator sends — malformed and wrongly
/// typed JSON, out-of-range dates and numbers, control characters, lone surrogates, oversize strings,
/// unknown enum values, bad ids and cursors — one value at a time, in the query and in the body. Every
/// answer must be below 500, an error must be problem+json, every answer must carry the security headers
/// and a request id, and a refused request must write no event (so it changed nothing).
/// </summary>
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    private static readonly string[] SecurityHeaders = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy", "X-Request-Id"];

    /// <summary>What goes into a query value; escaped as a browser would, except the deliberately invalid UTF-8.</summary>
    private static readonly string[] QueryValues =
    [
        "abc", "-1", "99999999999999999999", "0001-01-01", "9999-12-31T23:59:59Z", "\0", "a\u0001b",
        new string('a', 5000), "zzz-not-a-value", "!!!not-a-cursor", "%ED%A0%80", "' OR 1=1 --",
    ];

    /// <summary>What replaces one leaf of an otherwise plausible body (raw JSON): one value per family.</summary>
    private static readonly string[] BodyValues =
    [
        "123", "\"text\"", "[]", "{}", "-1", "1e308", "\"0001-01-01\"", "\"9999-12-31T23:59:59Z\"",
        "\"a\\u0000b\"", "\"a\\ud800b\"", $"\"{new string('x', 70_000)}\"", "\"zzz-not-a-value\"",
    ];

    /// <summary>Bodies that are wrong as a whole.</summary>
    private static readonly string[] WholeBodies =
    [
        "", "{", "[]", "null", "\"text\"", "42", "{\"a\":", "{}", "{\"unknownField\":1}",
        string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)),
    ];

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EveryOperation_HostileInput_AnswersFourXxProblemWithHeadersAndChangesNothing(DatabaseKind kind)
    {
        // Thousands of requests from one token in seconds: the rate limits would answer most of them instead of the endpoints.
        await using var app = await AidaApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["RateLimits:PerTokenPerSecond"] = "0",
            ["RateLimits:PerAddressPerSecond"] = "0",
        });
        var document = (await (await app.Client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK));
        var ids = await SeedAsync(app.Client);
        var failures = new List<string>();
        var sent = 0;

        // Deletes last, so that the records the others act on still exist while they are probed.
        var operations = Operations(document).OrderBy(o => o.Method == "DELETE").ThenBy(o => o.Path, StringComparer.Ordinal).ToList();
        Assert.True(operations.Count > 50, $"Only {operations.Count} operations in the document.");
        foreach (var operation in operations)
        {
            foreach (var probe in Probes(operation, document, ids))
            {
                sent++;
                var failure = await SendAsync(app, probe);
                if (failure is not null)
                {
                    failures.Add($"{probe.Method} {probe.Url} [{probe.Description}]: {failure}");
                }
            }
        }

        output.WriteLine($"{sent} hostile requests to {operations.Count} operations.");
        // Server errors first: they are the worst, and one defect tends to repeat across many probes.
        var report = failures.OrderBy(f => f.Contains(": 5", StringComparison.Ordinal) ? 0 : 1).Take(60);
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests were mishandled:\n" + string.Join("\n", report));
        Assert.True(sent > 2000, $"Only {sent} requests were sent.");
    }

    private const string Marker = "@@hostile@@";

    private sealed record Operation(string Method, string Path, JsonElement Definition);

    /// <param name="Streams">The operation answers with an endless text/event-stream: only its status and headers are read.</param>
    private sealed record Probe(string Method, string Url, string? Body, string Description, bool Streams = false);

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "get" or "post" or "put" or "patch" or "delete")
                {
                    yield return new Operation(operation.Name.ToUpperInvariant(), path.Name, operation.Value);
                }
            }
        }
    }

    private static IEnumerable<Probe> Probes(Operation operation, JsonElement document, IReadOnlyDictionary<string, Guid> ids)
    {
        var path = FillPath(operation.Path, ids);
        var query = Parameters(operation.Definition, "query").ToList();
        var body = BodySchema(operation.Definition, document);
        var plausible = body is null ? null : Plausible(body.Value, document, ids, 0);
        var streams = operation.Definition.GetRawText().Contains("text/event-stream", StringComparison.Ordinal);

        // Bad ids in the path: not a UUID, and a UUID of nothing.
        if (operation.Path.Contains('{', StringComparison.Ordinal))
        {
            yield return new Probe(operation.Method, Placeholder().Replace(operation.Path, "not-a-uuid"), plausible?.ToJsonString(), "bad id");
            yield return new Probe(operation.Method, Placeholder().Replace(operation.Path, Guid.NewGuid().ToString()), plausible?.ToJsonString(), "unknown id");
        }

        foreach (var parameter in query)
        {
            foreach (var value in QueryValues)
            {
                var encoded = value == "%ED%A0%80" ? value : Uri.EscapeDataString(value);
                yield return new Probe(operation.Method, $"{path}?{parameter}={encoded}", plausible?.ToJsonString(), $"{parameter}={Shorten(value)}", streams);
            }
        }

        if (body is null)
        {
            yield break;
        }

        foreach (var whole in WholeBodies)
        {
            yield return new Probe(operation.Method, path, whole, $"body {Shorten(whole)}");
        }

        foreach (var leaf in Leaves(plausible!, ""))
        {
            foreach (var value in BodyValues)
            {
                // Spliced in as text: a lone surrogate cannot live in a JsonNode, only in the JSON a client sends.
                var mutated = plausible!.DeepClone();
                Replace(mutated, leaf, JsonValue.Create(Marker));
                var json = mutated.ToJsonString().Replace($"\"{Marker}\"", value, StringComparison.Ordinal);
                yield return new Probe(operation.Method, path, json, $"{leaf}={Shorten(value)}");
            }
        }
    }

    private static async Task<string?> SendAsync(AidaApp app, Probe probe)
    {
        var eventsBefore = await EventCountAsync(app);
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url);
        if (probe.Body is not null)
        {
            request.Content = new StringContent(probe.Body, Encoding.UTF8, "application/json");
        }

        if (probe.Method is "PATCH" or "PUT" or "DELETE" || probe.Url.EndsWith("/move", StringComparison.Ordinal))
        {
            // Past the precondition check, so the body and the query are what is judged.
            request.Headers.TryAddWithoutValidation("If-Match", "*");
        }

        // A stream that accepts the input never ends: its answer is judged by status and headers, outside the
        // contract checker, which reads every body to the end.
        using var streamClient = probe.Streams ? app.NewHttpClient() : null;
        if (streamClient is not null)
        {
            request.Headers.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        }

        using var response = streamClient is null
            ? await app.Client.SendAsync(request)
            : await streamClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        var problems = new List<string>();
        if (status >= 500)
        {
            problems.Add($"{status}: {Shorten(await response.Content.ReadAsStringAsync(), 300)}");
        }
        else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            problems.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not problem+json");
        }

        var missing = SecurityHeaders.Where(h => !response.Headers.Contains(h) && !response.Content.Headers.Contains(h)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{status} without {string.Join(", ", missing)}");
        }

        if (status >= 400 && await EventCountAsync(app) != eventsBefore)
        {
            problems.Add($"{status}, yet an event was written: the refused request changed something");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static Task<int> EventCountAsync(AidaApp app) => app.QueryAsync(db => db.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync());

    /// <summary>Real records for the routes' ids, so the probes reach past "not found" into the handlers.</summary>
    private static async Task<Dictionary<string, Guid>> SeedAsync(HttpClient client)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var customer = await client.CreateOrganizationAsync(primaryContact: new { firstName = "Hostile", lastName = "Probe", email = "probe@hostile.example" });
        ids["customers"] = customer.Id();
        var contacts = await (await client.GetAsync($"/api/v1/customers/{customer.Id()}/contacts")).JsonAsync();
        if (contacts.ValueKind == JsonValueKind.Object && contacts.TryGetProperty("items", out var items) && items.GetArrayLength() > 0)
        {
            ids["contacts"] = items[0].Id();
        }
        else if (contacts.ValueKind == JsonValueKind.Array && contacts.GetArrayLength() > 0)
        {
            ids["contacts"] = contacts[0].Id();
        }

        async Task Add(string key, string url, object body)
        {
            var response = await client.PostJsonAsync(url, body);
            if (response.IsSuccessStatusCode)
            {
                ids[key] = (await response.JsonAsync()).Id();
            }
        }

        await Add("interactions", "/api/v1/interactions", new { customerId = customer.Id(), interactionType = "call", direction = "outbound", subject = "Probe call" });
        await Add("notes", "/api/v1/notes", new { customerId = customer.Id(), content = "Probe note" });
        await Add("activities", "/api/v1/activities", new { customerId = customer.Id(), activityType = "task", subject = "Probe task", dueDate = DateTimeOffset.UtcNow.AddDays(1) });
        await Add("leads", "/api/v1/leads", new { firstName = "Lee", email = "lee@hostile.example" });
        await Add("deals", "/api/v1/deals", new { title = "Probe deal", value = 100, currency = "USD", customerId = customer.Id() });
        return ids;
    }

    private static string FillPath(string template, IReadOnlyDictionary<string, Guid> ids)
    {
        var segments = template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].StartsWith('{'))
            {
                var collection = i > 0 ? segments[i - 1] : "";
                var name = segments[i].Trim('{', '}');
                var key = name.EndsWith("Id", StringComparison.Ordinal) && name != "id" ? name[..^2] + "s" : collection;
                segments[i] = (ids.TryGetValue(key, out var id) ? id : Guid.NewGuid()).ToString();
            }
        }

        return string.Join('/', segments);
    }

    private static IEnumerable<string> Parameters(JsonElement operation, string where) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == where).Select(p => p.GetProperty("name").GetString()!)
            : [];

    private static JsonElement? BodySchema(JsonElement operation, JsonElement document) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
            && json.TryGetProperty("schema", out var schema)
            ? Resolve(schema, document)
            : null;

    private static JsonElement Resolve(JsonElement schema, JsonElement document)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    /// <summary>A body a client might send: every property with a value of its type, ids pointing at seeded records.</summary>
    private static JsonNode? Plausible(JsonElement schema, JsonElement document, IReadOnlyDictionary<string, Guid> ids, int depth)
    {
        schema = Resolve(schema, document);
        foreach (var composition in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(composition, out var options))
            {
                var choice = options.EnumerateArray().Select(o => Resolve(o, document))
                    .FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
                return choice.ValueKind == JsonValueKind.Undefined ? null : Plausible(choice, document, ids, depth);
            }
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            return values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => JsonNode.Parse(v.GetRawText())).FirstOrDefault();
        }

        var type = TypeOf(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (type)
        {
            case "object" when depth < 4:
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        var key = property.Name.EndsWith("Id", StringComparison.Ordinal) ? property.Name[..^2] + "s" : property.Name;
                        result[property.Name] = format is null && property.Name.EndsWith("Id", StringComparison.Ordinal) && ids.TryGetValue(key, out var id)
                            ? JsonValue.Create(id.ToString())
                            : Plausible(property.Value, document, ids, depth + 1);
                    }
                }

                return result;
            case "array" when depth < 4:
                return schema.TryGetProperty("items", out var item) ? new JsonArray(Plausible(item, document, ids, depth + 1)) : new JsonArray();
            case "string":
                return format switch
                {
                    "uuid" => JsonValue.Create(ids.GetValueOrDefault("customers").ToString()),
                    "date" => JsonValue.Create("2026-06-01"),
                    "date-time" => JsonValue.Create("2026-06-01T09:00:00Z"),
                    "email" => JsonValue.Create("someone@probe.example"),
                    _ => JsonValue.Create("Probe text"),
                };
            case "integer":
                return JsonValue.Create(1);
            case "number":
                return JsonValue.Create(10.5m);
            case "boolean":
                return JsonValue.Create(true);
            default:
                return null;
        }
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    /// <summary>Paths to every leaf of <paramref name="node"/> ("account.industry", "addresses[0].city"), and to each object and array too.</summary>
    private static IEnumerable<string> Leaves(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                    yield return path;
                    if (child is JsonObject or JsonArray)
                    {
                        foreach (var inner in Leaves(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array when array.Count > 0 && array[0] is { } first:
                yield return $"{prefix}[0]";
                if (first is JsonObject or JsonArray)
                {
                    foreach (var inner in Leaves(first, $"{prefix}[0]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = parts[i] == "[0]" ? node!.AsArray()[0] : node![parts[i]];
        }

        if (parts[^1] == "[0]")
        {
            node!.AsArray()[0] = value;
        }
        else
        {
            node!.AsObject()[parts[^1]] = value;
        }
    }

    private static string Shorten(string text, int length = 40) => text.Length <= length ? text : text[..length] + $"…({text.Length})";

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}
