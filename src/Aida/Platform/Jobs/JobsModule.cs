namespace Aida.Platform.Jobs;

public static class JobsModule
{
    /// <summary>Registers a job with the scheduler (a singleton, also resolvable as itself for tests and callers).</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services)
        where TJob : class, IScheduledJob
    {
        services.AddSingleton<TJob>();
        services.AddSingleton<IScheduledJob>(provider => provider.GetRequiredService<TJob>());
        return services;
    }
}
