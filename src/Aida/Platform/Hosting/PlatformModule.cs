using Aida.Platform.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Aida.Platform.Events.Webhooks;
using Aida.Platform.Events.Live;
using Aida.Platform.Events.Nats;

namespace Aida.Platform.Hosting;

/// <summary>What every feature stands on: data, JSON contract, problem details, request ids, health, OpenAPI.</summary>
public static class PlatformModule
{
    public static IServiceCollection AddPlatform(this IServiceCollection services, AidaSettings settings, IConfiguration configuration)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<OperationContext>();
        services.AddData(settings.Database, configuration);
        // Global search over what the features contribute (their ISearchSource and ISearchCustomers).
        services.AddSingleton<Search.SearchSources>();

        services.Configure<HttpLimitsOptions>(configuration.GetSection("Http"));
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Registered before the default problem+json writer so that browsers asking for pages get HTML.
        services.AddSingleton<IProblemDetailsWriter, Ui.HtmlErrorPages>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Problems the framework writes itself (unknown route, wrong method or media type) get our stable types too.
            if (context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = ProblemTypes.ForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            }

            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["requestId"] =
                context.HttpContext.RequestServices.GetRequiredService<OperationContext>().RequestId;
        });
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.AddOpenApi(o => OpenApiConventions.Configure(o));
        services.AddScheduledJob<IdempotencyCleanup>();
        services.AddJobs(configuration);
        services.AddWebhooks(configuration);
        services.AddLive(configuration);
        services.AddHardening(configuration);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddNatsPublisher(configuration);
        return services;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseHardening(app.Services.GetRequiredService<AidaSettings>());
        app.UseStaticFiles();

        // The API reference (Swagger UI, served by middleware rather than an endpoint) is a page for
        // signed-in people: it reads /openapi/v1.json with their session. Others go to the sign-in page.
        app.MapWhen(http => http.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase), docs =>
        {
            docs.Use(async (http, next) =>
            {
                if (!(await http.AuthenticateAsync(Auth.CookieSessions.Scheme)).Succeeded)
                {
                    await http.ChallengeAsync(Auth.CookieSessions.Scheme);
                    return;
                }

                await next(http);
            });
            docs.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "api/docs";
                o.SwaggerEndpoint("/openapi/v1.json", "Aida API v1");
                o.DocumentTitle = "Aida API reference";
            });
        });
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuth();
        // After authentication: a caller without credentials learns nothing, not even that a value was bad.
        app.UseMiddleware<QueryInputMiddleware>();
        return app;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        // Public by design (ARCHITECTURE.md): health. Everything else requires a signed-in user or a token.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth })
            .AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth })
            .AllowAnonymous().ExcludeFromDescription();

        app.MapOpenApi("/openapi/{documentName}.json");

        app.MapAudit();
        app.MapEvents();
        app.MapNatsPublisher();
        app.MapJobs();
        app.MapWebhooks();
        app.MapLive();
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                e.Value.Description,
                // Figures a check reports (the NATS publisher's lag), for monitoring to graph; none for most checks.
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        }, ApiJson.Options, context.RequestAborted);
    }
}
