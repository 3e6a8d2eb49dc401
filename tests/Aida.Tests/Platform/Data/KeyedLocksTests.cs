using Aida.Platform.Data.Sqlite;

namespace Aida.Tests.Platform.Data;

public sealed class KeyedLocksTests
{
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task EnterAsync_KeyHeldByAnother_WaitsUntilItIsReleased()
    {
        var locks = new KeyedLocks();
        var first = await locks.EnterAsync(["email:a", "phone:1"], CancellationToken.None);

        var second = locks.EnterAsync(["phone:1", "name:X"], CancellationToken.None);
        await Task.Delay(Moment);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task EnterAsync_OtherKeys_DoNotWait()
    {
        var locks = new KeyedLocks();
        using var first = await locks.EnterAsync(["email:a"], CancellationToken.None);

        var second = await locks.EnterAsync(["email:b"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        second.Dispose();
    }

    [Fact]
    public async Task EnterAsync_Cancelled_ReleasesWhatItHadTaken()
    {
        var locks = new KeyedLocks();
        var held = await locks.EnterAsync(["b"], CancellationToken.None);
        using var cancel = new CancellationTokenSource(Moment);

        // Takes "a", then waits for "b" until cancelled: "a" must be free again afterwards.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.EnterAsync(["b", "a"], cancel.Token));
        (await locks.EnterAsync(["a"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        held.Dispose();
    }
}
