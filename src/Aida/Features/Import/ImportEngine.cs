using System.Diagnostics;
using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Microsoft.Extensions.Options;

namespace Aida.Features.Import;

/// <summary>A row read from the file: its number, and either the records it describes or its problems.</summary>
public sealed class PendingRow(long row, CustomerFields.Parsed? parsed, List<RowProblem> problems)
{
    public long Row { get; } = row;

    public CustomerFields.Parsed? Parsed { get; } = parsed;

    public List<RowProblem> Problems { get; } = problems;

    public RowOutcome? Outcome { get; set; }
}

/// <summary>
/// Runs an import (issue 17 item 1) in the background, as its owner: the file is read a row at a time,
/// each row validated with the API's rules (<see cref="CustomerFields.Build"/>), and written a batch per
/// transaction — new customers by <see cref="BulkInsert"/>, matches skipped, updated or created anyway as
/// the import's duplicate policy says, and every record created or updated listed in import_changes in the
/// same transaction, so a revert (or an interrupted run) never leaves a record it cannot account for.
/// All-or-nothing imports are read twice: a first pass writes nothing and stops at any problem.
/// </summary>
public sealed class ImportEngine(
    IServiceScopeFactory scopes, ImportStorage storage, IOptions<ImportSettings> settings,
    IOptions<DuplicateOptions> duplicateOptions, ILogger<ImportEngine> logger)
{
    private const double ProgressShareOfCheck = 0.3;

    public async Task RunAsync(Guid importId, CancellationToken cancellationToken)
    {
        Import import;
        User owner;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            import = await db.Set<Import>().AsNoTracking().FirstAsync(i => i.Id == importId, cancellationToken);
            owner = await db.Set<User>().IgnoreQueryFilters().AsNoTracking().FirstAsync(u => u.Id == import.OwnerId, cancellationToken);
        }

        if (ImportTargets.Of(import.EntityType) is { } target)
        {
            // Contacts and interactions: the same steps, through their IImportTarget.
            await using var targetScope = scopes.CreateAsyncScope();
            await targetScope.ServiceProvider.GetRequiredService<TargetImportEngine>().RunAsync(import, owner, target, cancellationToken);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var plan = ImportPlan.Of(import);
        try
        {
            if (!owner.IsActive)
            {
                await FinishAsync(importId, ImportStatus.Failed, "The user who started this import is no longer active.", null, cancellationToken);
                return;
            }

            if (!import.ValidRowsOnly)
            {
                var check = await PassAsync(import, owner, plan, dryRun: true, cancellationToken);
                if (check.Failed > 0)
                {
                    await FinishAsync(importId, ImportStatus.Failed,
                        $"{check.Failed:N0} of {check.Read:N0} rows have problems, so nothing was imported (all or nothing). Download the report, fix those rows and upload again, or choose to import the valid rows only.",
                        check with { Created = 0, Updated = 0, Skipped = check.Read - check.Failed }, cancellationToken);
                    return;
                }
            }

            var result = await PassAsync(import, owner, plan, dryRun: false, cancellationToken);
            await FinishAsync(importId, ImportStatus.Completed, null, result, cancellationToken);
            if (result.Created >= 10_000)
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AidaDb>().RefreshStatisticsAsync(cancellationToken);
            }

            logger.LogInformation("Import {ImportId} completed in {Elapsed}: {Read} rows", importId, stopwatch.Elapsed, result.Read);
        }
        catch (UnreadableFileException e)
        {
            await FinishAsync(importId, ImportStatus.Failed, e.Message + " Rows written before this point are listed in the report and can be reverted.", null, CancellationToken.None);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Import {ImportId} failed", importId);
            await FinishAsync(importId, ImportStatus.Failed,
                "The import stopped on an unexpected error. Rows written before it are listed in the report and can be reverted.", null, CancellationToken.None);
        }
    }

    public async Task<User> OwnerAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AidaDb>().Set<User>().IgnoreQueryFilters().AsNoTracking().FirstAsync(u => u.Id == ownerId, cancellationToken);
    }

    public sealed record Counts(long Read, long Created, long Updated, long Skipped, long Failed);

    private async Task<Counts> PassAsync(Import import, User owner, ImportPlan plan, bool dryRun, CancellationToken cancellationToken)
    {
        var shape = new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault());
        using var reader = TabularFile.Open(storage.FileOf(import.Id), shape);
        reader.ReadHeader();
        using var outcomes = new OutcomeWriter(storage.OutcomesOf(import.Id));
        var memory = plan.MapsParent ? new ParentMemory() : null;
        var blocking = new BlockingMemory(BatchDuplicates.ImportCandidateLimit, BatchDuplicates.ImportAddressLimit);
        var batch = new List<PendingRow>(settings.Value.BatchSize);
        var counts = new Counts(0, 0, 0, 0, 0);
        // One unit of work for the whole pass: on SQLite its connection keeps the pages the batches read and write in
        // its cache from one batch to the next (a write through another connection, a heartbeat's, would empty it).
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        db.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);
        // A second connection that reads stored customers beside the first while a batch is matched (BatchDuplicates).
        await using var besideScope = scopes.CreateAsyncScope();
        var beside = besideScope.ServiceProvider.GetRequiredService<AidaDb>();
        beside.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);

        async Task FlushAsync()
        {
            await ProcessAsync(db, import, owner, plan, batch, dryRun, memory, cancellationToken, blocking, beside);
            db.ChangeTracker.Clear();
            foreach (var row in batch)
            {
                if (dryRun && row.Outcome!.Outcome != RowOutcome.Failed)
                {
                    // The check pass writes nothing: should any row fail, this is what the report says of the others.
                    row.Outcome = row.Outcome with { Outcome = RowOutcome.Skipped, Reason = "Not imported: other rows have problems and the import is all or nothing.", RecordId = null };
                }

                outcomes.Write(row.Outcome!);
                counts = row.Outcome!.Outcome switch
                {
                    RowOutcome.Created => counts with { Created = counts.Created + 1 },
                    RowOutcome.Updated => counts with { Updated = counts.Updated + 1 },
                    RowOutcome.Skipped when !dryRun => counts with { Skipped = counts.Skipped + 1 },
                    RowOutcome.Skipped => counts,
                    _ => counts with { Failed = counts.Failed + 1 },
                };
            }

            outcomes.Flush();
            counts = counts with { Read = counts.Read + batch.Count };
            batch.Clear();
            var progress = dryRun ? reader.Progress * ProgressShareOfCheck : import.ValidRowsOnly ? reader.Progress : ProgressShareOfCheck + reader.Progress * (1 - ProgressShareOfCheck);
            await HeartbeatAsync(db, import.Id, dryRun ? null : counts, progress, cancellationToken);
        }

        while (reader.Read())
        {
            batch.Add(Read(plan, reader, owner.Id));
            if (batch.Count == settings.Value.BatchSize)
            {
                await FlushAsync();
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync();
        }

        return counts;
    }

    /// <summary>One row as read and validated, without looking at the database.</summary>
    public static PendingRow Read(ImportPlan plan, TableReader reader, Guid ownerId)
    {
        if (reader.Problem is { } problem)
        {
            return new PendingRow(reader.Row, null, [new RowProblem(reader.Row, problem.Column, null, problem.Message)]);
        }

        var parsed = CustomerFields.Build(plan.Values(reader.Cells), ownerId);
        return parsed.Customer is null
            ? new PendingRow(reader.Row, null, plan.Problems(reader.Row, parsed.Errors).ToList())
            : new PendingRow(reader.Row, parsed, []);
    }

    /// <summary>Names and external ids of organisations created earlier in this file, for rows that name them as parent.</summary>
    public sealed class ParentMemory
    {
        public Dictionary<string, Guid> ByExternalId { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Guid?> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Decides every row of a batch (parents, external ids, duplicates, the duplicate policy, access) and,
    /// unless <paramref name="dryRun"/>, writes it in one transaction. Each row gets its <see cref="PendingRow.Outcome"/>.
    /// </summary>
    public async Task ProcessAsync(
        Import import, User owner, ImportPlan plan, List<PendingRow> batch, bool dryRun, ParentMemory? memory, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        db.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);
        await ProcessAsync(db, import, owner, plan, batch, dryRun, memory, cancellationToken);
    }

    /// <summary>As <see cref="ProcessAsync(Import, User, ImportPlan, List{PendingRow}, bool, ParentMemory?, CancellationToken)"/>, in the caller's unit of work (acting as the owner).</summary>
    private async Task ProcessAsync(
        AidaDb db, Import import, User owner, ImportPlan plan, List<PendingRow> batch, bool dryRun, ParentMemory? memory, CancellationToken cancellationToken,
        BlockingMemory? blocking = null, AidaDb? beside = null)
    {
        // A check (or a preview) only reads: it takes no write transaction, so it never holds up other writers.
        await using var transaction = dryRun ? null : await db.BeginBulkInsertAsync(cancellationToken);

        foreach (var row in batch.Where(r => r.Parsed is null))
        {
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, Describe(row.Problems), null);
        }

        var candidates = batch.Where(r => r.Parsed is not null).ToList();
        await ResolveParentsAsync(db, plan, candidates, memory, cancellationToken);
        candidates = candidates.Where(r => r.Outcome is null).ToList();

        // An external id that is taken is a match (a re-import of the same source); one that repeats in the batch is the earlier row's.
        var externalIds = candidates.Select(r => r.Parsed!.Customer!.Customer.ExternalId).OfType<string>().Distinct().ToList();
        var byExternalId = new Dictionary<string, Guid>(StringComparer.Ordinal);
        for (var i = 0; i < externalIds.Count; i += 500)
        {
            var chunk = externalIds.GetRange(i, Math.Min(500, externalIds.Count - i));
            foreach (var hit in await CustomerAccess.All(db).AsNoTracking().Where(c => c.ExternalId != null && chunk.Contains(c.ExternalId))
                         .Select(c => new { c.Id, c.ExternalId }).ToListAsync(cancellationToken))
            {
                byExternalId[hit.ExternalId!] = hit.Id;
            }
        }

        var policy = import.OnDuplicate;
        var firstRowOfExternalId = new Dictionary<string, long>(StringComparer.Ordinal);
        var toScore = new List<PendingRow>();
        var matches = new Dictionary<PendingRow, Guid>();
        foreach (var row in candidates)
        {
            var externalId = row.Parsed!.Customer!.Customer.ExternalId;
            if (externalId is null)
            {
                toScore.Add(row);
            }
            else if (byExternalId.TryGetValue(externalId, out var existing))
            {
                if (policy == DuplicatePolicy.Create)
                {
                    Fail(row, plan, "externalId", $"another customer already has this external id.", existing);
                }
                else
                {
                    matches[row] = existing;
                }
            }
            else if (!firstRowOfExternalId.TryAdd(externalId, row.Row))
            {
                row.Outcome = policy == DuplicatePolicy.Create
                    ? Fail(row, plan, "externalId", $"row {firstRowOfExternalId[externalId]} has the same external id.", null)
                    : new RowOutcome(row.Row, RowOutcome.Skipped, $"Duplicate of row {firstRowOfExternalId[externalId]} of this file (same external id).", null);
            }
            else
            {
                toScore.Add(row);
            }
        }

        // Likely duplicates by the same scorer as the API (names, emails, phones, domains, addresses).
        // "Create anyway" needs no matching: the duplicate scan that follows an import puts likely pairs in the review queue.
        var scored = policy == DuplicatePolicy.Create
            ? new BatchMatch?[toScore.Count]
            : await BatchDuplicates.MatchAsync(db, toScore.Select(r => r.Parsed!.Customer!).ToList(), duplicateOptions.Value, cancellationToken, blocking, beside);
        for (var i = 0; i < toScore.Count; i++)
        {
            var row = toScore[i];
            if (scored[i] is not { } match)
            {
                continue;
            }

            if (match.ExistingId is { } existing)
            {
                matches[row] = existing;
            }
            else
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Likely duplicate of row {toScore[match.EarlierIndex!.Value].Row} of this file (score {match.Score:0.00}).", null);
            }
        }

        // A match is skipped, or updated when the policy says so and the importer may edit it.
        var visible = matches.Count == 0 ? [] : (await db.Set<Customer>().AsNoTracking().Where(c => matches.Values.Distinct().Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var updates = new List<(PendingRow Row, Guid Id)>();
        foreach (var (row, id) in matches)
        {
            if (policy == DuplicatePolicy.Skip)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, visible.Contains(id) ? $"Matches existing customer {id}." : "Matches an existing customer that is not yours.", visible.Contains(id) ? id : null);
            }
            else if (!visible.Contains(id) || !Permissions.Has(owner.Role, Permissions.CustomersEditProfile))
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, "Matches an existing customer that is not yours: not updated.", null);
            }
            else if (updates.Any(u => u.Id == id))
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Matches customer {id}, which an earlier row of this file updates.", id);
            }
            else
            {
                updates.Add((row, id));
            }
        }

        var updated = updates.Select(u => u.Row).ToHashSet();
        var creates = candidates.Where(r => r.Outcome is null && !updated.Contains(r)).ToList();
        foreach (var row in creates)
        {
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Created, "", row.Parsed!.Customer!.Customer.Id);
        }

        if (memory is not null)
        {
            creates = SettleParents(plan, candidates, creates, updates, memory);
        }

        if (dryRun)
        {
            foreach (var (row, id) in updates)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Updated, "", id);
            }

            return;
        }

        var changes = new List<ImportChange>(creates.Count + updates.Count);
        await WriteCreatesAsync(db, creates, changes, import.Id, cancellationToken);
        await WriteUpdatesAsync(db, plan, updates, changes, import.Id, cancellationToken);
        await BulkInsert.InsertAsync(db, changes, cancellationToken);

        if (changes.Count > 0)
        {
            var now = db.Clock.UtcNow();
            var created = creates.Select(r => (JsonNode)r.Parsed!.Customer!.Customer.Id.ToString()).ToArray();
            db.Add(new AuditEntry
            {
                OccurredAt = now,
                ActorId = owner.Id,
                ActorName = owner.DisplayName,
                EntityType = AuditRecorder.ImportEntityType,
                EntityId = import.Id,
                Action = AuditAction.Create,
                Changes = new JsonObject { ["customers"] = new JsonObject { ["to"] = creates.Count }, ["customerIds"] = new JsonArray(created), ["updated"] = updates.Count }.ToJsonString(ApiJson.Options),
            });
            var customerIds = creates.Select(r => r.Parsed!.Customer!.Customer.Id).ToList();
            var importId = import.Id;
            db.Publish("customers.imported", $"imports/{import.Id}", () => new { importId, customerIds, updated = updates.Count });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction!.CommitAsync(cancellationToken);
    }

    private static async Task WriteCreatesAsync(AidaDb db, List<PendingRow> creates, List<ImportChange> changes, Guid importId, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var customers = new List<Customer>(creates.Count);
        var contacts = new List<Contact>(creates.Count);
        var accounts = new List<Account>();
        var addresses = new List<Address>(creates.Count);
        foreach (var row in creates)
        {
            var created = row.Parsed!.Customer!;
            customers.Add(Stamp(created.Customer, now));
            if (created.Contact is { } contact)
            {
                contacts.Add(Stamp(contact, now));
            }

            if (created.Account is { } account)
            {
                accounts.Add(Stamp(account, now));
            }

            addresses.AddRange(created.Addresses.Select(a => Stamp(a, now)));
            changes.Add(new ImportChange { ImportId = importId, RecordId = created.Customer.Id, Kind = ImportChange.Created });
        }

        // Parents first: a row may name an organisation created earlier in the same batch.
        customers.Sort((a, b) => (a.ParentId is null ? 0 : 1).CompareTo(b.ParentId is null ? 0 : 1));
        await BulkInsert.InsertAsync(db, customers, cancellationToken);
        await BulkInsert.InsertAsync(db, contacts, cancellationToken);
        await BulkInsert.InsertAsync(db, accounts, cancellationToken);
        await BulkInsert.InsertAsync(db, addresses, cancellationToken);
    }

    /// <summary>Fields an update may change on an existing customer, with how to read and write them.</summary>
    private static readonly (string Field, Func<Customer, Contact?, string?> Get, Action<Customer, Contact?, string?> Set)[] Updatable =
    [
        ("displayName", (c, _) => c.DisplayName, (c, _, v) => c.DisplayName = v!),
        ("status", (c, _) => EnumText<CustomerStatus>.ToText(c.Status), (c, _, v) => c.Status = EnumText<CustomerStatus>.Parse(v!)),
        ("source", (c, _) => c.Source is { } s ? EnumText<CustomerSource>.ToText(s) : null, (c, _, v) => c.Source = v is null ? null : EnumText<CustomerSource>.Parse(v)),
        ("externalId", (c, _) => c.ExternalId, (c, _, v) => c.ExternalId = v),
        ("contact.firstName", (_, p) => p?.FirstName, (_, p, v) => p!.FirstName = v!),
        ("contact.lastName", (_, p) => p?.LastName, (_, p, v) => p!.LastName = v!),
        ("contact.email", (_, p) => p?.Email, (_, p, v) => p!.Email = v),
        ("contact.phone", (_, p) => p?.Phone, (_, p, v) => p!.Phone = v),
        ("contact.jobTitle", (_, p) => p?.JobTitle, (_, p, v) => p!.JobTitle = v),
    ];

    public static (Func<Customer, Contact?, string?> Get, Action<Customer, Contact?, string?> Set)? UpdatableField(string field) =>
        Updatable.FirstOrDefault(u => u.Field == field) is { Field: not null } u ? (u.Get, u.Set) : null;

    /// <summary>
    /// Updates change only the fields the file maps and fills (a blank cell never erases a value), on the
    /// customer and its primary contact; addresses and accounts of existing customers are left as they are.
    /// The previous and imported values go to import_changes so that a revert can give the previous back.
    /// </summary>
    private static async Task WriteUpdatesAsync(
        AidaDb db, ImportPlan plan, List<(PendingRow Row, Guid Id)> updates, List<ImportChange> changes, Guid importId, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var ids = updates.Select(u => u.Id).ToList();
        var customers = await db.Set<Customer>().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var primaries = await db.Set<Contact>().Where(c => ids.Contains(c.CustomerId) && c.IsPrimary).ToDictionaryAsync(c => c.CustomerId, cancellationToken);
        foreach (var (row, id) in updates)
        {
            var customer = customers[id];
            var primary = primaries.GetValueOrDefault(id);
            var built = row.Parsed!.Customer!;
            var source = new Customer { Type = built.Customer.Type, DisplayName = built.Customer.DisplayName, Status = built.Customer.Status, Source = built.Customer.Source, ExternalId = built.Customer.ExternalId };
            var previous = new JsonObject();
            var imported = new JsonObject();
            var untouched = new List<string>();
            foreach (var (field, get, set) in Updatable)
            {
                if (plan.ColumnOf(field) is null || (field == "displayName" && plan.ColumnOf("displayName") is null))
                {
                    continue;
                }

                var isContact = field.StartsWith("contact.", StringComparison.Ordinal);
                var value = get(source, built.Contact);
                if (value is null)
                {
                    continue; // a blank cell keeps what is stored
                }

                if (isContact && primary is null)
                {
                    untouched.Add(field);
                    continue;
                }

                var before = get(customer, primary);
                if (string.Equals(before, value, StringComparison.Ordinal))
                {
                    continue;
                }

                previous[field] = before;
                imported[field] = value;
                set(customer, primary, value);
            }

            if (imported.Count == 0)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Matches customer {id}, which already has these values.", id);
                continue;
            }

            var fields = imported.Select(kv => kv.Key).ToList();
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Updated, $"Updated customer {id}: {string.Join(", ", fields)}."
                + (untouched.Count > 0 ? " It has no primary contact, so the contact columns were not used." : ""), id);
            changes.Add(new ImportChange { ImportId = importId, RecordId = id, Kind = ImportChange.Updated, Previous = previous.ToJsonString(), Imported = imported.ToJsonString() });
            db.Publish("customer.updated", CustomerMapping.Subject(id), () => new { customer = customer.ToResponse(primary), changes = fields });
        }
    }

    private static async Task ResolveParentsAsync(AidaDb db, ImportPlan plan, List<PendingRow> rows, ParentMemory? memory, CancellationToken cancellationToken)
    {
        if (!plan.MapsParent)
        {
            return;
        }

        var externalIds = rows.Select(r => r.Parsed!.ParentExternalId).OfType<string>().Distinct().ToList();
        var names = rows.Where(r => r.Parsed!.ParentExternalId is null).Select(r => r.Parsed!.ParentName).OfType<string>().Distinct().ToList();
        // Only organisations the importer can see can be named as parents.
        var visible = db.Set<Customer>().AsNoTracking().Where(c => c.Type == CustomerType.Organization);
        var byExternalId = externalIds.Count == 0 ? [] : await visible.Where(c => c.ExternalId != null && externalIds.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId!, c => c.Id, StringComparer.Ordinal, cancellationToken);
        var byName = names.Count == 0 ? [] : (await visible.Where(c => names.Contains(c.DisplayName)).Select(c => new { c.DisplayName, c.Id }).ToListAsync(cancellationToken))
            .GroupBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Id : (Guid?)null, StringComparer.OrdinalIgnoreCase);

        // Organisations of this batch can be parents of the rows after them; SettleParents corrects those that are not created.
        foreach (var row in rows.Where(r => r.Parsed!.Customer!.Customer.Type == CustomerType.Organization))
        {
            Remember(memory!, row.Parsed!.Customer!.Customer);
        }

        foreach (var row in rows)
        {
            var customer = row.Parsed!.Customer!.Customer;
            if (row.Parsed.ParentExternalId is { } externalId)
            {
                if (byExternalId.TryGetValue(externalId, out var id) || (memory?.ByExternalId.TryGetValue(externalId, out id) ?? false))
                {
                    customer.ParentId = id;
                }
                else
                {
                    Fail(row, plan, "parentExternalId", $"no organisation with this external id exists (or it comes later in the file).", null);
                }
            }
            else if (row.Parsed.ParentName is { } name)
            {
                Guid? found = byName.TryGetValue(name, out var stored) ? stored : memory?.ByName.TryGetValue(name, out var remembered) == true ? remembered : Guid.Empty;
                if (found is null)
                {
                    Fail(row, plan, "parentName", $"several organisations have this name; use the parent's external id instead.", null);
                }
                else if (found == Guid.Empty)
                {
                    Fail(row, plan, "parentName", $"no organisation with this name exists (or it comes later in the file).", null);
                }
                else if (found == customer.Id)
                {
                    Fail(row, plan, "parentName", $"an organisation cannot be its own parent.", null);
                }
                else
                {
                    customer.ParentId = found;
                }
            }
        }
    }

    private static void Remember(ParentMemory memory, Customer customer)
    {
        if (customer.ExternalId is { } externalId)
        {
            memory.ByExternalId[externalId] = customer.Id;
        }

        // A name given twice in the file is ambiguous as a parent: remembered as such.
        memory.ByName[customer.DisplayName] = memory.ByName.TryGetValue(customer.DisplayName, out var known) && known != customer.Id ? null : customer.Id;
    }

    /// <summary>
    /// A row whose parent is an organisation of this file that was not created — it matched an existing
    /// customer, or failed — gets that existing customer as parent, or fails; the memory is corrected alike.
    /// </summary>
    private static List<PendingRow> SettleParents(
        ImportPlan plan, List<PendingRow> candidates, List<PendingRow> creates, List<(PendingRow Row, Guid Id)> updates, ParentMemory memory)
    {
        var byNewId = candidates.ToDictionary(r => r.Parsed!.Customer!.Customer.Id);
        var replaced = new Dictionary<Guid, Guid?>();
        foreach (var (newId, row) in byNewId)
        {
            if (row.Outcome?.Outcome == RowOutcome.Created)
            {
                continue;
            }

            replaced[newId] = updates.FirstOrDefault(u => u.Row == row).Id is var updatedId && updatedId != Guid.Empty ? updatedId : row.Outcome?.RecordId;
        }

        foreach (var (newId, replacement) in replaced)
        {
            foreach (var key in memory.ByExternalId.Where(kv => kv.Value == newId).Select(kv => kv.Key).ToList())
            {
                if (replacement is { } id)
                {
                    memory.ByExternalId[key] = id;
                }
                else
                {
                    memory.ByExternalId.Remove(key);
                }
            }

            foreach (var key in memory.ByName.Where(kv => kv.Value == newId).Select(kv => kv.Key).ToList())
            {
                if (replacement is { } id)
                {
                    memory.ByName[key] = id;
                }
                else
                {
                    memory.ByName.Remove(key);
                }
            }
        }

        var kept = new List<PendingRow>(creates.Count);
        foreach (var row in creates)
        {
            var customer = row.Parsed!.Customer!.Customer;
            if (customer.ParentId is { } parent && replaced.TryGetValue(parent, out var replacement))
            {
                if (replacement is { } id)
                {
                    customer.ParentId = id;
                }
                else
                {
                    Fail(row, plan, plan.ColumnOf("parentExternalId") is null ? "parentName" : "parentExternalId", $"the parent's row {byNewId[parent].Row} was not imported.", null);
                    continue;
                }
            }

            kept.Add(row);
        }

        return kept;
    }

    /// <summary>Fails a row for a problem found against the database, named by its column like the validation problems.</summary>
    private static RowOutcome Fail(PendingRow row, ImportPlan plan, string field, string message, Guid? recordId)
    {
        var problem = new RowProblem(row.Row, plan.ColumnOf(field), field, char.ToUpperInvariant(message[0]) + message[1..]);
        row.Problems.Add(problem);
        return row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, Describe([problem]), recordId);
    }

    private static string Column(ImportPlan plan, string field) => plan.ColumnOf(field) ?? field;

    public static string Describe(IReadOnlyList<RowProblem> problems) =>
        string.Join(" ", problems.Select(p => p.Column is null ? p.Message : $"{p.Column}: {p.Message}"));

    private static T Stamp<T>(T entity, DateTime now) where T : TrackedEntity
    {
        entity.CreatedAt = now;
        entity.UpdatedAt = now;
        entity.Version = 1;
        return entity;
    }

    /// <summary>Records a running import's progress (and its counts, when known), which also says it is alive.</summary>
    internal static async Task HeartbeatAsync(IServiceScopeFactory scopes, Guid importId, Counts? counts, double progress, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await HeartbeatAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), importId, counts, progress, cancellationToken);
    }

    private static async Task HeartbeatAsync(AidaDb db, Guid importId, Counts? counts, double progress, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var imports = db.Set<Import>().Where(i => i.Id == importId);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (counts is { } c)
        {
            await imports.ExecuteUpdateAsync(s => s
                .SetProperty(i => i.HeartbeatAt, now).SetProperty(i => i.UpdatedAt, now).SetProperty(i => i.Progress, progress)
                .SetProperty(i => i.RowsRead, c.Read).SetProperty(i => i.CreatedCount, c.Created).SetProperty(i => i.UpdatedCount, c.Updated)
                .SetProperty(i => i.SkippedCount, c.Skipped).SetProperty(i => i.FailedCount, c.Failed), cancellationToken);
        }
        else
        {
            await imports.ExecuteUpdateAsync(s => s.SetProperty(i => i.HeartbeatAt, now).SetProperty(i => i.UpdatedAt, now).SetProperty(i => i.Progress, progress), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private Task FinishAsync(Guid importId, ImportStatus status, string? error, Counts? counts, CancellationToken cancellationToken) =>
        FinishAsync(scopes, importId, status, error, counts, cancellationToken);

    /// <summary>Marks an import finished (completed or failed) with its counts, and audits it.</summary>
    internal static async Task FinishAsync(IServiceScopeFactory scopes, Guid importId, ImportStatus status, string? error, Counts? counts, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var import = await db.Set<Import>().FirstAsync(i => i.Id == importId, cancellationToken);
        var now = db.Clock.UtcNow();
        import.Status = status;
        import.Error = error;
        import.FinishedAt = now;
        import.UpdatedAt = now;
        import.Progress = 1;
        if (counts is { } c)
        {
            (import.RowsRead, import.CreatedCount, import.UpdatedCount, import.SkippedCount, import.FailedCount) = (c.Read, c.Created, c.Updated, c.Skipped, c.Failed);
        }

        db.Add(ImportAudit.Entry(db, import, AuditAction.Update, new JsonObject
        {
            ["status"] = new JsonObject { ["to"] = EnumText<ImportStatus>.ToText(status) },
            ["created"] = import.CreatedCount,
            ["updated"] = import.UpdatedCount,
            ["skipped"] = import.SkippedCount,
            ["failed"] = import.FailedCount,
        }, import.OwnerId));
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Audit entries of an import's steps (entity type <c>import</c>).</summary>
public static class ImportAudit
{
    public static AuditEntry Entry(AidaDb db, Import import, AuditAction action, JsonObject changes, Guid? actor = null) => new()
    {
        OccurredAt = db.Clock.UtcNow(),
        ActorId = actor ?? db.Operation.ActorId,
        ActorName = actor is null ? db.Operation.ActorName : "import",
        ActorTokenId = actor is null ? db.Operation.TokenId : null,
        RequestId = db.Operation.RequestId,
        EntityType = AuditRecorder.ImportEntityType,
        EntityId = import.Id,
        Action = action,
        Changes = changes.ToJsonString(ApiJson.Options),
    };
}
