namespace Aida.Features.Segments.Pages;

public static class SegmentPagesModule
{
    public static IEndpointRouteBuilder MapSegmentPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        pages.MapGet("/segments", SegmentPages.List);
        pages.MapGet("/segments/new", SegmentPages.New).RequirePagePermission(Permissions.SegmentsManage);
        pages.MapPost("/segments/new", SegmentPages.Save).RequirePagePermission(Permissions.SegmentsManage);
        pages.MapPost("/segments/preview", SegmentPages.Preview);
        pages.MapGet("/segments/{id:guid}", SegmentPages.Detail);
        pages.MapGet("/segments/{id:guid}/edit", SegmentPages.Edit).RequirePagePermission(Permissions.SegmentsManage);
        pages.MapPost("/segments/{id:guid}/edit", SegmentPages.Save).RequirePagePermission(Permissions.SegmentsManage);
        pages.MapGet("/segments/{id:guid}/export.csv", ExportSegment.Handle).RequirePagePermission(Permissions.AnalyticsExportData);
        pages.MapPost("/segments/{id:guid}/refresh", SegmentPages.Refresh).RequirePagePermission(Permissions.SegmentsManage);
        return app;
    }
}
