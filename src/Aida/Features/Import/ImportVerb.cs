using System.CommandLine;
using Aida.Platform.Hosting;
using Aida.Platform.Hosting.Verbs;

namespace Aida.Features.Import;

/// <summary>
/// <c>aida import FILE</c>: the wizard's import from the shell, through the same engine, rules and audit
/// (as the built-in system actor, who owns the imported customers). Progress goes to standard error, the
/// summary to standard output; the exit code is 0 when the import completed, 1 when it failed or was refused.
/// </summary>
public static class ImportVerb
{
    private static readonly Argument<FileInfo> File = new("FILE") { Description = "A CSV (any delimiter or encoding) or Excel (.xlsx, .xls) file." };

    private static readonly Option<string> Type = new("--type")
    {
        Description = "What the rows are: customers, contacts (of existing customers), interactions (a history) or leads.",
        DefaultValueFactory = _ => ImportEntities.Customers,
    };

    private static readonly Option<string?> Mapping = new("--mapping")
    {
        Description = "The source name a mapping was saved under (in the wizard); without it, the mapping is suggested from the header.",
    };

    private static readonly Option<string> OnDuplicate = new("--on-duplicate")
    {
        Description = "What to do with a row that matches an existing customer: skip, update or create.",
        DefaultValueFactory = _ => "skip",
    };

    private static readonly Option<bool> ValidRowsOnly = new("--valid-rows-only")
    {
        Description = "Import the rows without problems and report the others; without it, one bad row means nothing is imported.",
    };

    public static Command Create()
    {
        var command = Cli.AddDatabaseOptions(new Command("import", "Import customers, contacts, interactions or leads from a CSV or Excel file.") { File, Type, Mapping, OnDuplicate, ValidRowsOnly });
        command.Validators.Add(result =>
        {
            if (result.GetValue(OnDuplicate) is { Length: > 0 } policy && !EnumText<DuplicatePolicy>.TryParse(policy, out _))
            {
                result.AddError("--on-duplicate must be skip, update or create.");
            }
        });
        command.SetAction((parse, cancellationToken) => CliServer.RunAsync(parse, (services, db) => RunAsync(parse, services, db, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, IServiceProvider services, AidaDb db, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(File)!;
        if (!file.Exists)
        {
            return await CliServer.FailAsync($"{file.FullName} does not exist.");
        }

        var storage = services.GetRequiredService<ImportStorage>();
        var import = new Import { OwnerId = db.Operation.ActorId };
        Directory.CreateDirectory(storage.Directory);
        var path = storage.FileOf(import.Id);
        System.IO.File.Copy(file.FullName, path);
        var created = await UploadImport.CreateAsync(db, import, path, file.Name, parse.GetValue(Mapping), parse.GetValue(Type), file.Length, cancellationToken);
        if (created.Failure is { } failure)
        {
            return await CliServer.FailAsync($"{failure.Field}: {failure.Message}");
        }

        var headers = JsonSerializer.Deserialize<List<string>>(import.Headers)!;
        var errors = ImportPlan.Check(headers, ImportPlan.ParseMapping(import.Mapping), import.EntityType);
        if (errors.Any)
        {
            return await CliServer.FailAsync("the columns cannot be mapped: "
                + string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)) + " Save a mapping in the wizard and pass its source name with --mapping.");
        }

        var now = db.Clock.UtcNow();
        await db.Set<Import>().Where(i => i.Id == import.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.OnDuplicate, EnumText<DuplicatePolicy>.Parse(parse.GetValue(OnDuplicate)!))
            .SetProperty(i => i.ValidRowsOnly, parse.GetValue(ValidRowsOnly))
            .SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.StartedAt, now).SetProperty(i => i.HeartbeatAt, now), cancellationToken);
        await Console.Error.WriteLineAsync($"Importing {file.Name} ({created.MappingSource} mapping: {string.Join(", ", ImportPlan.ParseMapping(import.Mapping).Where(m => m.Value is not null).Select(m => $"{m.Key} → {m.Value}"))})");

        var run = services.GetRequiredService<ImportEngine>().RunAsync(import.Id, cancellationToken);
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)) != run)
        {
            var progress = await ReadAsync(db, import.Id, cancellationToken);
            await Console.Error.WriteLineAsync($"  {progress.Counts.Read:N0} rows, {progress.Progress:P0}, {progress.RowsPerSecond ?? 0:N0} rows/s, {progress.SecondsLeft ?? 0:N0} s left");
        }

        await run;
        var done = await ReadAsync(db, import.Id, cancellationToken);
        var c = done.Counts;
        Console.WriteLine($"Import {done.Id} {EnumText<ImportStatus>.ToText(done.Status)}: {c.Read:N0} rows read, {c.Created:N0} created, {c.Updated:N0} updated, {c.Skipped:N0} skipped, {c.Failed:N0} failed ({done.RowsPerSecond ?? 0:N0} rows/s).");
        if (done.Error is { } error)
        {
            Console.WriteLine(error);
        }

        Console.WriteLine($"Report: GET /api/v1/imports/{done.Id}/report");
        return done.Status == ImportStatus.Completed ? 0 : 1;
    }

    private static async Task<ImportResponse> ReadAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        (await db.Set<Import>().AsNoTracking().FirstAsync(i => i.Id == id, cancellationToken)).ToResponse(db.Clock.UtcNow());
}
