using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform;

/// <summary>Theory data that runs every case on both databases.</summary>
public static class DatabaseCases
{
    public static TheoryData<DatabaseKind, string, string> Cross(params (string, string)[] cases)
    {
        var data = new TheoryData<DatabaseKind, string, string>();
        foreach (var db in Enum.GetValues<DatabaseKind>())
        {
            foreach (var (first, second) in cases)
            {
                data.Add(db, first, second);
            }
        }

        return data;
    }

    public static TheoryData<DatabaseKind, string> Cross(params string[] cases)
    {
        var data = new TheoryData<DatabaseKind, string>();
        foreach (var db in Enum.GetValues<DatabaseKind>())
        {
            foreach (var item in cases)
            {
                data.Add(db, item);
            }
        }

        return data;
    }
}
