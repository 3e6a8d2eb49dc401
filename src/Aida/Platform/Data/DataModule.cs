using Aida.Platform.Jobs;
namespace Aida.Platform.Data;

public static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services, DatabaseSettings settings, IConfiguration configuration)
    {
        services.AddSingleton(settings);
        // The one choice of database: everything that differs between them is the dialect's, and the
        // container disposes it (its connections and pools) with the server.
        services.AddSingleton(_ => DatabaseDialect.For(settings, configuration));
        services.AddSingleton<MigrationRunner>();

        services.AddPooledDbContextFactory<AidaDb>((provider, options) =>
        {
            options.UseDialect(provider.GetRequiredService<DatabaseDialect>());
            options.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, AidaDb.DialectModelCacheKeyFactory>();
            // Wakes the outbox's readers (NATS, webhooks) when a transaction that wrote events commits.
            options.AddInterceptors(new Events.OutboxCommitInterceptor());

            // Bounded lookups (duplicate blocking keys, single rows by unique key) need no order.
            options.ConfigureWarnings(w => w.Ignore(
                Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.FirstWithoutOrderByAndFilterWarning,
                Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning,
                // Children of a soft-deleted customer are soft-deleted with it, so the filter on both ends agrees.
                Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
        });

        services.AddScoped(provider =>
        {
            var db = provider.GetRequiredService<IDbContextFactory<AidaDb>>().CreateDbContext();
            db.Lease(provider);
            return db;
        });

        // The count tables the features register (services.AddSingleton(new CountTable(…))) are folded in the background.
        services.Configure<CountFoldingOptions>(configuration.GetSection("Counts"));
        services.AddScheduledJob<CountFolding>();
        return services;
    }
}
