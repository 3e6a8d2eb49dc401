using Aida.Features.Customers.Merges;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// MergeWizard and MergePreview (spec 002 WF-CM-002) as pages: from a customer's "Merge with…", find the
/// others by name, external id or id; compare side by side, pick the survivor and each conflicting value;
/// preview the merged record; confirm. The survivor's page then offers "Undo merge" for 30 days.
/// </summary>
public static class MergePages
{
    private const int MaxFound = 10;

    public static async Task<IResult> Compare(Guid id, HttpContext http, AidaDb db, [FromQuery(Name = "with")] string[]? others, string? find, CancellationToken cancellationToken)
    {
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return Html.NotFound(http, "customer");
        }

        var ids = new List<Guid> { id };
        foreach (var text in others ?? [])
        {
            if (Guid.TryParse(text, out var other) && !ids.Contains(other))
            {
                ids.Add(other);
            }
        }

        var found = new List<(Guid Id, string Name)>();
        if (!string.IsNullOrWhiteSpace(find))
        {
            if (Guid.TryParse(find.Trim(), out var byId))
            {
                found = (await db.Set<Customer>().AsNoTracking().Where(c => c.Id == byId).Select(c => new { c.Id, c.DisplayName }).ToListAsync(cancellationToken))
                    .Select(c => (c.Id, c.DisplayName)).ToList();
            }
            else
            {
                var prefix = Matching.SearchKey(find);
                var trimmed = find.Trim();
                found = (await db.Set<Customer>().AsNoTracking()
                    .Where(c => c.ExternalId == trimmed || c.SearchName.StartsWith(prefix))
                    .OrderBy(c => c.SearchName).Take(MaxFound).Select(c => new { c.Id, c.DisplayName }).ToListAsync(cancellationToken))
                    .Select(c => (c.Id, c.DisplayName)).ToList();
            }

            found.RemoveAll(f => ids.Contains(f.Item1));
        }

        MergePreviewResponse? comparison = null;
        string? problem = null;
        if (ids.Count >= 2)
        {
            var result = await MergeCustomers.PreviewAsync(new MergeCustomersRequest(ids, id), db, cancellationToken);
            comparison = result.Value;
            problem = result.Failure is { } failure ? Reasons(failure) : null;
        }

        return Html.Page<MergeWizardPage>(new
        {
            Context = UiContext.For(http),
            CustomerId = id,
            Ids = ids,
            Find = find,
            Found = found,
            Comparison = comparison,
            Problem = problem,
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
        });
    }

    /// <summary>MergePreview: the record as the merge would leave it, with the choices carried to the confirm form.</summary>
    public static async Task<IResult> Preview(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var request = Read(form);
        var result = await MergeCustomers.PreviewAsync(request, db, cancellationToken);
        if (result.Failure is { } failure)
        {
            Flash.Set(http, FlashKind.Error, Reasons(failure));
            return TypedResults.Redirect(CompareUrl(id, request.Ids ?? []));
        }

        return Html.Page<MergePreviewPage>(new
        {
            Context = UiContext.For(http),
            CustomerId = id,
            Request = request,
            Preview = result.Value!,
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
        });
    }

    public static async Task<IResult> Merge(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var request = Read(form);
        var result = await MergeCustomers.RunAsync(request, db, cancellationToken);
        if (result.Failure is { } failure)
        {
            Flash.Set(http, FlashKind.Error, "Nothing was merged: " + Reasons(failure));
            return TypedResults.Redirect(CompareUrl(id, request.Ids ?? []));
        }

        var merged = result.Value!.Merge;
        return Html.Done(http, $"/customers/{merged.SurvivorId}",
            $"Merged {merged.MergedIds.Count} {(merged.MergedIds.Count == 1 ? "customer" : "customers")} into this one. You can undo the merge for 30 days.");
    }

    public static async Task<IResult> Undo(Guid mergeId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var result = await UndoMerge.RunAsync(mergeId, db, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure is Failure.NotFound ? Html.NotFound(http, "merge") : Html.Finish(http, failure, "/customers", "");
        }

        var undone = result.Value!;
        var kept = undone.KeptChanges.Count == 0 ? ""
            : " Changed since the merge and kept: " + string.Join(", ", undone.KeptChanges.Select(k => Choices.Words(k.Field))) + ".";
        return Html.Done(http, $"/customers/{undone.Merge.SurvivorId}",
            $"The merge was undone: {undone.RestoredCustomerIds.Count} {(undone.RestoredCustomerIds.Count == 1 ? "customer is" : "customers are")} back with their records.{kept}");
    }

    private static MergeCustomersRequest Read(IFormCollection form)
    {
        var ids = form["ids"].Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).ToList();
        Guid? survivor = Guid.TryParse(form["survivorId"], out var s) ? s : null;
        var choices = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var field in MergeFields.All)
        {
            if (Guid.TryParse(form[$"choice.{field.Name}"], out var from))
            {
                choices[field.Name] = from;
            }
        }

        var versions = new Dictionary<Guid, int>();
        foreach (var id in ids)
        {
            if (int.TryParse(form[$"version.{id}"], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions[id] = version;
            }
        }

        return new MergeCustomersRequest(ids, survivor, choices, versions);
    }

    private static string CompareUrl(Guid id, IEnumerable<Guid> ids) =>
        $"/customers/{id}/merge?" + string.Join("&", ids.Where(i => i != id).Select(i => $"with={i}"));

    private static string Reasons(Failure failure) =>
        failure is Failure.NotFound ? "One of the customers does not exist, or you cannot see it."
            : string.Join(" ", failure.FieldErrors.SelectMany(e => e.Value));
}
