using System.Diagnostics;
using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Microsoft.Extensions.Options;

namespace Aida.Features.Import;

public sealed record ImportOptions
{
    public int BatchSize { get; init; } = 20_000;

    /// <summary>Check each row against existing customers (and the rest of its batch) and skip likely duplicates.</summary>
    public bool Dedupe { get; init; }
}

public sealed record ImportProgress(long Read, long Imported, long Rejected, long Duplicates, TimeSpan Elapsed);

public sealed record RejectedRow(long Row, IDictionary<string, string[]> Errors);

public sealed record ImportResult(
    Guid ImportId,
    long Read,
    long Imported,
    long Rejected,
    long Duplicates,
    TimeSpan Elapsed,
    IReadOnlyList<RejectedRow> FirstRejections);

/// <summary>
/// The bulk path for customers (WF-CM-001 "Bulk Import"): rows are validated exactly as the API validates
/// them, optionally checked for duplicates a batch at a time, and written a batch per transaction with
/// <see cref="BulkInsert"/>. A batch is all-or-nothing. Instead of one audit entry and event per record,
/// each batch writes one audit entry (entity type <c>import</c>) and one <c>customers.imported</c> event
/// listing the new customer ids, so a million rows cost a few hundred extra rows, not millions.
/// </summary>
public sealed class CustomerImporter(IServiceScopeFactory scopes, IOptions<DuplicateOptions> duplicateOptions)
{
    private const int MaxReportedRejections = 100;

    /// <summary>Imports this large change the tables enough that the planner's statistics should follow at once.</summary>
    private const int StatisticsRefreshThreshold = 10_000;

    public async Task<ImportResult> ImportAsync(
        IAsyncEnumerable<CreateCustomer.Request> rows,
        ImportOptions options,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var importId = Guid.CreateVersion7();
        var stopwatch = Stopwatch.StartNew();
        var actor = await ActorAsync();
        long read = 0, imported = 0, rejected = 0, duplicates = 0;
        var rejections = new List<RejectedRow>();
        var batch = new List<(long Row, NewCustomer Customer)>(options.BatchSize);

        await foreach (var request in rows.WithCancellation(cancellationToken))
        {
            read++;
            var errors = new ValidationErrors();
            if (request is not null && CreateCustomer.Build(request, actor, errors) is { } created)
            {
                batch.Add((read, created));
            }
            else
            {
                rejected++;
                if (rejections.Count < MaxReportedRejections)
                {
                    rejections.Add(new RejectedRow(read, errors.ToDictionary()));
                }
            }

            if (batch.Count == options.BatchSize)
            {
                var outcome = await WriteBatchAsync(importId, batch, options, cancellationToken);
                imported += outcome.Imported;
                duplicates += outcome.Duplicates;
                rejected += outcome.Rejected.Count;
                rejections.AddRange(outcome.Rejected.Take(Math.Max(0, MaxReportedRejections - rejections.Count)));
                batch.Clear();
                progress?.Report(new ImportProgress(read, imported, rejected, duplicates, stopwatch.Elapsed));
            }
        }

        if (batch.Count > 0)
        {
            var outcome = await WriteBatchAsync(importId, batch, options, cancellationToken);
            imported += outcome.Imported;
            duplicates += outcome.Duplicates;
            rejected += outcome.Rejected.Count;
            rejections.AddRange(outcome.Rejected.Take(Math.Max(0, MaxReportedRejections - rejections.Count)));
        }

        if (imported >= StatisticsRefreshThreshold)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AidaDb>().RefreshStatisticsAsync(cancellationToken);
        }

