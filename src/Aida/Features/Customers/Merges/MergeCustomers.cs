namespace Aida.Features.Customers.Merges;

public sealed record MergeCustomersRequest(
    IReadOnlyList<Guid>? Ids,
    Guid? SurvivorId,
    IReadOnlyDictionary<string, Guid>? Choices = null,
    IReadOnlyDictionary<Guid, int>? Versions = null);

/// <summary>One field side by side: each customer's value, whether they differ, and whose value the merge keeps.</summary>
public sealed record MergeFieldComparison(string Field, IReadOnlyDictionary<Guid, string?> Values, bool Conflict, Guid ChosenFrom, string? Result);

public sealed record MergeCandidate(Guid Id, string DisplayName, int Version, IReadOnlyDictionary<string, int> Children);

public sealed record MergePreviewResponse(
    Guid SurvivorId, IReadOnlyList<MergeCandidate> Customers, IReadOnlyList<MergeFieldComparison> Fields, IReadOnlyDictionary<string, string?> Merged);

public sealed record CustomerMergeResponse(
    Guid Id, Guid SurvivorId, IReadOnlyList<Guid> MergedIds, Guid PerformedBy, DateTime PerformedAt, DateTime UndoableUntil,
    DateTime? UndoneAt, IReadOnlyDictionary<string, string?> SurvivorBefore, IReadOnlyDictionary<string, string?> SurvivorAfter,
    IReadOnlyDictionary<string, int> Moved);

public sealed record MergeCustomersResponse(CustomerMergeResponse Merge, CustomerResponse Survivor);

/// <summary>
/// WF-CM-002: merges 2–10 customers into the one chosen to survive. Preview compares them field by field;
/// the merge takes the chosen values, moves every child to the survivor (<see cref="MergeChildren"/>),
/// soft-deletes the others (their ids then redirect, their external ids stay aliases), records what it did
/// for an undo within 30 days, and publishes one customer.merged event — all in one transaction.
/// Every customer must be one the actor can see (404 otherwise). The rows are locked first, so of two
/// merges of the same customers one wins and the other finds a customer already merged away (409).
/// </summary>
public static class MergeCustomers
{
    public static async Task<Results<Ok<MergePreviewResponse>, ValidationProblem, ProblemHttpResult>> HandlePreview(
        MergeCustomersRequest request, AidaDb db, CancellationToken cancellationToken) =>
        (await PreviewAsync(request, db, cancellationToken)).ToOk();

    public static async Task<Results<Ok<MergeCustomersResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        MergeCustomersRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToOk(response);

    public static async Task<Result<MergePreviewResponse>> PreviewAsync(MergeCustomersRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var loaded = await LoadAsync(db, request, tracked: false, cancellationToken);
        if (loaded.Failure is { } failure)
        {
            return failure;
        }

        var (survivor, ordered) = loaded.Value!;
        var choices = MergeFields.Choose(survivor, ordered, request.Choices ?? new Dictionary<string, Guid>());
        var byId = ordered.ToDictionary(c => c.Id);
        var fields = MergeFields.All.Select(f =>
        {
            var values = ordered.ToDictionary(c => c.Id, f.Read);
            var conflict = values.Values.Distinct(StringComparer.Ordinal).Count() > 1;
            return new MergeFieldComparison(f.Name, values, conflict, choices[f.Name], f.Read(byId[choices[f.Name]]));
        }).ToList();

        var ids = ordered.Select(c => c.Id).ToList();
        var contacts = await CountByCustomerAsync(db.Set<Contacts.Contact>().Where(c => ids.Contains(c.CustomerId)).Select(c => c.CustomerId), cancellationToken);
        var addresses = await CountByCustomerAsync(db.Set<Addresses.Address>().Where(c => ids.Contains(c.CustomerId)).Select(c => c.CustomerId), cancellationToken);
        var candidates = ordered.Select(c => new MergeCandidate(c.Id, c.DisplayName, c.Version, new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["contacts"] = contacts.GetValueOrDefault(c.Id),
            ["addresses"] = addresses.GetValueOrDefault(c.Id),
        })).ToList();

