using Aida.Platform.Jobs;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Import.Pages;

namespace Aida.Features.Import;

/// <summary>
/// Imports (issue 17 item 1): the bulk engine <c>aida seed</c> uses (<see cref="CustomerImporter"/>) and the
/// import wizard's API — upload, mapping, preview, start, progress, report, revert — run by a background
/// worker. Builds on Customers, Interactions and Leads (the entity types it imports); nothing builds on it.
/// </summary>
public static class ImportModule
{
    public static IServiceCollection AddImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CustomerImporter>();
        services.Configure<ImportSettings>(configuration.GetSection("Import"));
        services.AddSingleton<ImportStorage>();
        services.AddSingleton<ImportEngine>();
        services.AddSingleton<ImportPreviewer>();
        services.AddSingleton<TargetImportEngine>();
        services.AddScheduledJob<ImportWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequirePermission(Permissions.CustomersImport).WithIdempotency();
        imports.MapPost("/", UploadImport.Handle).WithName("Imports_Upload")
            .WithMetadata(new StreamedRequestBody(app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportSettings>>().Value.MaxFileBytes))
            .Accepts<UploadForm>("multipart/form-data")
            .WithSummary("Upload a CSV (any delimiter and encoding) or Excel file (.xlsx, .xls) as multipart field 'file' (optional 'sourceName', 'entityType'); answers with the header, a suggested mapping and a preview.");
        imports.MapGet("/", GetImport.List).WithName("Imports_List").WithSummary("Your imports, newest first.");
        imports.MapGet("/{id:guid}", GetImport.Handle).WithName("Imports_Get").WithSummary("Status, counts, rows per second and time left.");
        imports.MapPut("/{id:guid}/mapping", SetImportMapping.Handle).WithName("Imports_SetMapping")
            .WithSummary("Set the column → field mapping and the options (onDuplicate skip|update|create, validRowsOnly, saveMapping).");
        imports.MapGet("/{id:guid}/preview", PreviewImport.Handle).WithName("Imports_Preview")
            .WithSummary("The first rows (limit, default 20, at most 100) as they would be stored, with their problems by row and column.");
        imports.MapPost("/{id:guid}/start", StartImport.Handle).WithName("Imports_Start")
            .WithSummary("Queue the import; it runs in the background (202). Poll GET /api/v1/imports/{id}.");
        imports.MapGet("/{id:guid}/report", ImportReport.Handle).WithName("Imports_Report").Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("The file's rows with their outcome (created, updated, skipped, failed) and reason, as CSV.");
        imports.MapPost("/{id:guid}/revert", RevertImport.Handle).WithName("Imports_Revert")
            .WithSummary("Within 30 days: remove the records (customers, contacts, interactions, leads) the import created and restore the fields it updated (later changes are kept).");
        app.MapImportPages();
        return app;
    }

    /// <summary>The upload form as the OpenAPI document describes it.</summary>
    public sealed record UploadForm(IFormFile File, string? SourceName, string? EntityType);
}
