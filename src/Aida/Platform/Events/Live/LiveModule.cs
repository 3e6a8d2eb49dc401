namespace Aida.Platform.Events.Live;

public static class LiveModule
{
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection("Events:Live"));
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<IEventsCommittedListener>(provider => provider.GetRequiredService<LiveFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/events/stream", EventStream.Handle).WithName("Events_Stream").WithTags("Events")
            .RequirePermission(Permissions.CustomersViewOwn)
            .WithSummary("Domain events as server-sent events, as they are committed. Resume with Last-Event-ID or 'after'; filter with 'type'.")
            .WithDescription("""
                text/event-stream. Each message: id = the feed cursor after the event, event = its type, data = its envelope as
                GET /api/v1/events shows it to you. Without Last-Event-ID or 'after' the stream starts at the present.
                A comment line (': heartbeat') is sent when the stream has been quiet for Events:Live:HeartbeatSeconds (default 15).
                """)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem();

        // The web UI's own stream and the fragment it reloads; pages, not API (no OpenAPI entry).
        var ui = app.MapGroup("/ui/live").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        ui.MapGet("/", UiLiveStream.Handle);
        ui.MapGet("/notifications-link", UiLiveStream.NotificationsLink);
        return app;
    }
}
