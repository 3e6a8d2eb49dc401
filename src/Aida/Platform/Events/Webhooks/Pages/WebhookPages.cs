using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks.Pages;

/// <summary>
/// The webhook settings for administrators (/settings/webhooks): the subscriptions, one page per subscription
/// to edit it, send a test event, rotate its secret (shown once), delete it, and read its delivery log with
/// replay of one delivery or a time range. Every action goes through the API's use cases.
/// </summary>
public static class WebhookPages
{
    public static IEndpointRouteBuilder MapWebhookPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/settings/webhooks").RequirePagePermission(Permissions.AdminSettings).ExcludeFromDescription();
        pages.MapGet("/", List);
        pages.MapGet("/new", New);
        pages.MapPost("/new", Create);
        pages.MapGet("/{id:guid}", Show);
        pages.MapPost("/{id:guid}", Save);
        pages.MapPost("/{id:guid}/test", Test);
        pages.MapPost("/{id:guid}/rotate-secret", Rotate);
        pages.MapPost("/{id:guid}/delete", Delete);
        pages.MapPost("/{id:guid}/replay", Replay);
        return app;
    }

    /// <summary>What the subscription page shows: the stored webhook (null while new), the inputs, errors, a secret just made, and the log.</summary>
    public sealed record Editor(WebhookResponse? Webhook, FormValues Values, IReadOnlyDictionary<string, string[]>? Errors, string? NewSecret,
        IReadOnlyList<WebhookDeliveryResponse> Deliveries);

    private static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var hooks = await ListWebhooks.RunAsync(db, cancellationToken);
        return Html.Page<WebhookListPage>(new { Context = UiContext.For(http), Webhooks = hooks.Items });
    }

    private static IResult New(HttpContext http) =>
        Render(http, new Editor(null, new FormValues(new Dictionary<string, string?> { ["eventTypes"] = "*", ["isActive"] = "true" }), null, null, []));

    private static async Task<IResult> Create(HttpContext http, AidaDb db, IFormCollection posted, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new CreateWebhook.Request(values.Text("url"), values.Text("description"), Types(values), Filter(values), values.Flag("isActive"));
        if (values.Errors.Any)
        {
            return Render(http, new Editor(null, values, values.OwnErrors, null, []), StatusCodes.Status400BadRequest);
        }

        var result = await CreateWebhook.RunAsync(request, db, options.Value, cancellationToken);
        if (!result.Succeeded)
        {
            return Render(http, new Editor(null, values, values.With(result.Failure.FieldErrors), null, []), result.Failure.StatusCode);
        }

        // The secret is shown on this answer only: no redirect, which would lose it.
        return Render(http, new Editor(result.Value, ValuesOf(result.Value), null, result.Value.Secret, []), StatusCodes.Status201Created);
    }

    private static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var hook = (await GetWebhook.RunAsync(id, db, cancellationToken)).Value;
        return hook is null ? Html.NotFound(http, "webhook") : Render(http, new Editor(hook, ValuesOf(hook), null, null, await LogAsync(id, db, cancellationToken)));
    }

    private static async Task<IResult> Save(Guid id, HttpContext http, AidaDb db, IFormCollection posted, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new UpdateWebhook.Request(values["url"] ?? "", values.Text("description"),
            new Optional<IReadOnlyList<string?>>(Types(values)), Filter(values), values.Flag("isActive"));
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateWebhook.RunAsync(id, request, values.IfMatch ?? "", db, options.Value, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/settings/webhooks/{id}", "The webhook was saved.");
            }

            failed = result.Failure;
        }

        db.ChangeTracker.Clear();
        var stored = (await GetWebhook.RunAsync(id, db, cancellationToken)).Value;
        if (stored is null)
        {
            return Html.NotFound(http, "webhook");
        }

        var log = await LogAsync(id, db, cancellationToken);
        if (failed is Failure.Stale)
        {
            return Render(http, new Editor(stored, values.Restamped(stored.Version),
                new Dictionary<string, string[]> { [""] = ["Someone else changed this webhook while you were editing it. Save again to apply what you entered."] }, null, log),
                StatusCodes.Status412PreconditionFailed);
        }

        return Render(http, new Editor(stored, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), null, log),
            failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Test(Guid id, HttpContext http, AidaDb db, Jobs.JobTriggers triggers, CancellationToken cancellationToken)
    {
        var result = await SendTestWebhook.RunAsync(id, db, cancellationToken);
        if (result.Succeeded)
        {
            triggers.RunSoon(WebhookDeliveryJob.JobName);
        }

        return Html.Finish(http, result.Failure, $"/settings/webhooks/{id}", "A test event was queued; its delivery appears in the log below.");
    }

    private static async Task<IResult> Rotate(Guid id, HttpContext http, AidaDb db, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var result = await RotateWebhookSecret.RunAsync(id, "*", db, options.Value, cancellationToken);
        if (!result.Succeeded)
        {
            return Html.Finish(http, result.Failure, $"/settings/webhooks/{id}", "");
        }

        return Render(http, new Editor(result.Value, ValuesOf(result.Value), null, result.Value.Secret, await LogAsync(id, db, cancellationToken)));
    }

    private static async Task<IResult> Delete(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var result = await DeleteWebhook.RunAsync(id, new FormValues(posted).IfMatch ?? "*", db, cancellationToken);
        return Html.Finish(http, result.Failure, "/settings/webhooks", "The webhook was deleted; nothing more is sent to it.", $"/settings/webhooks/{id}");
    }

    private static async Task<IResult> Replay(Guid id, HttpContext http, AidaDb db, IFormCollection posted, Jobs.JobTriggers triggers, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var context = UiContext.For(http);
        var request = new ReplayWebhookDeliveries.Request(values.Id("deliveryId"),
            values.LocalTime("from", context.Zone)?.UtcDateTime, values.LocalTime("to", context.Zone)?.UtcDateTime);
        var result = await ReplayWebhookDeliveries.RunAsync(id, request, db, cancellationToken);
        if (result.Succeeded)
        {
            triggers.RunSoon(WebhookDeliveryJob.JobName);
        }

        var count = result.Value?.Replayed ?? 0;
        return Html.Finish(http, result.Failure, $"/settings/webhooks/{id}",
            count == 1 ? "One delivery was queued again." : string.Create(CultureInfo.InvariantCulture, $"{count} deliveries were queued again."));
    }

    private static IResult Render(HttpContext http, Editor editor, int status = StatusCodes.Status200OK) =>
        Html.Page<WebhookPage>(new { Context = UiContext.For(http), Editor = editor }, status);

    private static async Task<IReadOnlyList<WebhookDeliveryResponse>> LogAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        (await ListWebhookDeliveries.RunAsync(id, null, 50, null, db, cancellationToken)).Value?.Items ?? [];

    /// <summary>Event types one per line or comma-separated.</summary>
    private static List<string?> Types(FormValues values) =>
        (values["eventTypes"] ?? "").Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (string?)t).ToList();

    private static WebhookFilterInput? Filter(FormValues values) =>
        values.Text("filterSubject") is null && values.Text("filterField") is null && values.Text("filterValue") is null
            ? null
            : new WebhookFilterInput(values.Text("filterSubject"), values.Text("filterField"), values.Text("filterValue"));

    private static FormValues ValuesOf(WebhookResponse hook) => new(new Dictionary<string, string?>
    {
        ["url"] = hook.Url,
        ["description"] = hook.Description,
        ["eventTypes"] = string.Join('\n', hook.EventTypes),
        ["filterSubject"] = hook.Filter?.Subject,
        ["filterField"] = hook.Filter?.Field,
        ["filterValue"] = hook.Filter?.Value,
        ["isActive"] = hook.IsActive ? "true" : null,
        ["version"] = hook.Version.ToString(CultureInfo.InvariantCulture),
    });
}
