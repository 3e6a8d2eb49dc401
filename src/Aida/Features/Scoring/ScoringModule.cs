using Aida.Platform.Jobs;
using Aida.Features.Customers.Pages;
using Aida.Features.Scoring.Pages;

namespace Aida.Features.Scoring;

/// <summary>
/// Customer scores (spec 002 Score, WF-LC-002; issue 16 item 6): health, engagement, value, churn risk and
/// upsell potential from the data Aida has, the ScoringRules and HealthDashboard screens, daily and
/// event-driven recalculation, threshold alerts and the health-driven move to At Risk. Builds on Customers,
/// Interactions, Deals and Lifecycle.
/// </summary>
public static class ScoringModule
{
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ScoringOptions>(configuration.GetSection("Scoring"));
        services.AddSingleton(HealthGradeCount.Table);
        services.AddSingleton<ScoringWakeUp>();
        services.AddSingleton<ScoringEngine>();
        services.AddScheduledJob<ScoringQueueJob>();
        services.AddScheduledJob<ScoringDailyJob>();
        services.AddSingleton<IEventReaction, RescoreOnChange>();
        services.AddSingleton<ICustomerTab, ScoresCustomerTab>();
        return services;
    }

    public static IEndpointRouteBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/v1/customers").WithTags("Scoring").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        customers.MapGet("/{id:guid}/scores", GetCustomerScores.Handle).WithName("Scoring_GetCustomerScores")
            .WithSummary("The customer's health, engagement, value, churn-risk and upsell scores: value 0–100, grade A–F, factor breakdown, whether stale (older than 7 days) or a default for want of data.");
        customers.MapPost("/{id:guid}/scores/recalculate", RecalculateCustomerScores.Handle).WithName("Scoring_RecalculateCustomer")
            .WithSummary("Recalculate the customer's scores now; a health threshold crossed emits score.threshold_crossed and notifies as a daily run would.");

        var scoring = app.MapGroup("/api/v1/scoring").WithTags("Scoring").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        scoring.MapGet("/rules", GetScoringRules.Handle).WithName("Scoring_GetRules")
            .WithSummary("Factor weights per score type, the thresholds (alert, escalate, upsell, at risk), the factors each type may weigh and the grade mapping.");
        scoring.MapPut("/rules", UpdateScoringRules.Handle).WithName("Scoring_UpdateRules").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Replace the factor weights (every score type; 0–100 each, at least one above 0; normalised) and thresholds (0–100, escalate < alert < upsell). 400 names the field; nothing is saved then.");
        scoring.MapGet("/runs", ListScoringRuns.Handle).WithName("Scoring_ListRuns").RequirePermission(Permissions.AdminSettings)
            .WithSummary("The latest full recalculations, newest first, with their counts.");
        scoring.MapPost("/runs", StartScoringRun.Handle).WithName("Scoring_StartRun").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Start a full recalculation of every customer's scores (or get the one running). It runs in the background in resumable chunks.");
        scoring.MapGet("/health-dashboard", GetHealthDashboard.Handle).WithName("Scoring_HealthDashboard")
            .WithSummary("Health by grade, the at-risk list (health below the alert threshold, worst first; cursor, limit) and the 30-day trend — only customers within your reach.");

        app.MapScoringPages();
        return app;
    }
}
