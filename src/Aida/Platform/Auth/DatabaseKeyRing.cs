using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Aida.Platform.Auth;

/// <summary>One key of the Data Protection key ring (sessions, antiforgery, flash messages), as its XML.</summary>
public sealed class DataProtectionKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string FriendlyName { get; init; }

    public required string Xml { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
    }
}

/// <summary>
/// Keeps the key ring that protects session cookies and antiforgery tokens in the database rather than in the
/// data directory (issue 19 item 7): every node on one PostgreSQL reads the same keys, so a user signed in on
/// one node is signed in on all of them, and a backup of the database holds the keys its sessions need. Keys a
/// data directory already holds (<c>keys/*.xml</c>, where earlier versions kept them) are taken in once, so
/// nobody is signed out by the upgrade. The ring is read at start and when a key is missing or due; it is
/// written when a key is created (every 90 days), so the synchronous interface Data Protection asks for costs
/// nothing on requests.
/// </summary>
public sealed class DatabaseKeyRing(IServiceScopeFactory scopes, TimeProvider clock, string legacyDirectory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var rows = Read();
        if (rows.Count == 0 && Directory.Exists(legacyDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(legacyDirectory, "*.xml").Order(StringComparer.Ordinal))
            {
                StoreElement(XElement.Load(file), Path.GetFileNameWithoutExtension(file));
            }

            rows = Read();
        }

        return rows.Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Data Protection's interface is synchronous; this runs once per key, never on a request's hot path.
        Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            await using var transaction = await db.BeginWriteAsync(CancellationToken.None);
            db.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = clock.UtcNow() });
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }).GetAwaiter().GetResult();
    }

    private List<string> Read() =>
        Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            return await db.Set<DataProtectionKey>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToListAsync();
        }).GetAwaiter().GetResult();
}
