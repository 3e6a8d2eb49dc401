using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Aida.Platform.Data;

/// <summary>
/// An EF compiled query for hot paths, compiled once per model. EF binds a compiled query to the first
/// model it runs against, and SQLite and PostgreSQL have different models (so do test servers running
/// side by side in one process), so each model gets its own compilation.
/// </summary>
public sealed class CompiledPerModel<TDelegate>(Func<TDelegate> compile)
    where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = new();

    public TDelegate For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
