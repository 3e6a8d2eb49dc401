using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aida.Features.Import;

/// <summary>
/// <c>POST /api/v1/imports</c>: a multipart upload (field <c>file</c>; optional <c>sourceName</c> and
/// <c>entityType</c>) streamed to disk as it arrives, never held in memory. The file's format, encoding and
/// delimiter are found from its bytes; its header is read and checked; a mapping is suggested (the one saved
/// for the source, else one from the header names); the answer carries a preview of the first rows.
/// </summary>
public static class UploadImport
{
    public const int PreviewRows = 10;

    public static async Task<Results<Created<UploadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, AidaDb db, ImportStorage storage, ImportPreviewer previewer, IOptions<ImportSettings> settings, CancellationToken cancellationToken)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            return Problems.Validation("file", "Send the file as multipart/form-data in a field named 'file'.");
        }

        var import = new Import { OwnerId = db.Operation.ActorId };
        Directory.CreateDirectory(storage.Directory);
        var path = storage.FileOf(import.Id);
        string? fileName = null, sourceName = null, entityType = null;
        long bytes = 0;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && fileName is null)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload";
                    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await section.Body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        bytes += read;
                        if (bytes > settings.Value.MaxFileBytes)
                        {
                            return Problems.Validation("file", $"The file is larger than {settings.Value.MaxFileBytes:N0} bytes, the most this server accepts (Import:MaxFileBytes).");
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
                else if (name is "sourceName" or "entityType")
                {
                    using var text = new StreamReader(section.Body);
                    var value = (await text.ReadToEndAsync(cancellationToken)).Trim();
                    if (value.Length > 200)
                    {
                        return Problems.Validation(name, "Must be at most 200 characters.");
                    }

                    (sourceName, entityType) = name == "sourceName" ? (value, entityType) : (sourceName, value);
                }
            }
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            File.Delete(path);
            return Problems.Validation("file", "The upload is not well-formed multipart/form-data.");
        }
        catch (InvalidDataException)
        {
            File.Delete(path);
            return Problems.Validation("file", "The upload is not well-formed multipart/form-data.");
        }
        finally
        {
            if (fileName is not null && bytes > settings.Value.MaxFileBytes)
            {
                File.Delete(path);
            }
        }

        if (fileName is null)
        {
            return Problems.Validation("file", "Is required: a CSV (.csv, .txt) or Excel (.xlsx, .xls) file in a field named 'file'.");
        }

        var created = await CreateAsync(db, import, path, fileName, sourceName, entityType, bytes, cancellationToken);
        if (created.Failure is { } failure)
        {
            return Problems.Validation(failure.Field, failure.Message);
        }

        var now = import.CreatedAt;
        var source = created.MappingSource!;
        var preview = await previewer.PreviewAsync(import, PreviewRows, cancellationToken);
        var fields = ImportTargets.FieldsOf(import.EntityType).Select(f => new FieldResponse(f.Name, f.Label)).ToList();
        return TypedResults.Created(ImportMapping.Location(import.Id), new UploadResponse(import.ToResponse(now), source, fields, preview));
    }

    public sealed record Creation(string? MappingSource, (string Field, string Message)? Failure);

    /// <summary>
    /// Makes an import of a file already at <paramref name="path"/> (<see cref="ImportStorage.FileOf"/>): its
    /// shape and header read and checked, its mapping chosen (saved for the source, else suggested), stored
    /// and audited. The API's upload and <c>aida import</c> both come here. A refused file is deleted.
    /// </summary>
    public static async Task<Creation> CreateAsync(
        AidaDb db, Import import, string path, string fileName, string? sourceName, string? entityType, long bytes, CancellationToken cancellationToken)
    {
        entityType = string.IsNullOrEmpty(entityType) ? ImportEntities.Customers : entityType;
        if (!ImportEntities.Supported.Contains(entityType))
        {
            File.Delete(path);
            return new Creation(null, ("entityType", $"Must be one of: {string.Join(", ", ImportEntities.Supported)}."));
        }

        List<string> headers;
        try
        {
            var shape = TabularFile.Sniff(path);
            using var table = TabularFile.Open(path, shape);
            table.ReadHeader();
            headers = table.Headers.ToList();
            if (!table.Read())
            {
                throw new UnreadableFileException("The file has a header row but no data rows.");
            }

            import.FileFormat = shape.Format;
            import.Encoding = shape.EncodingName;
            import.Delimiter = shape.Delimiter?.ToString();
        }
        catch (UnreadableFileException e)
        {
            File.Delete(path);
            return new Creation(null, ("file", e.Message));
        }

        var now = db.Clock.UtcNow();
        import.FileName = Path.GetFileName(fileName);
        import.SourceName = string.IsNullOrWhiteSpace(sourceName) ? import.FileName : sourceName;
        import.EntityType = entityType;
        import.FileBytes = bytes;
        import.Headers = JsonSerializer.Serialize(headers);
        import.CreatedAt = now;
        import.UpdatedAt = now;

        // A mapping saved for this source is used as far as the new file's columns allow; else the header names suggest one.
        var saved = await db.Set<SavedMapping>().AsNoTracking()
            .FirstOrDefaultAsync(m => m.SourceName == import.SourceName && m.EntityType == entityType, cancellationToken);
        var suggested = ImportTargets.Suggest(entityType, headers);
        var source = "suggested";
        if (saved is not null)
        {
            var previous = ImportPlan.ParseMapping(saved.Mapping);
            var reused = headers.ToDictionary(h => h, h => previous.TryGetValue(h, out var field) ? field : null, StringComparer.Ordinal);
            if (!ImportPlan.Check(headers, reused, entityType).Any)
            {
                suggested = reused;
                source = "saved";
            }
        }

        import.Mapping = JsonSerializer.Serialize(suggested);
        db.Add(import);
        db.Add(ImportAudit.Entry(db, import, AuditAction.Create, new JsonObject
        {
            ["fileName"] = new JsonObject { ["to"] = import.FileName },
            ["fileBytes"] = new JsonObject { ["to"] = bytes },
            ["entityType"] = new JsonObject { ["to"] = entityType },
        }));
        await db.SaveChangesAsync(cancellationToken);

        return new Creation(source, null);
    }
}
