using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document checked against what the API really does: every JSON exchange a test makes through
/// <see cref="AidaApp.NewClient"/> is validated against its operation's schemas as it happens, so the test
/// that made the request fails with the difference. A request body is checked when the API accepted it
/// (tests send invalid bodies on purpose); a response always, problems included.
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly SemaphoreSlim LoadLock = new(1, 1);
    private static OpenApiContract? _loaded;

    private readonly JsonObject _defs;
    private readonly List<Operation> _operations = [];
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>"METHOD /template" of every operation a test called, for seeing what the suite leaves unchecked.</summary>
    public static ConcurrentDictionary<string, int> Called { get; } = new(StringComparer.Ordinal);

    /// <summary>AIDA_OPENAPI_CALLED=file lists every operation ("all …") and those the run called ("called …").</summary>
    private static readonly string? Report = Environment.GetEnvironmentVariable("AIDA_OPENAPI_CALLED") is { Length: > 0 } file ? file : null;

    private sealed record Operation(string Method, string Template, Regex Path, int Parameters, JsonObject Node);

    private OpenApiContract(JsonNode document)
    {
        // JSON Schema resolves "#/$defs/X" by itself; the document's "#/components/schemas/X" becomes that.
        var text = document["components"]!["schemas"]!.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        _defs = JsonNode.Parse(text)!.AsObject();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            var parameters = ParameterPattern().Count(template);
            var pattern = new Regex("^" + ParameterPattern().Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), "[^/]+") + "$",
                RegexOptions.CultureInvariant);
            foreach (var (method, operation) in item!.AsObject())
            {
                _operations.Add(new Operation(method.ToUpperInvariant(), template, pattern, parameters, operation!.AsObject()));
            }
        }

        // Literal segments win over parameters: /communications/unmatched before /communications/{id}.
        _operations.Sort((a, b) => a.Parameters.CompareTo(b.Parameters));
    }

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex ParameterPattern();

    /// <summary>The document as the server describes itself, fetched once per test run.</summary>
    public static async Task<OpenApiContract> LoadAsync(HttpClient reader)
    {
        if (_loaded is not null)
        {
            return _loaded;
        }

        await LoadLock.WaitAsync();
        try
        {
            if (_loaded is null)
            {
                var text = await reader.GetStringAsync("/openapi/v1.json");
                _loaded = new OpenApiContract(JsonNode.Parse(text)!);
                if (Report is not null)
                {
                    await File.AppendAllLinesAsync(Report, _loaded._operations.Select(o => $"all {o.Method} {o.Template}"));
                }
            }

            return _loaded;
        }
        finally
        {
            LoadLock.Release();
        }
    }

    /// <summary>The API's own calls; /api/docs is the reference page, not an operation.</summary>
    public static bool Applies(HttpRequestMessage request) =>
        request.RequestUri?.AbsolutePath.StartsWith("/api/v1/", StringComparison.Ordinal) == true;

    /// <summary>What in the exchange the document does not describe, or null when it all matches.</summary>
    public string? Check(string method, string path, int status, string? requestType, string? requestBody, string? responseType, string responseBody)
    {
        var operation = _operations.FirstOrDefault(o => o.Method == method && o.Path.IsMatch(path));
        if (operation is null)
        {
            // Unknown routes and methods are answered by the framework, not by an operation.
            return status is 404 or 405 ? null : $"{method} {path} answered {status} but is no operation of the document.";
        }

        var name = $"{method} {operation.Template}";
        if (Called.TryAdd(name, 0) && Report is not null)
        {
            lock (Called)
            {
                File.AppendAllLines(Report, [$"called {name}"]);
            }
        }

        var problems = new List<string>();

        if (status is >= 200 and < 300 && !string.IsNullOrWhiteSpace(requestBody) && IsJson(requestType))
        {
            // An operation without a body ignores one (some tests POST {} to an action); there is nothing to check.
            if (operation.Node["requestBody"]?["content"]?["application/json"]?["schema"] is { } requestSchema)
            {
                Validate(name + " request", requestSchema, requestBody, problems);
            }
        }

        var statusKey = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responses = operation.Node["responses"]!.AsObject();
        var response = responses[statusKey] ?? responses["default"];
        if (response is null)
        {
            problems.Add($"status {status} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})");
        }
        else if (responseBody.Length > 0)
        {
            var media = responseType ?? "";
            if (response["content"]?[media] is not { } content)
            {
                problems.Add($"a {media} body for {status} is not documented (documented: {string.Join(", ", response["content"]?.AsObject().Select(c => c.Key) ?? [])})");
            }
            else if (IsJson(media) && content["schema"] is { } responseSchema)
            {
                Validate($"{name} {status}", responseSchema, responseBody, problems);
            }
        }

        return problems.Count == 0
            ? null
            : $"The OpenAPI document does not describe {method} {path} → {status} ({operation.Node["operationId"]}):\n  " + string.Join("\n  ", problems);
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is "application/json" or "application/problem+json";

    private void Validate(string key, JsonNode schemaNode, string json, List<string> problems)
    {
        var schema = _schemas.GetOrAdd(key, _ =>
        {
            var root = JsonNode.Parse(schemaNode.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!.AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _defs.DeepClone();
            return JsonSchema.FromText(root.ToJsonString());
        });

        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (result.IsValid)
        {
            return;
        }

        var details = new List<string>();
        Collect(result, details);
        if (details.Count == 0)
        {
            var raw = JsonSerializer.Serialize(result);
            details.Add(raw.Length > 2000 ? raw[..2000] + "…" : raw);
        }
        var excerpt = json.Length > 1500 ? json[..1500] + "…" : json;
        problems.Add($"{key} does not match its schema:\n    " + string.Join("\n    ", details.Distinct().Take(10)) + "\n    body: " + excerpt);
    }

    private static void Collect(EvaluationResults result, List<string> details)
    {
        foreach (var (keyword, error) in result.Errors ?? new Dictionary<string, string>())
        {
            details.Add($"{result.InstanceLocation} ({result.EvaluationPath}, {keyword}): {error}");
        }

        foreach (var child in result.Details ?? [])
        {
            if (!child.IsValid)
            {
                Collect(child, details);
            }
        }
    }
}

/// <summary>Checks each exchange against <see cref="OpenApiContract"/>; the test that made it fails with the difference.</summary>
/// <remarks><paramref name="transport"/> reaches the server: a socket handler, or the in-memory test server's.</remarks>
public sealed class OpenApiContractHandler(Func<HttpClient> documentReader, HttpMessageHandler transport) : DelegatingHandler(transport)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!OpenApiContract.Applies(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // Only bodies already in memory: reading a stream would buffer it and change how it is sent (chunked).
        var requestBody = request.Content is ByteArrayContent or System.Net.Http.Json.JsonContent
            ? await request.Content.ReadAsStringAsync(cancellationToken)
            : null;
        var requestType = request.Content?.Headers.ContentType?.MediaType;
        // Read before sending: a followed redirect rewrites the request's address.
        var path = request.RequestUri!.AbsolutePath;
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var responseBody = await response.Content.ReadAsStringAsync(cancellationToken);

        var contract = await OpenApiContract.LoadAsync(documentReader());
        var mismatch = contract.Check(request.Method.Method, path, (int)response.StatusCode,
            requestType, requestBody, response.Content.Headers.ContentType?.MediaType, responseBody);
        return mismatch is null ? response : throw new OpenApiContractException(mismatch);
    }
}

public sealed class OpenApiContractException(string message) : Exception(message);
