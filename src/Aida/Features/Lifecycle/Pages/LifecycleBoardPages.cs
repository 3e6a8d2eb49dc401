namespace Aida.Features.Lifecycle.Pages;

/// <summary>
/// The AIDA board (<c>/lifecycle</c>: Capture, Connect, Convert, Retain with the stages inside each and how
/// many customers in the viewer's reach are in them), a stage's customers (<c>/lifecycle/stages/{id}</c>),
/// and the administrator's stage settings (<c>/settings/lifecycle</c>: stages, the transition rules, the
/// inactivity rule). Every save goes through the API's use cases.
/// </summary>
public static class LifecycleBoardPages
{
    public static async Task<IResult> Board(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var context = UiContext.For(http);
        var stats = await LifecycleStats.RunAsync(db, cancellationToken);
        int? pending = context.Can(Permissions.LifecycleApprove)
            ? await db.Set<StageChangeRequest>().CountAsync(r => r.Status == StageChangeRequestStatus.Pending, cancellationToken)
            : null;
        return Html.Page<AidaBoardPage>(new { Context = context, View = new AidaBoardView(stats, pending) });
    }

    public static async Task<IResult> StageCustomers(Guid id, string? cursor, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var stage = await db.Set<LifecycleStage>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (stage is null)
        {
            return Html.NotFound(http, "lifecycle stage");
        }

        var page = await ListStageCustomers.RunAsync(id, Paging.DefaultLimit, cursor, db, cancellationToken);
        if (page.Failure is not null)
        {
            // Only a mangled cursor can fail here: start the list again.
            return TypedResults.Redirect($"/lifecycle/stages/{id}");
        }

        return Html.Page<StageCustomersPage>(new
        {
            Context = UiContext.For(http),
            View = new StageCustomersView(stage.ToResponse(), page.Value!, await UserDirectory.LoadAsync(db, cancellationToken), cursor is not null),
        });
    }

    public static async Task<IResult> Settings(Guid? edit, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var catalog = await StageCatalog.LoadAsync(db, cancellationToken);
        var stages = catalog.LiveStages();
        var editing = edit is { } id ? stages.FirstOrDefault(s => s.Id == id) : null;
        if (edit is not null && editing is null)
        {
            return Html.NotFound(http, "lifecycle stage");
        }

        return Html.Page<LifecycleSettingsPage>(new
        {
            Context = UiContext.For(http),
            View = new LifecycleSettingsView(
                stages, catalog.Transitions(), (await LifecycleSettings.GetAsync(db, cancellationToken)).ToResponse(), editing),
        });
    }

    public static async Task<IResult> AddStage(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new CreateStage.Request(
            values.Text("name"), values.Text("code"), values.WholeNumber("displayOrder"), values.Enum<StageCategory>("category"),
            values.Enum<AidaPhase>("phase"), values.Text("color"), values.Text("description"), values.Flag("isActive"));
        var failure = values.Errors.Any ? new Failure.Invalid(values.OwnErrors) : (await CreateStage.RunAsync(request, db, cancellationToken)).Failure;
        return Html.Finish(http, failure, SettingsUrl, $"The stage {request.Name} was added; allow moves into it below.");
    }

    public static async Task<IResult> SaveStage(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        // Every field of the form is sent, so every one is set; a blank number or choice is left alone.
        var request = new UpdateStage.Request(
            new Optional<string?>(values.Text("name")),
            new Optional<string?>(values.Text("code")),
            values.WholeNumber("displayOrder") is { } order ? new Optional<int>(order) : default,
            values.Enum<StageCategory>("category") is { } category ? new Optional<StageCategory>(category) : default,
            values.Enum<AidaPhase>("phase") is { } phase ? new Optional<AidaPhase>(phase) : default,
            new Optional<string?>(values.Text("color")),
            new Optional<string?>(values.Text("description")),
            new Optional<bool>(values.Flag("isActive")));
        var failure = values.Errors.Any ? new Failure.Invalid(values.OwnErrors) : (await UpdateStage.RunAsync(id, request, values.IfMatch, db, cancellationToken)).Failure;
        return Html.Finish(http, failure, SettingsUrl, "The stage was saved.", failedUrl: $"{SettingsUrl}?edit={id}");
    }

    public static async Task<IResult> RemoveStage(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await DeleteStage.RunAsync(id, values.IfMatch, db, cancellationToken);
        return Html.Finish(http, result.Failure, SettingsUrl, "The stage and its transition rules were deleted.");
    }

    /// <summary>
    /// The transition matrix posts one select per (from, to) pair, named <c>move.{from}.{to}</c>, valued
    /// <c>allowed</c>, <c>approval</c> or empty; the whole table is replaced at once, as the API does.
    /// </summary>
    public static async Task<IResult> SaveTransitions(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var rules = new List<ReplaceTransitions.Rule>();
        foreach (var (name, value) in posted)
        {
            var parts = name.Split('.');
            if (parts is ["move", var from, var to] && Guid.TryParse(from, out var fromId) && Guid.TryParse(to, out var toId)
                && value.ToString() is "allowed" or "approval")
            {
                rules.Add(new ReplaceTransitions.Rule(fromId, toId, value == "approval"));
            }
        }

        var result = await ReplaceTransitions.RunAsync(new ReplaceTransitions.Request(rules), db, cancellationToken);
        return Html.Finish(http, result.Failure, SettingsUrl, $"The transition rules were saved: {rules.Count} allowed moves.");
    }

    public static async Task<IResult> SaveInactivityRule(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var days = values.Flag("enabled") ? values.WholeNumber("churnAfterDays") : null;
        if (values.Flag("enabled") && days is null && !values.Errors.Any)
        {
            values.Errors.Add("churnAfterDays", "Is required while the rule is on: the number of days.");
        }

        var failure = values.Errors.Any
            ? new Failure.Invalid(values.OwnErrors)
            : (await UpdateLifecycleSettings.RunAsync(new LifecycleSettingsRequest(new Optional<int?>(days)), values.IfMatch, db, cancellationToken)).Failure;
        return Html.Finish(http, failure, SettingsUrl,
            days is null ? "The inactivity rule is off." : $"Customers with no purchase and no interaction for {days} days will move to Churned.");
    }

    private const string SettingsUrl = "/settings/lifecycle";
}

public sealed record AidaBoardView(LifecycleStats.Response Stats, int? PendingApprovals);

public sealed record StageCustomersView(LifecycleStageResponse Stage, Page<StageCustomer> Customers, UserDirectory Users, bool IsLaterPage);

public sealed record LifecycleSettingsView(
    IReadOnlyList<LifecycleStageResponse> Stages,
    IReadOnlyList<TransitionResponse> Transitions,
    LifecycleSettingsResponse Settings,
    LifecycleStageResponse? Editing)
{
    /// <summary>The matrix cell's value for a pair: allowed, approval (allowed, needs a manager) or empty.</summary>
    public string Move(Guid from, Guid to) =>
        Transitions.FirstOrDefault(t => t.From.Id == from && t.To.Id == to) is { } rule ? (rule.RequiresApproval ? "approval" : "allowed") : "";
}
