using Aida.Platform.Events.Webhooks.Pages;
using Aida.Platform.Jobs;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// Webhooks (issue 19 item 1): the admin API under <c>/api/v1/webhooks</c>, the settings screen, and the
/// deliverer job. Managing them takes <c>admin.settings</c>, as web forms and the other integrations do:
/// a webhook sends CRM data to any address on the internet, which is an administrator's decision, and the
/// events it can carry include people and access changes only administrators see.
/// </summary>
public static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection("Webhooks"));
        services.AddSingleton<WebhookSender>();
        services.AddScheduledJob<WebhookDeliveryJob>();
        services.WakeOnCommittedEvents(WebhookDeliveryJob.JobName);
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").WithIdempotency().RequirePermission(Permissions.AdminSettings);
        hooks.MapPost("/", CreateWebhook.Handle).WithName("Webhooks_Create")
            .WithSummary("Subscribe a URL to events (types with wildcards such as lead.*, an optional filter); the answer shows the signing secret, once.");
        hooks.MapGet("/", ListWebhooks.Handle).WithName("Webhooks_List").WithSummary("List webhook subscriptions (without secrets).");
        hooks.MapGet("/{id:guid}", GetWebhook.Handle).WithName("Webhooks_Get").WithSummary("Get a webhook subscription (without its secret).");
        hooks.MapPatch("/{id:guid}", UpdateWebhook.Handle).WithName("Webhooks_Update")
            .WithSummary("Change a webhook subscription (merge-patch, If-Match); isActive true switches a disabled one back on.");
        hooks.MapDelete("/{id:guid}", DeleteWebhook.Handle).WithName("Webhooks_Delete").WithSummary("Delete a webhook subscription; nothing more is sent.");
        hooks.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret.Handle).WithName("Webhooks_RotateSecret")
            .WithSummary("Replace the signing secret (shown once); the old one also signs for Webhooks:PreviousSecretGrace, a day by default.");
        hooks.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries.Handle).WithName("Webhooks_Deliveries")
            .WithSummary("The delivery log, newest first: status, attempts, response code, latency, body excerpt; filter by status; cursor-paged.");
        hooks.MapPost("/{id:guid}/replay", ReplayWebhookDeliveries.Handle).WithName("Webhooks_Replay")
            .WithSummary("Send again one delivery (deliveryId) or every delivery created in a time range (from, to), with the same webhook-id.");
        hooks.MapPost("/{id:guid}/test", SendTestWebhook.Handle).WithName("Webhooks_Test")
            .WithSummary("Queue a webhook.test event for this subscription only.");
        app.MapWebhookPages();
        return app;
    }
}