        progress?.Report(new ImportProgress(read, imported, rejected, duplicates, stopwatch.Elapsed));
        return new ImportResult(importId, read, imported, rejected, duplicates, stopwatch.Elapsed, rejections);
    }

    private async Task<Guid> ActorAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<OperationContext>().ActorId;
    }

    private sealed record BatchOutcome(long Imported, long Duplicates, List<RejectedRow> Rejected);

    private async Task<BatchOutcome> WriteBatchAsync(
        Guid importId, List<(long Row, NewCustomer Customer)> batch, ImportOptions options, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var actor = db.Operation.ActorId;
        var rejected = new List<RejectedRow>();

        await using var transaction = await db.BeginBulkInsertAsync(cancellationToken);

        var accepted = await CheckReferencesAsync(db, batch, rejected, cancellationToken);
        var duplicateCount = 0L;
        if (options.Dedupe)
        {
            var before = accepted.Count;
            accepted = await BatchDuplicates.WithoutDuplicatesAsync(db, accepted, duplicateOptions.Value, cancellationToken);
            duplicateCount = before - accepted.Count;
        }

        var now = db.Clock.UtcNow();
        var customers = new List<Customer>(accepted.Count);
        var contacts = new List<Contact>(accepted.Count);
        var accounts = new List<Account>();
        var addresses = new List<Address>(accepted.Count);
        foreach (var (_, created) in accepted)
        {
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
        }

        await BulkInsert.InsertAsync(db, customers, cancellationToken);
        await BulkInsert.InsertAsync(db, contacts, cancellationToken);
        await BulkInsert.InsertAsync(db, accounts, cancellationToken);
        await BulkInsert.InsertAsync(db, addresses, cancellationToken);

        if (customers.Count > 0)
        {
            var ids = new JsonArray(customers.Select(c => (JsonNode)c.Id.ToString()).ToArray());
            db.Add(new AuditEntry
            {
                OccurredAt = now,
                ActorId = actor,
                ActorName = db.Operation.ActorName,
                ActorTokenId = db.Operation.TokenId,
                RequestId = db.Operation.RequestId,
                EntityType = AuditRecorder.ImportEntityType,
                EntityId = importId,
                Action = AuditAction.Create,
                Changes = new JsonObject { ["customers"] = new JsonObject { ["to"] = customers.Count }, ["customerIds"] = ids }.ToJsonString(ApiJson.Options),
                Context = new JsonObject { ["contacts"] = contacts.Count, ["accounts"] = accounts.Count, ["addresses"] = addresses.Count }.ToJsonString(ApiJson.Options),
            });
            var customerIds = customers.Select(c => c.Id).ToList();
            db.Publish("customers.imported", $"imports/{importId}", () => new { importId, customerIds, contacts = contacts.Count, accounts = accounts.Count, addresses = addresses.Count });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new BatchOutcome(customers.Count, duplicateCount, rejected);
    }

    private static T Stamp<T>(T entity, DateTime now) where T : TrackedEntity
    {
        entity.CreatedAt = now;
        entity.UpdatedAt = now;
        entity.Version = 1;
        return entity;
    }

    /// <summary>Owners, parents and external ids are checked once per batch, not once per row.</summary>
    private static async Task<List<(long Row, NewCustomer Customer)>> CheckReferencesAsync(
        AidaDb db, List<(long Row, NewCustomer Customer)> batch, List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        var owners = batch.Select(b => b.Customer.Customer.OwnerId).OfType<Guid>().Distinct().ToList();
        var activeOwners = (await db.Set<User>().AsNoTracking().Where(u => owners.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var parents = batch.Select(b => b.Customer.Customer.ParentId).OfType<Guid>().Distinct().ToList();
        var existingParents = parents.Count == 0 ? [] : (await CustomerAccess.All(db).AsNoTracking().Where(c => parents.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var externalIds = batch.Select(b => b.Customer.Customer.ExternalId).OfType<string>().Distinct().ToList();
        var takenExternalIds = externalIds.Count == 0 ? [] : (await CustomerAccess.All(db).AsNoTracking().Where(c => c.ExternalId != null && externalIds.Contains(c.ExternalId)).Select(c => c.ExternalId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        var accepted = new List<(long Row, NewCustomer Customer)>(batch.Count);
        foreach (var entry in batch)
        {
            var customer = entry.Customer.Customer;
            var errors = new ValidationErrors();
            if (customer.OwnerId is { } owner && !activeOwners.Contains(owner))
            {
                errors.Add("ownerId", "No active user with this id exists.");
            }

            if (customer.ParentId is { } parent && !existingParents.Contains(parent))
            {
                errors.Add("parentId", "No customer with this id exists.");
            }

            if (customer.ExternalId is { } externalId && !takenExternalIds.Add(externalId))
            {
                errors.Add("externalId", "Another customer already has this external id.");
            }

            if (errors.Any)
            {
                rejected.Add(new RejectedRow(entry.Row, errors.ToDictionary()));
            }
            else
            {
                accepted.Add(entry);
            }
        }

        return accepted;
    }
}
