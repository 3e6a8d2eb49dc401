using Aida.Platform.Jobs.Pages;

namespace Aida.Platform.Jobs;

public static class JobsModule
{
    /// <summary>The scheduler, which runs every job registered with <see cref="AddScheduledJob{TJob}"/>.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JobSchedulerOptions>(configuration.GetSection("Jobs"));
        services.AddSingleton<JobTriggers>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<JobScheduler>());
        return services;
    }

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app) =>
        JobsEndpoints.MapJobs(app).MapJobsPages();

    /// <summary>Registers a job with the scheduler (a singleton, also resolvable as itself for tests and callers).</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services)
        where TJob : class, IScheduledJob
    {
        services.AddSingleton<TJob>();
        services.AddSingleton<IScheduledJob>(provider => provider.GetRequiredService<TJob>());
        return services;
    }
}
