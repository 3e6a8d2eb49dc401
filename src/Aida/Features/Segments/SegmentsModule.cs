using Aida.Platform.Jobs;
using Aida.Platform.Export;
using Aida.Features.Segments.Pages;

namespace Aida.Features.Segments;

/// <summary>
/// Segments (spec 002 Segment, WF-LC-003, spec 004's segmentation endpoints): static and dynamic groupings of
/// customers, the criteria language, previews, scheduled and on-demand recalculation, exports and analytics.
/// Builds on Customers and Lifecycle.
/// </summary>
public static class SegmentsModule
{
    public static IServiceCollection AddSegments(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SegmentOptions>(configuration.GetSection("Segments"));
        services.AddScheduledJob<SegmentSchedule>();
        return services;
    }

    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/api/v1/segments").WithTags("Segments").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        segments.MapGet("/", ListSegments.Handle).WithName("Segments_List")
            .WithSummary("Segments by name, each with its member count in your reach, last calculation and last run.");
        segments.MapPost("/", CreateSegment.Handle).WithName("Segments_Create").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Create a static segment, or a dynamic one with criteria (README: Segment criteria); a dynamic segment is evaluated at once. 400 names the bad criteria path.");
        segments.MapGet("/fields", ListSegmentFields.Handle).WithName("Segments_Fields")
            .WithSummary("The fields criteria may test, with their type, operators and choices.");
        segments.MapPost("/preview", PreviewSegment.Handle).WithName("Segments_Preview")
            .WithSummary("How many customers in your reach the criteria match now, and a few of them. Nothing is saved.");
        segments.MapGet("/analytics", SegmentAnalytics.Handle).WithName("Segments_Analytics")
            .WithSummary("Per active segment: members and their total revenue in your reach, and size over time (for those who reach every customer).");
        segments.MapGet("/{id:guid}", GetSegment.Handle).WithName("Segments_Get").WithSummary("One segment with its member count in your reach.");
        segments.MapPatch("/{id:guid}", UpdateSegment.Handle).WithName("Segments_Update").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Change a segment (merge-patch, If-Match); new criteria, priority or group recalculate it in full.");
        segments.MapDelete("/{id:guid}", DeleteSegment.Handle).WithName("Segments_Delete").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Delete a segment (If-Match); refused while another segment's criteria name it.");
        segments.MapGet("/{id:guid}/customers", ListSegmentCustomers.Handle).WithName("Segments_Customers")
            .WithSummary("The members in your reach, by customer id, with their lifecycle stage; paged with cursor.");
        segments.MapPost("/{id:guid}/refresh", RefreshSegment.Handle).WithName("Segments_Refresh").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Recalculate a dynamic segment in full now.");
        segments.MapPost("/{id:guid}/members", StaticMembers.Add).WithName("Segments_AddMembers").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Add customers (in your reach) to a static segment.");
        segments.MapDelete("/{id:guid}/members/{customerId:guid}", StaticMembers.Remove).WithName("Segments_RemoveMember").RequirePermission(Permissions.SegmentsManage)
            .WithSummary("Remove a customer from a static segment.");
        segments.MapGet("/{id:guid}/export", ExportSegment.Handle).WithName("Segments_Export").RequirePermission(Permissions.AnalyticsExportData)
            .ProducesExport().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The members in your reach as CSV, Excel or JSON (format=csv|xlsx|json), streamed and audited.");

        app.MapSegmentPages();
        return app;
    }
}
