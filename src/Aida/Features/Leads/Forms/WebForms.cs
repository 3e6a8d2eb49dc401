using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Aida.Features.Leads.Forms;

public sealed class WebFormOptions
{
    /// <summary>Submissions per client address per minute, over all forms (0 turns the limit off).</summary>
    public int SubmissionsPerMinute { get; set; } = 10;

    /// <summary>The largest submission accepted; a real form is a few hundred bytes.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// The address web sites reach Aida at (https://crm.example.com), for the embed snippet's form
    /// action. Unset, the address the admin's request came to is used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>The public side of web forms: the per-address rate limit of submissions and its configuration (section WebForms).</summary>
public static class WebForms
{
    public const string RateLimitPolicy = "web-form";

    public static IServiceCollection AddWebForms(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("WebForms");
        services.Configure<WebFormOptions>(section);
        var limits = section.Get<WebFormOptions>() ?? new WebFormOptions();
        // Added to the rate limiter Platform/Http/Hardening sets up, so a flood gets the same 429 problem with Retry-After.
        // Limited by the connection's address: forwarded headers are not trusted (a bot could send any).
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(RateLimitPolicy, http => limits.SubmissionsPerMinute <= 0
            ? RateLimitPartition.GetNoLimiter("web-form")
            : RateLimitPartition.GetFixedWindowLimiter(
                "web-form:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SubmissionsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return services;
    }

    /// <summary>The address the snippet posts to: the configured public base URL, else where the admin reached Aida.</summary>
    public static string PublicBaseUrl(WebFormOptions options, HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.PublicBaseUrl.TrimEnd('/');
}
