using Microsoft.Extensions.Options;

namespace Aida.Platform.Jobs.Pages;

public static class JobsPages
{
    public static IEndpointRouteBuilder MapJobsPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/settings/jobs").RequirePagePermission(Auth.Permissions.AdminSettings).ExcludeFromDescription();
        pages.MapGet("/", List);
        pages.MapPost("/{name}/run", RunNow);
        return app;
    }

    private static async Task<IResult> List(HttpContext http, AidaDb db, JobScheduler scheduler, IOptions<JobSchedulerOptions> options, CancellationToken cancellationToken)
    {
        var jobs = await JobsEndpoints.ListAsync(db, scheduler, cancellationToken);
        return Html.Page<JobsPage>(new { Context = UiContext.For(http), Jobs = jobs, options.Value.Lease });
    }

    private static async Task<IResult> RunNow(string name, HttpContext http, AidaDb db, JobScheduler scheduler, JobTriggers triggers, CancellationToken cancellationToken) =>
        await JobsEndpoints.RequestRunAsync(name, db, scheduler, triggers, cancellationToken)
            ? Html.Done(http, "/settings/jobs", $"{name} will run within a second or two.")
            : Html.NotFound(http, "job");
}
