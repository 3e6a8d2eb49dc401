namespace Aida.Features.Import;

public static class ImportModule
{
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddSingleton<CustomerImporter>();
        return services;
    }
}
