using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads.Pages;

/// <summary>
/// The admin screens for the lead workflow (admin.settings): <c>/settings/lead-scoring</c> (the threshold,
/// the follow-up limit, the scoring rules, rescore) and <c>/settings/lead-routing</c> (the routing rules in
/// order). Every save goes through the API's use cases.
/// </summary>
public static class LeadSettingsPages
{
    public sealed record ScoringView(
        LeadSettingsResponse Settings, IReadOnlyList<ScoringRuleResponse> Rules, ScoringRuleResponse? Editing, FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors = null);

    public sealed record RoutingView(
        IReadOnlyList<RoutingRuleResponse> Rules, RoutingRuleResponse? Editing, IReadOnlyList<(Guid Id, string Name)> Users,
        IReadOnlyList<(Guid Id, string Name)> Teams, FormValues Values, IReadOnlyDictionary<string, string[]>? Errors = null);

    // ---- Scoring ----

    public static Task<IResult> Scoring(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        RenderScoringAsync(http, db, null, new FormValues(new Dictionary<string, string?> { ["isActive"] = "true", ["category"] = "demographic" }), null, 200, cancellationToken);

    public static async Task<IResult> EditScoringRule(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var rule = (await GetScoringRule.RunAsync(id, db, cancellationToken)).Value;
        return rule is null
            ? Html.NotFound(http, "scoring rule")
            : await RenderScoringAsync(http, db, rule, ValuesOf(rule), null, 200, cancellationToken);
    }

    public static async Task<IResult> AddScoringRule(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = ScoringRequestOf(values);
        if (values.Errors.Any)
        {
            return await RenderScoringAsync(http, db, null, values, values.OwnErrors, 400, cancellationToken);
        }

        var result = await CreateScoringRule.RunAsync(request, db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, "/settings/lead-scoring", $"The rule was added; {result.Value!.Rescore.Changed} of {result.Value.Rescore.Rescored} leads changed score."),
            var failure => await RenderScoringAsync(http, db, null, values, values.With(failure.FieldErrors), failure.StatusCode, cancellationToken),
        };
    }

    public static async Task<IResult> SaveScoringRule(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = ScoringRequestOf(values);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateScoringRule.RunAsync(id, request, values.IfMatch, db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, "/settings/lead-scoring", $"The rule was saved; {result.Value.Rescore.Changed} of {result.Value.Rescore.Rescored} leads changed score.");
            }

