using Microsoft.Extensions.Options;

namespace Aida.Features.Import.Pages;

/// <summary>
/// The import wizard's screens (issue 17 item 1): upload, map the columns, preview, start, follow the
/// progress, download the report, revert. Pages for people signed in with the session cookie, with the same
/// permission as the API (<c>customers.import</c>) and the same use cases.
/// </summary>
public static class ImportPagesModule
{
    /// <summary>Room for the rest of the upload form (its token, the source name, the multipart headers) around the file itself.</summary>
    private const long FormOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapImportPages(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<ImportSettings>>().Value.MaxFileBytes + FormOverheadBytes;
        var pages = app.MapGroup("/imports").RequirePagePermission(Permissions.CustomersImport).ExcludeFromDescription();

        pages.MapGet("", ImportPages.List);
        // The file arrives as a form post (its token checked as every form's); it is buffered to a temporary file
        // by the form reader, never held in memory, up to the import's own size limit rather than the default 1 MB.
        pages.MapPost("", ImportPages.Upload)
            .WithMetadata(new StreamedRequestBody(maxBytes))
            .WithFormOptions(multipartBodyLengthLimit: maxBytes);
        pages.MapGet("/{id:guid}", ImportPages.Show);
        pages.MapPost("/{id:guid}/mapping", ImportPages.SaveMapping);
        pages.MapGet("/{id:guid}/preview", ImportPages.Preview);
        pages.MapPost("/{id:guid}/start", ImportPages.Start);
        pages.MapGet("/{id:guid}/progress", ImportPages.Progress);
        pages.MapGet("/{id:guid}/report", ImportPages.Report);
        pages.MapGet("/{id:guid}/revert", ImportPages.ConfirmRevert);
        pages.MapPost("/{id:guid}/revert", ImportPages.Revert);
        return app;
    }
}