        return Result.Ok(new MergePreviewResponse(survivor.Id, candidates, fields,
            fields.ToDictionary(f => f.Field, f => f.Result, StringComparer.Ordinal)));
    }

    public static async Task<Result<MergeCustomersResponse>> RunAsync(MergeCustomersRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var merge = new CustomerMerge();
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            // The hierarchy first, as a change of parent takes it before it writes its row: a merge moves children
            // and must not close a loop (checked below). Then the customers in id order, so two merges of
            // overlapping customers queue instead of deadlocking.
            await db.LockAsync(LockName.CustomerHierarchy, cancellationToken);
            foreach (var id in request.Ids!.Distinct().Order())
            {
                await db.Dialect.LockRowAsync<Customer>(db, id, cancellationToken);
            }

            var loaded = await LoadAsync(db, request, tracked: true, cancellationToken);
            if (loaded.Failure is { } failure)
            {
                return failure;
            }

            var (survivor, ordered) = loaded.Value!;
            foreach (var (id, version) in request.Versions ?? new Dictionary<Guid, int>())
            {
                if (ordered.FirstOrDefault(c => c.Id == id) is { } customer && customer.Version != version)
                {
                    return new Failure.Conflict("versions", $"Customer {id} was changed since it was compared (version {customer.Version}, not {version}). Preview the merge again.");
                }
            }

            var choices = MergeFields.Choose(survivor, ordered, request.Choices ?? new Dictionary<string, Guid>());
            var byId = ordered.ToDictionary(c => c.Id);
            var after = MergeFields.All.ToDictionary(f => f.Name, f => f.Read(byId[choices[f.Name]]), StringComparer.Ordinal);
            if (after["parentId"] is { } parent && byId.ContainsKey(Guid.Parse(parent, CultureInfo.InvariantCulture)))
            {
                return new Failure.Invalid("choices.parentId", "The merged customer cannot be its own parent: choose a parent outside the merge, or none.");
            }

            var survivorParent = after["parentId"] is { } chosen ? Guid.Parse(chosen, CultureInfo.InvariantCulture) : (Guid?)null;
            if (await Hierarchy.MergeWouldLoopAsync(db, byId.Keys, survivorParent, cancellationToken))
            {
                return new Failure.Conflict("ids", Hierarchy.MergeLoopMessage);
            }

            var now = db.Clock.UtcNow();
            var before = MergeFields.Snapshot(survivor);
            var sources = ordered.Where(c => c.Id != survivor.Id).ToList();
            merge.SurvivorId = survivor.Id;
            merge.PerformedBy = db.ActorId;
            merge.UndoableUntil = now + CustomerMerge.UndoWindow;
            merge.SurvivorBefore = MergeFields.ToJson(before);
            merge.SurvivorAfter = MergeFields.ToJson(after);
            db.Add(merge);
            foreach (var source in sources)
            {
                db.Add(new CustomerMergeSource { MergeId = merge.Id, CustomerId = source.Id, ExternalId = source.ExternalId });
                source.DeletedAt = now;
            }

            // The merged-away customers go first, so the survivor can take over one of their external ids.
            await db.SaveChangesAsync(cancellationToken);
            foreach (var source in sources)
            {
                await MergeChildren.MoveAsync(db, merge.Id, source.Id, survivor.Id, now, cancellationToken);
            }

            foreach (var field in MergeFields.All)
            {
                if (!string.Equals(field.Read(survivor), after[field.Name], StringComparison.Ordinal))
                {
                    field.Write(survivor, after[field.Name]);
                }
            }

            // Someone must see the change on the survivor's timeline even when no field of it changed.
            survivor.UpdatedAt = now;
            db.Entry(survivor).Property(c => c.UpdatedAt).IsModified = true;
            var moved = await MergeChildren.CountMovedAsync(db, merge.Id, cancellationToken);
            var mergedIds = sources.Select(s => s.Id).ToList();
            await Duplicates.DuplicatePairs.OnMergedAsync(db, survivor.Id, mergedIds, now, cancellationToken);
            db.Publish("customer.merged", CustomerMapping.Subject(survivor.Id), () => new
            {
                mergeId = merge.Id,
                survivorId = survivor.Id,
                mergedIds,
                changes = MergeFields.All.Where(f => !string.Equals(before[f.Name], after[f.Name], StringComparison.Ordinal)).Select(f => f.Name).ToList(),
                moved,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var survivorResponse = await GetCustomer.RunAsync(merge.SurvivorId, db, cancellationToken);
        return Result.Ok(new MergeCustomersResponse(await GetMerge.ResponseAsync(db, merge, cancellationToken), survivorResponse.Value!), survivorResponse.Version);
    }

    private static Failure.Invalid? Validate(MergeCustomersRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Ids is null || request.Ids.Count < 2)
        {
            errors.Add("ids", "Give at least two customer ids.");
        }
        else if (request.Ids.Count > CustomerMerge.MaxCustomers)
        {
            errors.Add("ids", $"At most {CustomerMerge.MaxCustomers} customers can be merged at once.");
        }
        else if (request.Ids.Distinct().Count() != request.Ids.Count)
        {
            errors.Add("ids", "Each customer may appear once.");
        }

        if (request.SurvivorId is not { } survivorId)
        {
            errors.Add("survivorId", "Choose the customer that survives the merge.");
        }
        else if (request.Ids is not null && !request.Ids.Contains(survivorId))
        {
            errors.Add("survivorId", "The survivor must be one of the ids.");
        }

        foreach (var (field, from) in request.Choices ?? new Dictionary<string, Guid>())
        {
            if (MergeFields.Find(field) is null)
            {
                errors.Add($"choices.{field}", $"Not a field a merge chooses; one of: {string.Join(", ", MergeFields.All.Select(f => f.Name))}.");
            }
            else if (request.Ids is not null && !request.Ids.Contains(from))
            {
                errors.Add($"choices.{field}", "Take the value from one of the customers being merged.");
            }
        }

        foreach (var id in (request.Versions ?? new Dictionary<Guid, int>()).Keys)
        {
            if (request.Ids is not null && !request.Ids.Contains(id))
            {
                errors.Add("versions", $"Customer {id} is not one of the ids.");
            }
        }

        return errors.Any ? errors.ToFailure() : null;
    }

    /// <summary>The survivor and all the customers in the order given, or 404 for one the actor cannot see, 409 for one already merged away.</summary>
    private static async Task<Result<(Customer Survivor, List<Customer> Ordered)>> LoadAsync(
        AidaDb db, MergeCustomersRequest request, bool tracked, CancellationToken cancellationToken)
    {
        var ids = request.Ids!;
        var query = db.Set<Customer>().Where(c => ids.Contains(c.Id));
        var found = await (tracked ? query : query.AsNoTracking()).ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var id in ids)
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            return await MergeRedirects.SurvivorAsync(db, id, cancellationToken) is not null
                ? new Failure.Conflict("ids", $"Customer {id} has already been merged into another customer.")
                : new Failure.NotFound("customer");
        }

        return Result.Ok((found[request.SurvivorId!.Value], ids.Select(id => found[id]).ToList()));
    }

    private static async Task<Dictionary<Guid, int>> CountByCustomerAsync(IQueryable<Guid> customerIds, CancellationToken cancellationToken) =>
        await customerIds.GroupBy(id => id).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
}
