using Aida.DemoData;
using Aida.Features.Analytics;
using Aida.Features.Customers;
using Aida.Features.Dashboard;
using Aida.Features.Deals;
using Aida.Features.Exports;
using Aida.Features.Import;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Features.Lifecycle;
using Aida.Features.Scoring;
using Aida.Features.Segments;
using Aida.Platform.Hosting;
using Aida.Platform.Hosting.Verbs;

namespace Aida;

/// <summary>The table of contents: the verbs of the <c>aida</c> executable, and the features of its server.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        Cli.Root(
                ServeVerb.Create(),   // serve (the default): the HTTP API and web UI
                MigrateVerb.Create(), // migrate: apply pending schema migrations
                SeedVerb.Create(),    // seed --demo: realistic fake data
                ImportVerb.Create(),  // import FILE: customers from CSV or Excel, as the wizard imports them
                UserVerb.Create(),    // user add|deactivate
                TokenVerb.Create(),   // token create|revoke: API tokens
                VersionVerb.Create())
            .Parse(args)
            .InvokeAsync();

    /// <param name="configureHost">A hook for hosts other than Kestrel (the tests' in-memory server); production passes none.</param>
    public static WebApplication BuildServer(AidaSettings settings, IConfiguration configuration, Action<WebApplicationBuilder>? configureHost = null)
    {
        Platform.Data.DatabaseDialect.ConfigureLibraries();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            // Static assets (wwwroot) are found next to the executable, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        builder.Services.AddPlatform(settings, configuration);
        builder.Services.AddAuth(settings);
        builder.Services.AddCustomers(configuration);
        builder.Services.AddImport(configuration);
        builder.Services.AddInteractions(configuration);
        builder.Services.AddLeads(configuration);
        builder.Services.AddDeals(configuration);
        builder.Services.AddLifecycle(configuration);
        builder.Services.AddScoring(configuration);
        builder.Services.AddSegments(configuration);
        builder.Services.AddDemoData();
        configureHost?.Invoke(builder);

        var app = builder.Build();
        app.UsePlatform();
        app.MapPlatform();
        app.MapAuth();
        app.MapCustomers();
        app.MapInteractions();
        app.MapLeads();
        app.MapDeals();
        app.MapLifecycle();
        app.MapScoring();
        app.MapSegments();
        app.MapAnalytics();
        app.MapDashboard();
        app.MapExports();
        app.MapImport();
        return app;
    }
}
