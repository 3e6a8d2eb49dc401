namespace Aida.Platform.Export;

/// <summary>The file formats every export is offered in (issue 17: CSV, Excel and JSON).</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
    Json,
}

public static class ExportFormats
{
    /// <summary>The <c>format</c> query parameter, read as text (CSV when absent); a bad one is a 400 naming the field.</summary>
    public static ExportFormat Parse(string? text, ValidationErrors errors) =>
        string.IsNullOrWhiteSpace(text) ? ExportFormat.Csv : QueryValues.Enum<ExportFormat>(text.Trim(), "format", errors) ?? ExportFormat.Csv;

    public static string ContentType(this ExportFormat format) => format switch
    {
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => "text/csv; charset=utf-8",
    };

    public static string Extension(this ExportFormat format) => EnumText<ExportFormat>.ToText(format);

    /// <summary>Documents an export's download in the OpenAPI document: JSON is an array of row objects, or CSV, or a workbook.</summary>
    public static RouteHandlerBuilder ProducesExport(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<Dictionary<string, JsonElement>[]>(StatusCodes.Status200OK, "application/json",
            "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    public static IReadOnlyList<string> Names => EnumText<ExportFormat>.AllNames;
}
