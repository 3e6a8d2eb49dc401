using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Nats;

/// <summary>The NATS JetStream publisher: its settings, its job, its health check, its admin API and page.</summary>
public static class NatsModule
{
    public static IServiceCollection AddNatsPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NatsOptions.Section);
        services.Configure<NatsOptions>(section);
        services.AddScheduledJob<NatsPublisher>();
        if (section.Get<NatsOptions>() is { Enabled: true })
        {
            services.WakeOnCommittedEvents(NatsPublisher.JobName);
            services.AddHealthChecks().AddCheck<NatsHealthCheck>("nats", tags: ["ready"]);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapNatsPublisher(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin/events").WithTags("Events").RequirePermission(Permissions.AdminSettings)
            .MapGet("/nats", GetStatus).WithName("Events_NatsStatus")
            .WithSummary("The NATS JetStream publisher: server, stream, position, published count, lag (events waiting and the oldest one's age) and the last failure.");
        app.MapGet("/settings/events", Pages.NatsPages.Status).RequirePagePermission(Permissions.AdminSettings).ExcludeFromDescription();
        return app;
    }

    public static async Task<Ok<NatsPublisherStatus>> GetStatus(
        AidaDb db, IOptions<NatsOptions> options, TimeProvider clock, NatsPublisher publisher, CancellationToken cancellationToken) =>
        TypedResults.Ok(await NatsPublisherStatus.ReadAsync(db, options.Value, clock, publisher, cancellationToken));
}
