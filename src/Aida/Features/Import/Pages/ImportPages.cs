using Aida.Features.Customers;
using Microsoft.Extensions.Options;

namespace Aida.Features.Import.Pages;

/// <summary>
/// The import wizard as pages: the list of one's imports with the upload form; the mapping of the file's
/// columns to fields with the options; the preview of the first rows with their problems; the progress of the
/// background run; the result with its report and the revert. Each step calls the API's own use case
/// (<see cref="UploadImport.CreateAsync"/>, <see cref="SetImportMapping"/>, <see cref="PreviewImport"/>,
/// <see cref="StartImport"/>, <see cref="ImportReport"/>, <see cref="RevertImport"/>) in process, and turns its
/// refusals into a message on the page; nothing is changed by a refused form.
/// </summary>
public static class ImportPages
{
    /// <summary>Rows shown by the preview step.</summary>
    public const int PreviewRows = 20;

    /// <summary>Rows read for each column's sample value on the mapping step.</summary>
    private const int SampleRows = 5;

    private const int SampleChars = 60;

    public static async Task<IResult> List(HttpContext http, AidaDb db, IOptions<ImportSettings> settings, CancellationToken cancellationToken)
    {
        var imports = (await GetImport.List(db, cancellationToken)).Value!.Items;
        return Html.Page<ImportListPage>(new { Context = UiContext.For(http), Imports = imports, MaxFileBytes = settings.Value.MaxFileBytes });
    }

    /// <summary>The upload form's post: the file is stored and read as the API's upload stores and reads it, then the mapping step opens.</summary>
    public static async Task<IResult> Upload(
        HttpContext http, AidaDb db, ImportStorage storage, IOptions<ImportSettings> settings, IFormCollection form, CancellationToken cancellationToken)
    {
        var file = form.Files.GetFile("file");
        if (file is null || string.IsNullOrEmpty(file.FileName))
        {
            return Refused(http, "/imports", "Choose a file to upload: a CSV (.csv, .txt) or Excel (.xlsx, .xls) file.");
        }

        var sourceName = form["sourceName"].ToString().Trim();
        if (sourceName.Length > 200)
        {
            return Refused(http, "/imports", "The source name must be at most 200 characters.");
        }

        if (file.Length > settings.Value.MaxFileBytes)
        {
            return Refused(http, "/imports", $"The file is larger than {settings.Value.MaxFileBytes:N0} bytes, the most this server accepts.");
        }

        var import = new Import { OwnerId = db.Operation.ActorId };
        Directory.CreateDirectory(storage.Directory);
        var path = storage.FileOf(import.Id);
        try
        {
            await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            await file.CopyToAsync(target, cancellationToken);
        }
        catch
        {
            File.Delete(path); // a copy cut short (the client went away) leaves nothing behind
            throw;
        }

        var entityType = form["entityType"].ToString().Trim();
        var created = await UploadImport.CreateAsync(db, import, path, file.FileName, sourceName, entityType, file.Length, cancellationToken);
        if (created.Failure is { } failure)
        {
            return Refused(http, "/imports", $"{Path.GetFileName(file.FileName)} was not uploaded: {failure.Message}");
        }

        var headers = JsonSerializer.Deserialize<List<string>>(import.Headers)!;
        var how = created.MappingSource == "saved"
            ? $"its columns are mapped as you saved them for “{import.SourceName}”"
            : "its columns are mapped from their names where Aida recognised them";
        return Html.Done(http, $"/imports/{import.Id}",
            $"{import.FileName} was uploaded with {headers.Count} {(headers.Count == 1 ? "column" : "columns")}; {how}. Check the mapping, then preview.");
    }

