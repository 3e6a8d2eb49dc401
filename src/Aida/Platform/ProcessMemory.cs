namespace Aida.Platform;

/// <summary>
/// For a long batch job that has just let go of a large working set (the duplicate scan between its ranges): the
/// garbage collector would keep the freed heap for the next allocations, and the C heap behind SQLite keeps what its
/// big sorts used, so the process's resident memory stays at its high-water mark for as long as the job runs.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Collects everything, compacts, and hands the freed memory back to the system (a blocking pause of a few hundred milliseconds).</summary>
    public static void ReturnFreed()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Data.Sqlite.NativeHeap.Trim();
    }
}
