using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Aida.Platform.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace Aida.Platform.Http;

public sealed class RateLimitOptions
{
    /// <summary>Sustained requests per second per API token (0 turns the limit off); bursts of twice that pass.</summary>
    public int PerTokenPerSecond { get; set; } = 200;

    /// <summary>Sustained requests per second per client address (0 turns the limit off).</summary>
    public int PerAddressPerSecond { get; set; } = 400;

    /// <summary>Sign-in and set-up form posts per client address per minute.</summary>
    public int SignInsPerMinute { get; set; } = 10;
}

/// <summary>
/// Defences every response gets: rate limits (per token and per client address; 429 with Retry-After),
/// security headers, HTTPS redirection when Aida listens beyond loopback. CORS stays off: no
/// cross-origin caller is trusted unless an operator adds one.
/// </summary>
public static class Hardening
{
    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Bucket("address:" + Address(http), limits.PerAddressPerSecond)),
                // Only API tokens share a token bucket: web sessions (and anonymous callers) are limited per
                // address alone, or every signed-in person would draw on one "no token" bucket together.
                PartitionedRateLimiter.Create<HttpContext, string>(http => TokenKey(http) is { } token
                    ? Bucket(token, limits.PerTokenPerSecond)
                    : RateLimitPartition.GetNoLimiter("no-token")));
            o.AddPolicy(AuthPages.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                "sign-in:" + Address(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, limits.SignInsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    public static WebApplication UseHardening(this WebApplication app, AidaSettings settings)
    {
        app.Use(SecurityHeaders);
        if (!ListensOnlyOnLoopback(settings.Urls))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }

    public static bool ListensOnlyOnLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(url =>
        {
            var host = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Host.Trim('[', ']');
            return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        });

    /// <summary>
    /// Set as the headers go out, not as the request comes in: the exception handler clears the response
    /// before it writes a problem, and an error answer needs these headers as much as any other.
    /// </summary>
    private static Task SecurityHeaders(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            // The API reference page (Swagger UI) runs an inline bootstrap script; nothing else may.
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase)
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
                : "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
            return Task.CompletedTask;
        }, http);
        return next(http);
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond) =>
        perSecond <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond * 2,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    /// <summary>Requests with a bearer token are limited per token (by its hash, before any lookup); others have no token key.</summary>
    private static string? TokenKey(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)))[..32]
            : null;
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Type = ProblemTypes.TooManyRequests,
                Title = "Too many requests.",
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"Slow down and retry after {retryAfter} s.",
            },
        });
    }
}
