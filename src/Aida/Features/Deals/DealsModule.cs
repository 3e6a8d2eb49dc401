using Aida.Platform.Jobs;
using Aida.Features.Deals.Pages;

namespace Aida.Features.Deals;

/// <summary>Deals (the AIDA Convert step): pipelines and stages, opportunities, stage history, forecast and pipeline analytics.</summary>
public static class DealsModule
{
    public static IServiceCollection AddDeals(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DealOptions>(configuration.GetSection("Deals"));
        services.AddSingleton<Interactions.ILinkableRecords, LinkableOpportunities>();
        services.AddScheduledJob<Notices.StaleDealNotices>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeals(this IEndpointRouteBuilder app)
    {
        // Deals are sales work: they share the leads permissions (spec 004 CRMPermissions has no deal set).
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.LeadsView);
        var pipelines = api.MapGroup("/pipelines").WithTags("Pipelines");
        pipelines.MapGet("/", ListPipelines.Handle).WithName("Pipelines_List")
            .WithSummary("Every pipeline with its stages in order, the default first.");
        pipelines.MapPost("/", CreatePipeline.Handle).WithName("Pipelines_Create").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Add a pipeline: name and stages in order (at least one open, exactly one won and one lost).");
        pipelines.MapGet("/{id:guid}", GetPipeline.Handle).WithName("Pipelines_Get").WithSummary("Get a pipeline with its stages.");
        pipelines.MapPatch("/{id:guid}", UpdatePipeline.Handle).WithName("Pipelines_Update").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Rename, make the default, or send the stages again in order (rename, reorder, add, remove, probabilities).");
        pipelines.MapDelete("/{id:guid}", DeletePipeline.Handle).WithName("Pipelines_Delete").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Soft-delete; refused (409) for the default pipeline and while it holds open deals.");

        var deals = api.MapGroup("/deals").WithTags("Deals");
        deals.MapPost("/", CreateDeal.Handle).WithName("Deals_Create").RequirePermission(Permissions.LeadsCreate)
            .WithSummary("Open a deal for a customer: default pipeline and its first open stage unless named; owner defaults to the actor; emits deal.created.");
        deals.MapGet("/", ListDeals.Handle).WithName("Deals_List")
            .WithSummary("Deals by pipelineId, stageId, status, ownerId (or me), customerId, stale, closeFrom/closeTo; sort createdAt, lastActivityAt, expectedCloseOn; cursor-paged.");
        deals.MapGet("/{id:guid}", GetDeal.Handle).WithName("Deals_Get")
            .WithSummary("A deal with effective probability, weighted value, stale flag, days in stage and stage history.");
        deals.MapPatch("/{id:guid}", UpdateDeal.Handle).WithName("Deals_Update").RequirePermission(Permissions.LeadsEdit)
            .WithSummary("Change a deal's fields (If-Match → 412). The stage changes only through move.");
        deals.MapDelete("/{id:guid}", DeleteDeal.Handle).WithName("Deals_Delete").WithSummary("Delete a deal (soft delete).").RequirePermission(Permissions.LeadsDelete);
        deals.MapPost("/{id:guid}/move", MoveDeal.Handle).WithName("Deals_Move").RequirePermission(Permissions.LeadsEdit)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithSummary("Move to another stage of the pipeline. If-Match required (428 without, 412 stale); won/lost need a reason; emits deal.stage_changed, deal.converted (won), deal.lost.");

        api.MapGet("/forecast", Forecast.Handle).WithName("Forecast").WithTags("Forecast")
            .WithSummary("Weighted pipeline, commit, best case and closed won per month or quarter and per owner; one currency at a time.");

        app.MapDealPages();
        return app;
    }
}
