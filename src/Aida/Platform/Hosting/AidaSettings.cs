namespace Aida.Platform.Hosting;

/// <summary>
/// Start-up settings, layered as ARCHITECTURE.md says: appsettings.json &lt; environment
/// (<c>AIDA__Section__Key</c>) &lt; command-line flags.
/// </summary>
public sealed record AidaSettings(string Urls, string DataDirectory, DatabaseSettings Database, bool Demo, bool Migrate)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultDataDirectory = "./data";

    public static IConfigurationRoot LoadConfiguration(IDictionary<string, string?> flags)
    {
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("AIDA__")
            .AddInMemoryCollection(flags.Where(kv => kv.Value is not null))
            .Build();
    }

    public static AidaSettings From(IConfiguration configuration)
    {
        var dataDirectory = configuration["DataDir"] ?? DefaultDataDirectory;
        return new AidaSettings(
            configuration["Urls"] ?? DefaultUrls,
            dataDirectory,
            DatabaseSettings.Resolve(configuration["Database:ConnectionString"], dataDirectory),
            configuration.GetValue("Demo", false),
            configuration.GetValue("Database:Migrate", false));
    }
}
