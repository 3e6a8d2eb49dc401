using System.Text.Json.Nodes;

namespace Aida.Features.Exports;

/// <summary>The filters an export was asked with, as the audit entry records them (only those given).</summary>
internal static class ExportFilters
{
    public static JsonObject Of(params (string Name, object? Value)[] filters)
    {
        var json = new JsonObject();
        foreach (var (name, value) in filters)
        {
            if (value is not null && (value is not string text || !string.IsNullOrWhiteSpace(text)))
            {
                json[name] = JsonValue.Create(value is string s ? s : Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        return json;
    }
}
