using Aida.Platform.Export;

namespace Aida.Features.Exports;

/// <summary>
/// Exports (issue 17 item 2, spec 004's <c>analytics.exportData</c>): customers (with the customer list's
/// filters), contacts, leads, deals and interactions as CSV, Excel or JSON, streamed, in the caller's reach,
/// audited. The writer is shared with the segment export (Platform/Export). Builds on Customers,
/// Interactions, Leads and Deals; nothing builds on it.
/// </summary>
public static class ExportsModule
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/exports").WithTags("Exports").RequirePermission(Permissions.AnalyticsExportData);
        Describe(exports.MapGet("/customers", ExportCustomers.Handle).WithName("Exports_Customers"),
            "Customers in your reach, with the customer list's filters (q, status, type, source, ownerId, createdAfter, createdBefore).");
        Describe(exports.MapGet("/contacts", ExportContacts.Handle).WithName("Exports_Contacts"),
            "Contacts of the customers in your reach, optionally of one customer.");
        Describe(exports.MapGet("/leads", ExportLeads.Handle).WithName("Exports_Leads"),
            "Leads in your reach, with the lead list's filters.");
        Describe(exports.MapGet("/deals", ExportDeals.Handle).WithName("Exports_Deals"),
            "Deals (opportunities) in your reach, with the deal list's filters.");
        Describe(exports.MapGet("/interactions", ExportInteractions.Handle).WithName("Exports_Interactions"),
            "Interactions in your reach, with the interaction list's filters.");

        // The list pages' "Export" control: the same handlers, under the page's sign-in (cookie) rules.
        var pages = app.MapGroup("/exports").RequirePagePermission(Permissions.AnalyticsExportData).ExcludeFromDescription();
        pages.MapGet("/customers", ExportCustomers.Handle);
        pages.MapGet("/contacts", ExportContacts.Handle);
        pages.MapGet("/leads", ExportLeads.Handle);
        pages.MapGet("/deals", ExportDeals.Handle);
        pages.MapGet("/interactions", ExportInteractions.Handle);
        return app;
    }

    private static void Describe(RouteHandlerBuilder endpoint, string what) =>
        endpoint
            .ProducesExport()
            .ProducesValidationProblem()
            .WithSummary(what + " format=csv (default), xlsx or json; streamed as a download; each export is audited.");
}