            failed = result.Failure;
        }

        db.ChangeTracker.Clear();
        var rule = (await GetScoringRule.RunAsync(id, db, cancellationToken)).Value;
        if (rule is null)
        {
            return Html.NotFound(http, "scoring rule");
        }

        return failed is Failure.Stale
            ? await RenderScoringAsync(http, db, rule, values.Restamped(rule.Version), Stale("rule"), 412, cancellationToken)
            : await RenderScoringAsync(http, db, rule, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), failed?.StatusCode ?? 400, cancellationToken);
    }

    public static async Task<IResult> RemoveScoringRule(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await DeleteScoringRule.RunAsync(id, values.IfMatch, db, cancellationToken);
        return Finish(http, result.Failure, "/settings/lead-scoring", "The rule was deleted and the leads rescored.");
    }

    public static async Task<IResult> SaveSettings(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new LeadSettingsRequest(values.WholeNumber("qualificationThreshold"), values.WholeNumber("maxFollowUps"));
        if (values.Errors.Any)
        {
            return await RenderScoringAsync(http, db, null, values, values.OwnErrors, 400, cancellationToken);
        }

        var result = await UpdateLeadSettings.RunAsync(request, values.IfMatch, db, cancellationToken);
        if (result.Failure is not { } failure)
        {
            return Html.Done(http, "/settings/lead-scoring", "The settings were saved.");
        }

        db.ChangeTracker.Clear();
        return await RenderScoringAsync(http, db, null, values, failure is Failure.Stale ? Stale("settings") : values.With(failure.FieldErrors), failure.StatusCode, cancellationToken);
    }

    public static async Task<IResult> Rescore(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var result = await LeadScoring.RescoreAsync(db, cancellationToken);
        return Html.Done(http, "/settings/lead-scoring", $"{result.Rescored} leads were rescored; {result.Changed} changed score.");
    }

    private static ScoringRuleRequest ScoringRequestOf(FormValues values)
    {
        var value = values.Text("condition.value");
        var list = values.Text("condition.values")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(v => JsonSerializer.SerializeToElement(v)).ToList();
        return new ScoringRuleRequest(
            values.Text("name") ?? "",
            values.Enum<ScoringCategory>("category"),
            new ScoringRuleConditionRequest(
                values.Text("condition.field"), values.Text("condition.operator"),
                value is null ? null : JsonSerializer.SerializeToElement(value), list is { Count: > 0 } ? list : null),
            values.WholeNumber("points"),
            values.Flag("isActive"),
            values.WholeNumber("position"));
    }

    private static FormValues ValuesOf(ScoringRuleResponse r) => new(new Dictionary<string, string?>
    {
        ["name"] = r.Name,
        ["category"] = EnumText<ScoringCategory>.ToText(r.Category),
        ["condition.field"] = r.Condition.Field,
        ["condition.operator"] = EnumText<ScoringOperator>.ToText(r.Condition.Operator),
        ["condition.value"] = r.Condition.Value,
        ["condition.values"] = r.Condition.Values is { } list ? string.Join(", ", list) : null,
        ["points"] = r.Points.ToString(CultureInfo.InvariantCulture),
        ["position"] = r.Position.ToString(CultureInfo.InvariantCulture),
        ["isActive"] = r.IsActive ? "true" : null,
        ["version"] = r.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static async Task<IResult> RenderScoringAsync(
        HttpContext http, AidaDb db, ScoringRuleResponse? editing, FormValues values, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var settings = (await LeadSettings.GetAsync(db, cancellationToken)).ToResponse();
        var rules = await db.Set<LeadScoringRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return Html.Page<LeadScoringSettings>(new
        {
            Context = UiContext.For(http),
            View = new ScoringView(settings, rules.Select(r => r.ToResponse()).ToList(), editing, values, errors),
        }, status);
    }

    // ---- Routing ----

    public static Task<IResult> Routing(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        RenderRoutingAsync(http, db, null, new FormValues(new Dictionary<string, string?> { ["isActive"] = "true", ["action"] = "round_robin" }), null, 200, cancellationToken);

    public static async Task<IResult> EditRoutingRule(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var rule = (await GetRoutingRule.RunAsync(id, db, cancellationToken)).Value;
        return rule is null
            ? Html.NotFound(http, "routing rule")
            : await RenderRoutingAsync(http, db, rule, ValuesOf(rule), null, 200, cancellationToken);
    }

    public static async Task<IResult> AddRoutingRule(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = RoutingRequestOf(values);
        if (values.Errors.Any)
        {
            return await RenderRoutingAsync(http, db, null, values, values.OwnErrors, 400, cancellationToken);
        }

        var result = await CreateRoutingRule.RunAsync(request, db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, "/settings/lead-routing", "The routing rule was added."),
            var failure => await RenderRoutingAsync(http, db, null, values, values.With(failure.FieldErrors), failure.StatusCode, cancellationToken),
        };
    }

    public static async Task<IResult> SaveRoutingRule(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = RoutingRequestOf(values);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateRoutingRule.RunAsync(id, request, values.IfMatch, db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, "/settings/lead-routing", "The routing rule was saved.");
            }

            failed = result.Failure;
        }

        db.ChangeTracker.Clear();
        var rule = (await GetRoutingRule.RunAsync(id, db, cancellationToken)).Value;
        if (rule is null)
        {
            return Html.NotFound(http, "routing rule");
        }

        return failed is Failure.Stale
            ? await RenderRoutingAsync(http, db, rule, values.Restamped(rule.Version), Stale("rule"), 412, cancellationToken)
            : await RenderRoutingAsync(http, db, rule, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), failed?.StatusCode ?? 400, cancellationToken);
    }

    public static async Task<IResult> RemoveRoutingRule(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await DeleteRoutingRule.RunAsync(id, values.IfMatch, db, cancellationToken);
        return Finish(http, result.Failure, "/settings/lead-routing", "The routing rule was deleted.");
    }

    private static RoutingRuleRequest RoutingRequestOf(FormValues values)
    {
        var sources = new List<LeadSourceType>();
        foreach (var text in (values["sourceTypes"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnumText<LeadSourceType>.TryParse(text, out var source))
            {
                sources.Add(source);
            }
            else
            {
                values.Errors.Add("sourceTypes", "Is not a valid choice.");
            }
        }

        var countries = (values.Text("countries") ?? "").Split([',', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var action = values.Enum<RoutingAction>("action");
        return new RoutingRuleRequest(
            values.Text("name") ?? "",
            values.WholeNumber("position"),
            values.Flag("isActive"),
            sources,
            countries,
            action,
            action == RoutingAction.AssignUser ? values.Id("userId") : null,
            action == RoutingAction.RoundRobin ? values.Id("teamId") : null,
            action == RoutingAction.RoundRobin ? values.WholeNumber("openLeadCap") : null);
    }

    private static FormValues ValuesOf(RoutingRuleResponse r) => new(new Dictionary<string, string?>
    {
        ["name"] = r.Name,
        ["position"] = r.Position.ToString(CultureInfo.InvariantCulture),
        ["isActive"] = r.IsActive ? "true" : null,
        ["sourceTypes"] = string.Join(",", r.SourceTypes.Select(EnumText<LeadSourceType>.ToText)),
        ["countries"] = string.Join(", ", r.Countries),
        ["action"] = EnumText<RoutingAction>.ToText(r.Action),
        ["userId"] = r.UserId?.ToString(),
        ["teamId"] = r.TeamId?.ToString(),
        ["openLeadCap"] = r.OpenLeadCap?.ToString(CultureInfo.InvariantCulture),
        ["version"] = r.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static async Task<IResult> RenderRoutingAsync(
        HttpContext http, AidaDb db, RoutingRuleResponse? editing, FormValues values, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadRoutingRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var users = await db.Set<User>().AsNoTracking().Where(u => u.IsActive && u.Id != User.SystemId).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
        var teams = await db.Set<Team>().AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        return Html.Page<LeadRoutingSettings>(new
        {
            Context = UiContext.For(http),
            View = new RoutingView(rules.Select(r => r.ToResponse()).ToList(), editing,
                users.Select(u => (u.Id, u.DisplayName)).ToList(), teams.Select(t => (t.Id, t.Name)).ToList(), values, errors),
        }, status);
    }

    // ---- Shared ----

    private static Dictionary<string, string[]> Stale(string what) =>
        new() { [""] = [$"Someone else changed this {what} while you were editing it. Save again to apply what you entered, or cancel."] };

    private static IResult Finish(HttpContext http, Failure? failure, string url, string done)
    {
        switch (failure)
        {
            case null:
                return Html.Done(http, url, done);
            case Failure.NotFound:
                return Html.NotFound(http, "rule");
            default:
                Flash.Set(http, FlashKind.Error, failure is Failure.Stale
                    ? "Nothing was deleted: someone else changed the rule meanwhile. Here it is as it is now."
                    : "Nothing was deleted: " + string.Join(" ", failure.FieldErrors.SelectMany(e => e.Value)));
                return TypedResults.Redirect(url);
        }
    }
}