    /// <summary>An import's page: the step it is at — mapping before it starts, progress while it runs, the result once it is done.</summary>
    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, ImportStorage storage, CancellationToken cancellationToken)
    {
        var import = await FindAsync(db, id, cancellationToken);
        if (import is null)
        {
            return Html.NotFound(http, "import");
        }

        var now = db.Clock.UtcNow();
        var response = import.ToResponse(now);
        return import.Status switch
        {
            ImportStatus.Uploaded => MappingPage(http, import, response, storage, null, null, null),
            ImportStatus.Queued or ImportStatus.Running => Html.Page<ImportProgressPage>(new { Context = UiContext.For(http), Import = response }),
            _ => Html.Page<ImportResultPage>(new
            {
                Context = UiContext.For(http),
                Import = response,
                HasReport = HasReport(import, storage),
                Revertible = Revertible(response, now),
            }),
        };
    }

    /// <summary>The mapping form's post: saved through the API's use case, then the preview; a refused mapping comes back with the choices made and why.</summary>
    public static async Task<IResult> SaveMapping(Guid id, HttpContext http, AidaDb db, ImportStorage storage, IFormCollection form, CancellationToken cancellationToken)
    {
        var import = await FindAsync(db, id, cancellationToken);
        if (import is null)
        {
            return Html.NotFound(http, "import");
        }

        if (import.Status != ImportStatus.Uploaded)
        {
            return Refused(http, $"/imports/{id}", "Nothing was changed: this import has started already, and its mapping can no longer change.");
        }

        var headers = JsonSerializer.Deserialize<List<string>>(import.Headers)!;
        var mapping = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            mapping[headers[i]] = form[$"column.{i}"].ToString().Trim() is { Length: > 0 } field ? field : null;
        }

        var errors = new ValidationErrors();
        DuplicatePolicy? onDuplicate = null;
        if (form["onDuplicate"].ToString() is { Length: > 0 } policy)
        {
            if (EnumText<DuplicatePolicy>.TryParse(policy, out var parsed))
            {
                onDuplicate = parsed;
            }
            else
            {
                errors.Add("onDuplicate", "Choose what to do with a row that matches an existing customer: skip it, update the customer, or create it anyway.");
            }
        }

        var validRowsOnly = form["validRowsOnly"].ToString() switch
        {
            "true" => true,
            "false" or "" => false,
            _ => (bool?)null,
        };
        if (validRowsOnly is null)
        {
            errors.Add("validRowsOnly", "Choose whether one row with a problem stops the whole import, or only that row is left out.");
        }

        var save = form["saveMapping"].ToString() == "true";
        if (errors.Any)
        {
            return MappingPage(http, import, import.ToResponse(db.Clock.UtcNow()), storage, mapping, errors.ToDictionary(), (onDuplicate, validRowsOnly, save));
        }

        var result = await SetImportMapping.Handle(id, new SetImportMapping.Request(mapping, null, onDuplicate, validRowsOnly, save), db, cancellationToken);
        switch (result.Result)
        {
            case Ok<ImportResponse>:
                if (save)
                {
                    Flash.Set(http, FlashKind.Success, $"The mapping is saved for “{import.SourceName}”: the next file from it is mapped the same way.");
                }

                return TypedResults.Redirect($"/imports/{id}/preview");
            case ValidationProblem invalid:
                return MappingPage(http, import, import.ToResponse(db.Clock.UtcNow()), storage, mapping, invalid.ProblemDetails.Errors, (onDuplicate, validRowsOnly, save));
            case ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound }:
                return Html.NotFound(http, "import");
            default:
                return Refused(http, $"/imports/{id}", "Nothing was changed: " + Reasons(result.Result));
        }
    }

    /// <summary>The first rows as they will be stored, with their problems, before the import starts.</summary>
    public static async Task<IResult> Preview(Guid id, HttpContext http, AidaDb db, ImportStorage storage, ImportPreviewer previewer, CancellationToken cancellationToken)
    {
        var import = await FindAsync(db, id, cancellationToken);
        if (import is null)
        {
            return Html.NotFound(http, "import");
        }

        if (import.Status != ImportStatus.Uploaded)
        {
            return TypedResults.Redirect($"/imports/{id}");
        }

        var unmapped = ImportPlan.Check(JsonSerializer.Deserialize<List<string>>(import.Headers)!, ImportPlan.ParseMapping(import.Mapping), import.EntityType);
        if (unmapped.Any)
        {
            return Refused(http, $"/imports/{id}", "Map the columns first: " + string.Join(" ", unmapped.ToDictionary().SelectMany(e => e.Value)));
        }

        var result = await PreviewImport.Handle(id, PreviewRows, db, storage, previewer, cancellationToken);
        return result.Result switch
        {
            Ok<PreviewResponse> ok => Html.Page<ImportPreviewPage>(new
            {
                Context = UiContext.For(http),
                Import = import.ToResponse(db.Clock.UtcNow()),
                Preview = ok.Value!,
                Cells = FirstRows(import, storage, PreviewRows),
            }),
            ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Html.NotFound(http, "import"),
            ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict } => Refused(http, "/imports", Reasons(result.Result) + " Upload the file again."),
            _ => Refused(http, $"/imports/{id}", "The file cannot be previewed: " + Reasons(result.Result)),
        };
    }

    public static async Task<IResult> Start(Guid id, HttpContext http, AidaDb db, ImportWorker worker, IFormCollection form, CancellationToken cancellationToken)
    {
        _ = form; // bound so that the form's token is checked
        var result = await StartImport.Handle(id, db, worker, cancellationToken);
        return result.Result switch
        {
            Accepted<ImportResponse> => Html.Done(http, $"/imports/{id}", "The import has started. It runs in the background: you can leave this page and come back to it."),
            ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Html.NotFound(http, "import"),
            _ => Refused(http, $"/imports/{id}", "Nothing was started: " + Reasons(result.Result)),
        };
    }

    /// <summary>The progress box, polled by htmx while the import runs; once it has finished, the whole page is reloaded to show the result.</summary>
    public static async Task<IResult> Progress(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var import = await FindAsync(db, id, cancellationToken);
        if (import is null)
        {
            return Html.NotFound(http, "import");
        }

        if (!Html.IsHtmx(http.Request))
        {
            return TypedResults.Redirect($"/imports/{id}");
        }

        if (import.Status is not (ImportStatus.Queued or ImportStatus.Running))
        {
            http.Response.Headers["HX-Redirect"] = $"/imports/{id}";
            return TypedResults.Ok();
        }

        return Html.Page<ImportProgress>(new { Import = import.ToResponse(db.Clock.UtcNow()) });
    }

    /// <summary>The report as the API streams it (the file's rows with their outcome and reason), under the page's sign-in.</summary>
    public static async Task<IResult> Report(Guid id, HttpContext http, AidaDb db, ImportStorage storage, CancellationToken cancellationToken)
    {
        var result = await ImportReport.Handle(id, db, storage, cancellationToken);
        return result.Result switch
        {
            ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Html.NotFound(http, "import"),
            ProblemHttpResult => Refused(http, $"/imports/{id}", "There is no report to download: " + Reasons(result.Result)),
            var stream => stream,
        };
    }

    public static async Task<IResult> ConfirmRevert(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var import = await FindAsync(db, id, cancellationToken);
        if (import is null)
        {
            return Html.NotFound(http, "import");
        }

        var now = db.Clock.UtcNow();
        var response = import.ToResponse(now);
        if (!Revertible(response, now))
        {
            return Refused(http, $"/imports/{id}", NotRevertible(response, now));
        }

        return Html.Page<ImportRevertPage>(new { Context = UiContext.For(http), Import = response });
    }

    public static async Task<IResult> Revert(
        Guid id, HttpContext http, AidaDb db, ImportStorage storage, [FromServices] IEnumerable<ICustomerDependents> dependents, IHostApplicationLifetime lifetime,
        IFormCollection form, CancellationToken cancellationToken)
    {
        _ = form; // bound so that the form's token is checked
        var result = await RevertImport.Handle(id, db, storage, dependents, lifetime, cancellationToken);
        switch (result.Result)
        {
            case Ok<RevertImport.Response> { Value: { } done }:
                var message = $"The import was reverted: {Count(done.Removed, ImportDisplay.Noun(done.Import.EntityType))} removed, {Count(done.Restored, "field")} restored to {(done.Restored == 1 ? "its" : "their")} earlier value.";
                if (done.KeptLaterChanges > 0)
                {
                    message += $" {Count(done.KeptLaterChanges, "field")} changed by someone after the import kept {(done.KeptLaterChanges == 1 ? "its" : "their")} newer value.";
                }

                if (done.NoLongerYours > 0)
                {
                    message += $" {Count(done.NoLongerYours, ImportDisplay.Noun(done.Import.EntityType))} deleted or moved out of your reach since the import {(done.NoLongerYours == 1 ? "was" : "were")} left as {(done.NoLongerYours == 1 ? "it is" : "they are")}.";
                }

                return Html.Done(http, $"/imports/{id}", message);
            case ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound }:
                return Html.NotFound(http, "import");
            default:
                return Refused(http, $"/imports/{id}", "Nothing was reverted: " + Reasons(result.Result));
        }
    }

    private static Task<Import?> FindAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        ImportMapping.Visible(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    private static IResult MappingPage(
        HttpContext http, Import import, ImportResponse response, ImportStorage storage,
        IReadOnlyDictionary<string, string?>? posted, IDictionary<string, string[]>? errors, (DuplicatePolicy?, bool?, bool)? options)
    {
        var samples = Samples(import, storage);
        var mapping = posted ?? response.Mapping;
        var columns = response.Headers.Select((header, i) => new MappingColumn(
            i, header, samples.ElementAtOrDefault(i), mapping.GetValueOrDefault(header),
            errors?.TryGetValue($"mapping.{header}", out var messages) == true ? string.Join(" ", messages) : null)).ToList();
        // Errors that belong to no one column (no name mapped, a bad option) are listed above the form.
        var general = errors?.Where(e => !e.Key.StartsWith("mapping.", StringComparison.Ordinal) || !response.Headers.Contains(e.Key["mapping.".Length..]))
            .SelectMany(e => e.Value).ToList() ?? [];
        var (onDuplicate, validRowsOnly, save) = options ?? (response.OnDuplicate, response.ValidRowsOnly, false);
        return Html.Page<ImportMappingPage>(new
        {
            Context = UiContext.For(http),
            Import = response,
            Columns = columns,
            Problems = general,
            HasErrors = errors is { Count: > 0 },
            OnDuplicate = onDuplicate ?? response.OnDuplicate,
            ValidRowsOnly = validRowsOnly ?? response.ValidRowsOnly,
            SaveMapping = save,
        }, errors is { Count: > 0 } ? StatusCodes.Status400BadRequest : null);
    }

    /// <summary>Each column's first non-empty value in the first rows, shortened: what the person mapping it recognises.</summary>
    private static List<string?> Samples(Import import, ImportStorage storage)
    {
        var samples = new string?[JsonSerializer.Deserialize<List<string>>(import.Headers)!.Count];
        foreach (var cells in FirstRows(import, storage, SampleRows).Values)
        {
            for (var i = 0; i < samples.Length && i < cells.Length; i++)
            {
                if (samples[i] is null && cells[i].Trim() is { Length: > 0 } cell)
                {
                    samples[i] = cell;
                }
            }
        }

        return [.. samples];
    }

    /// <summary>The file's first rows as it holds them, by row number (as the spreadsheet numbers them), each cell shortened for the screen.</summary>
    private static Dictionary<long, string[]> FirstRows(Import import, ImportStorage storage, int count)
    {
        var rows = new Dictionary<long, string[]>();
        var path = storage.FileOf(import.Id);
        if (import.FileDeleted || !File.Exists(path))
        {
            return rows;
        }

        try
        {
            using var reader = TabularFile.Open(path, new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault()));
            reader.ReadHeader();
            while (rows.Count < count && reader.Read())
            {
                rows[reader.Row] = reader.Cells.Select(c => c.Length > SampleChars ? c[..SampleChars] + "…" : c).ToArray();
            }
        }
        catch (UnreadableFileException)
        {
            // The preview names the problem; the screens can do without the raw cells.
        }

        return rows;
    }

    private static bool HasReport(Import import, ImportStorage storage) =>
        import.Status is not (ImportStatus.Uploaded or ImportStatus.Queued) && !import.FileDeleted && File.Exists(storage.FileOf(import.Id));

    public static bool Revertible(ImportResponse import, DateTime now) =>
        import.RevertedAt is null && import.RevertibleUntil is { } until && until >= now && import.Status is ImportStatus.Completed or ImportStatus.Failed;

    private static string NotRevertible(ImportResponse import, DateTime now) =>
        import.RevertedAt is not null ? "This import was reverted already."
        : import.Status is ImportStatus.Uploaded or ImportStatus.Queued or ImportStatus.Running ? "Only a finished import can be reverted."
        : import.RevertibleUntil is { } until && until < now ? "An import can be reverted for 30 days after it ran; this one is older."
        : "This import wrote nothing, so there is nothing to revert.";

    private static IResult Refused(HttpContext http, string url, string message)
    {
        Flash.Set(http, FlashKind.Error, message);
        return TypedResults.Redirect(url);
    }

    /// <summary>The words of a use case's refusal: its field messages, else its detail.</summary>
    private static string Reasons(IResult result) => result switch
    {
        ValidationProblem invalid => string.Join(" ", invalid.ProblemDetails.Errors.SelectMany(e => e.Value)),
        ProblemHttpResult problem => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "",
        _ => "",
    };

    private static string Count(long n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";
}

/// <summary>One column of the file on the mapping step: its header, a value from it, the field it goes to, and what is wrong with that.</summary>
public sealed record MappingColumn(int Index, string Header, string? Sample, string? Field, string? Error);
