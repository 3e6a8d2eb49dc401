using Aida.Platform.Jobs;
using Aida.Features.Customers.Pages;
using Aida.Features.Interactions;
using Aida.Features.Lifecycle.Pages;

namespace Aida.Features.Lifecycle;

/// <summary>
/// The customer lifecycle (the AIDA Retain step, spec 002 package "lifecycle"): stages and the moves
/// allowed between them, each customer's stage and its immutable history, and moves that wait for a
/// manager's approval. Builds on Customers.
/// </summary>
public static class LifecycleModule
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ICustomerTab, LifecycleCustomerTab>();
        services.AddSingleton<IEventReaction, DealOutcomeStages>();
        services.Configure<InactivityChurnOptions>(configuration.GetSection("Lifecycle:InactivityRule"));
        services.AddScheduledJob<InactivityChurn>();
        services.AddSingleton<IEventReaction, FirstContactMilestone>();
        services.AddSingleton<ITimelineSource, JourneyTimelineSource>();
        services.AddSingleton(LifecycleStageCount.Table);
        return services;
    }

    public static IEndpointRouteBuilder MapLifecycle(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/v1/customers").WithTags("Lifecycle").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        customers.MapGet("/lifecycle/stats", LifecycleStats.Handle).WithName("Lifecycle_Stats")
            .WithSummary("How many customers in your reach are in each stage and each AIDA phase (Capture, Connect, Convert, Retain).");
        customers.MapGet("/{id:guid}/lifecycle", GetCustomerLifecycle.Handle).WithName("Lifecycle_Get")
            .WithSummary("The customer's stage, since when, the stage before, purchase figures, the moves allowed from here and a move waiting for approval.");
        customers.MapPut("/{id:guid}/lifecycle", MoveCustomerStage.Handle).WithName("Lifecycle_Move").RequirePermission(Permissions.CustomersEditProfile)
            .WithSummary("Move the customer to another stage (stageId, reason). 200 moved; 202 waiting for a manager's approval; 409 not an allowed move, unless an administrator sends override=true with a reason. Emits customer.stage_changed, and customer.retained when the customer becomes one.");
        customers.MapGet("/{id:guid}/lifecycle/history", ListLifecycleHistory.Handle).WithName("Lifecycle_History")
            .WithSummary("Every stage change of the customer, newest first: from, to, when, who, why, and what triggered it. Immutable.");

        // Purchases, value and journey (issue 16 items 4 and 5): their own tag in the API reference.
        var value = app.MapGroup("/api/v1/customers").WithTags("Customer value").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        value.MapGet("/high-value", ListHighValueCustomers.Handle).WithName("Customers_HighValue")
            .WithSummary("Customers in your reach by lifetime value, highest first; one currency at a time (the most common unless currency names another), every currency listed; cursor-paged.");
        value.MapPost("/{id:guid}/purchases", RecordPurchase.Handle).WithName("Purchases_Record").RequirePermission(Permissions.CustomersEditProfile)
            .WithSummary("Record a purchase, or a refund as a negative amount (amount, currency, purchasedOn, externalId; description, isRenewal). Idempotent on externalId: the same purchase again answers 200 and changes nothing, different content 409. A customer's purchases share one currency (409 otherwise). Updates the purchase figures, records first-purchase and renewal milestones, moves a churned customer to Won Back and a prospect to Customer; emits customer.purchase_recorded.");
        value.MapGet("/{id:guid}/purchases", ListPurchases.Handle).WithName("Purchases_List")
            .WithSummary("The customer's purchases and refunds, newest first; cursor-paged.");
        value.MapGet("/{id:guid}/value", CustomerValue.Handle).WithName("Customers_Value")
            .WithSummary("The customer's value in its purchase currency: total revenue (net of refunds), refunds, purchase count, first and last purchase, average order value, purchase frequency in days, lifetime value (historical) and the value predicted for the next 365 days.");
        value.MapGet("/{id:guid}/journey", ListJourney.Handle).WithName("Journey_List")
            .WithSummary("The customer's journey milestones, newest first (type narrows to one kind); cursor-paged.");
        value.MapPost("/{id:guid}/journey", RecordMilestone.Handle).WithName("Journey_Record").RequirePermission(Permissions.CustomersEditProfile)
            .WithSummary("Record a milestone (milestoneType; occurredAt, details, note), for those Aida cannot see itself such as referral_made. First contact and first purchase happen once (409). Emits customer.milestone_reached.");

        var lifecycle = app.MapGroup("/api/v1/lifecycle").WithTags("Lifecycle").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        lifecycle.MapGet("/stages", ListStages.Handle).WithName("LifecycleStages_List").WithSummary("Every stage in display order, inactive ones too.");
        lifecycle.MapPost("/stages", CreateStage.Handle).WithName("LifecycleStages_Create").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Add a stage: name, category, AIDA phase; code, order, colour and description optional.");
        lifecycle.MapPatch("/stages/{id:guid}", UpdateStage.Handle).WithName("LifecycleStages_Update").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Rename, reorder, recolour, re-categorise or deactivate a stage (merge-patch, If-Match).");
        lifecycle.MapDelete("/stages/{id:guid}", DeleteStage.Handle).WithName("LifecycleStages_Delete").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Delete a stage and its transition rules; refused (409) while customers are in it or a move into or out of it waits for approval.");
        lifecycle.MapGet("/transitions", ListTransitions.Handle).WithName("LifecycleTransitions_List")
            .WithSummary("The allowed moves between stages and which of them need a manager's approval.");
        lifecycle.MapPut("/transitions", ReplaceTransitions.Handle).WithName("LifecycleTransitions_Replace").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Replace the whole table of allowed moves (rules: fromStageId, toStageId, requiresApproval).");
        lifecycle.MapGet("/stages/{id:guid}/customers", ListStageCustomers.Handle).WithName("LifecycleStages_Customers")
            .WithSummary("The customers in your reach who are in the stage, longest there first (cursor-paged): what a column of the AIDA board lists.");
        lifecycle.MapGet("/settings", GetLifecycleSettings.Handle).WithName("LifecycleSettings_Get")
            .WithSummary("The automatic rules' settings: churnAfterDays, after which a customer with no purchase and no interaction moves to Churned (null: off).");
        lifecycle.MapPatch("/settings", UpdateLifecycleSettings.Handle).WithName("LifecycleSettings_Update").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Change the automatic rules' settings (merge-patch, If-Match): churnAfterDays 7–3650, or null to turn the inactivity rule off.");
        lifecycle.MapGet("/approvals", ListApprovals.Handle).WithName("LifecycleApprovals_List").RequirePermission(Permissions.LifecycleApprove)
            .WithSummary("Stage changes waiting for approval (status=pending, the default; or approved, rejected), oldest first.");
        lifecycle.MapPost("/approvals/{id:guid}/approve", DecideStageChange.Approve).WithName("LifecycleApprovals_Approve").RequirePermission(Permissions.LifecycleApprove)
            .WithSummary("Approve a waiting stage change: it is applied as asked, unless the customer has moved since (409).");
        lifecycle.MapPost("/approvals/{id:guid}/reject", DecideStageChange.Reject).WithName("LifecycleApprovals_Reject").RequirePermission(Permissions.LifecycleApprove)
            .WithSummary("Reject a waiting stage change, with an optional note.");

        app.MapLifecyclePages();
        return app;
    }
}
