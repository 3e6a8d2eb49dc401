namespace Aida.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>Every persistence test is a theory over both providers.</summary>
public static class Databases
{
    public static TheoryData<DatabaseKind> All => new() { DatabaseKind.Sqlite, DatabaseKind.Postgres };
}
