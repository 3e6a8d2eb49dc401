using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aida.Platform.Data;

public static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services, DatabaseSettings settings, IConfiguration configuration)
    {
        services.AddSingleton(settings);
        services.AddSingleton<WriteGate>();
        services.AddSingleton<MigrationRunner>();
        var sqlite = configuration.GetSection("Sqlite").Get<SqliteOptions>() ?? new SqliteOptions();
        services.AddSingleton(sqlite);
        services.AddSingleton<SqliteConnections>();

        if (settings.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings.ConnectionString).Build());
        }

        services.AddPooledDbContextFactory<AidaDb>((provider, options) =>
        {
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                // Each lease is given an open connection from SqliteConnections (AidaDb.Lease).
                options.UseSqlite(settings.ConnectionString);
            }
            else
            {
                options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>());
            }

            options.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, AidaDb.ProviderModelCacheKeyFactory>();

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
        return services;
    }
}
