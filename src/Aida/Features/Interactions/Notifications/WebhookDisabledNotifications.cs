using Aida.Platform.Events.Webhooks;

namespace Aida.Features.Interactions.Notifications;

/// <summary>
/// Tells a webhook's owner in the app when the deliverer switched it off because every delivery failed for a
/// day (issue 19), in the save that switches it off. A webhook switched off because its owner was deactivated
/// tells nobody: there is nobody to tell.
/// </summary>
public sealed class WebhookDisabledNotifications : IEventReaction
{
    public bool ReactsTo(string type) => type == "webhook.disabled";

    public async Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(pending.Data(), ApiJson.Options);
        if (data.GetProperty("cause").GetString() != "failing")
        {
            return;
        }

        var webhook = data.GetProperty("webhook").Deserialize<WebhookResponse>(ApiJson.Options)!;
        var host = Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) ? url.Host : webhook.Url;
        var title = $"Your webhook to {host} was switched off: every delivery failed for {data.GetProperty("failedFor").GetString()}.";
        await Notifier.NotifyAsync(db, new Notification
        {
            UserId = webhook.OwnerId,
            Kind = NotificationKind.WebhookDisabled,
            Title = Notification.FitTitle(title),
            Link = $"/settings/webhooks/{webhook.Id}",
            CreatedAt = db.Clock.UtcNow(),
        }, cancellationToken);
    }
}
