using System.Runtime.InteropServices;

namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// Gives memory that SQLite freed back to the operating system. SQLite's page cache lives on the C heap; when a bulk
/// load's large cache is shrunk again (<see cref="SqliteConnections.Return"/>) its pages are freed, but glibc keeps
/// freed memory in the arena of the thread that freed it, and a long import, whose batches run on whichever pool
/// thread comes next, kept more of the server's memory the longer it ran (with this: the peak of a 200,000-row import
/// 1.4 GB instead of 1.4–1.9, and 0.5 GB once it ended). <c>malloc_trim</c> returns the free pages of every arena. Elsewhere (musl,
/// macOS, Windows) this does nothing.
/// </summary>
internal static class NativeHeap
{
    private static int _unavailable = OperatingSystem.IsLinux() ? 0 : 1;

    public static void Trim()
    {
        if (Volatile.Read(ref _unavailable) != 0)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0); // 1 when memory was released, 0 when there was none to release: either is fine.
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unavailable, 1);
        }
    }

    // DllImport, not LibraryImport: the generated stub needs unsafe code, and this signature is blittable anyway.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
