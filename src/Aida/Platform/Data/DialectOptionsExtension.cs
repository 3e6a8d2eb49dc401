using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Aida.Platform.Data;

/// <summary>
/// Carries the <see cref="DatabaseDialect"/> chosen at registration in the DbContext options, so every
/// <see cref="AidaDb"/> built from them has it from its constructor on (model building included). It adds
/// no services of EF's own, so it never makes EF build another internal service provider.
/// </summary>
public sealed class DialectOptionsExtension(DatabaseDialect dialect) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public DatabaseDialect Dialect { get; } = dialect;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}

public static class DialectOptions
{
    public static DbContextOptionsBuilder UseDialect(this DbContextOptionsBuilder options, DatabaseDialect dialect)
    {
        dialect.UseProvider(options);
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new DialectOptionsExtension(dialect));
        return options;
    }
}
