using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Nats.Pages;

public static class NatsPages
{
    /// <summary>The events settings page: where events go beyond the feed, and how far behind each destination is.</summary>
    public static async Task<IResult> Status(
        HttpContext http, AidaDb db, IOptions<NatsOptions> options, TimeProvider clock, NatsPublisher publisher, CancellationToken cancellationToken)
    {
        var status = await NatsPublisherStatus.ReadAsync(db, options.Value, clock, publisher, cancellationToken);
        return Html.Page<NatsStatusPage>(new { Context = UiContext.For(http), Status = status, Lagging = status.Lagging(options.Value) });
    }
}
