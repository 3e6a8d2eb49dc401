using System.Security.Cryptography;

namespace Aida.Platform.Http;

/// <summary>A POST that carried an Idempotency-Key, and the success it produced, kept for a day.</summary>
public sealed class IdempotencyRecord
{
    public Guid ActorId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path, query and body: the same key with a different request is refused.</summary>
    public required string RequestHash { get; set; }

    public int StatusCode { get; set; }

    public string? Location { get; set; }

    public string? ETag { get; set; }

    public string? Body { get; set; }

    public DateTime CreatedAt { get; set; }
}

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => new { r.ActorId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(Idempotency.MaxKeyLength);
        builder.Property(r => r.ETag).HasColumnName("etag");
        builder.Property(r => r.Body).IsJson();

        DbErrors.RegisterUnique("idempotency_keys_pkey", "idempotency_keys.actor_id, idempotency_keys.key", Idempotency.Header,
            "A request with this Idempotency-Key is still being processed; retry it shortly.");
    }
}

/// <summary>
/// Honours <c>Idempotency-Key</c> on POST (ARCHITECTURE.md "HTTP API"): an integration that retries a
/// create after a timeout gets the first response back instead of a second record. The handler and the
/// key record share one transaction, so either both are stored or neither is. Only successes are kept;
/// a refused request may be corrected and retried with the same key.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Every POST of the API carries this (a test walks the endpoints to make sure).</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(InvokeAsync).WithMetadata(IdempotentEndpoint.Instance);

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return Problems.Validation(Header, $"Must be at most {MaxKeyLength} printable characters, e.g. a UUID.");
        }

        var db = http.RequestServices.GetRequiredService<AidaDb>();
        var cancellationToken = http.RequestAborted;
        // A file upload (an import) is streamed to disk, not buffered: it is known by its length and type, not its
        // bytes, and is not held inside a write transaction while it arrives. Its key record is written after it,
        // so a crash in between leaves an uploaded import that was never started, and a retry uploads another.
        var streamed = http.GetEndpoint()?.Metadata.GetMetadata<StreamedRequestBody>() is not null;
        var hash = streamed ? HashOfStreamed(http.Request) : await HashAsync(http.Request, cancellationToken);
        await using var transaction = streamed ? null : await db.BeginWriteAsync(cancellationToken);
        var actor = db.Operation.ActorId;
        var stored = await db.Set<IdempotencyRecord>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.ActorId == actor && r.Key == key, cancellationToken);
        if (stored is not null)
        {
            return stored.RequestHash == hash
                ? Replay(http, stored)
                : TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Type = ProblemTypes.IdempotencyKeyReused,
                    Title = "The Idempotency-Key was already used for a different request.",
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Detail = "Use a new key for a new request; reuse a key only to retry the very same request.",
                });
        }

        var result = await next(context);
        var outcome = Unwrap(result);
        if (outcome is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success)
        {
            await using var own = streamed ? await db.BeginWriteAsync(cancellationToken) : null;
            db.Add(new IdempotencyRecord
            {
                ActorId = actor,
                Key = key,
                RequestHash = hash,
                StatusCode = success.StatusCode!.Value,
                Location = outcome.GetType().GetProperty("Location")?.GetValue(outcome) as string,
                ETag = http.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                Body = outcome is IValueHttpResult { Value: { } value } ? Stored(value) : null,
                CreatedAt = db.Clock.UtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
            await (transaction ?? own)!.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>What a replay will answer: the response itself, less any secret it showed (those are shown once and never kept).</summary>
    private static string Stored(object value)
    {
        var kept = value is IShownOnce once ? once.WithoutSecret() : value;
        return JsonSerializer.Serialize(kept, kept.GetType(), ApiJson.Options);
    }

    private static object? Unwrap(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result;
    }

    private static IResult Replay(HttpContext http, IdempotencyRecord stored)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        if (stored.Location is not null)
        {
            http.Response.Headers.Location = stored.Location;
        }

        if (stored.ETag is not null)
        {
            http.Response.Headers.ETag = stored.ETag;
        }

        return stored.Body is null
            ? TypedResults.StatusCode(stored.StatusCode)
            : TypedResults.Content(stored.Body, "application/json; charset=utf-8", statusCode: stored.StatusCode);
    }

    /// <summary>A streamed body by its media type and length: a multipart boundary differs on every try, so the full content type would never match.</summary>
    private static string HashOfStreamed(HttpRequest request)
    {
        var mediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.ToString() : "";
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{request.Method} {request.Path}{request.QueryString}\n{mediaType}\n{request.ContentLength}")));
    }

    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The body limit middleware has buffered the body, so it can be read again here.
        request.Body.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>Endpoint metadata: this endpoint honours <see cref="Idempotency.Header"/>.</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint()
    {
    }
}

/// <summary>
/// A response holding a secret that is shown once (a new API token). A retry with the same
/// Idempotency-Key answers the same record without it, because the secret is stored nowhere in clear.
/// </summary>
public interface IShownOnce
{
    object WithoutSecret();
}

/// <summary>Forgets idempotency keys after <see cref="Idempotency.Retention"/>.</summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock) : Jobs.IScheduledJob
{
    public string Name => "idempotency.cleanup";

    public string Description => "Forgets Idempotency-Key records older than a day.";

    /// <summary>A failed sweep is retried at the next run; keys simply live a little longer.</summary>
    public TimeSpan Interval => TimeSpan.FromHours(1);

    public async Task<Jobs.JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var cutoff = clock.UtcNow() - Idempotency.Retention;
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.Set<IdempotencyRecord>().Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Jobs.JobOutcome(removed);
    }
}
