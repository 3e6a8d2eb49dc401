using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Leads;
using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Import;

/// <summary>
/// Leads, imported: each row is validated with <c>POST /api/v1/leads</c>' rules (<see cref="LeadFields"/>: an
/// email or a phone is required, an email must be one, lengths, a country code). A new lead is active and
/// unqualified, assigned to the importer (no routing: the importer brings their own leads; an import by the
/// system user, <c>aida import</c>, is routed as a capture is), scored as a
/// capture is, and sourced as the API sources captures (<see cref="LeadSourceType.Api"/>) unless the file
/// has a source column; its source detail names the import's source. A row whose email belongs to an open
/// lead (active or unresponsive, as <see cref="LeadCapture"/> finds repeats) follows the import's duplicate
/// policy; an open lead the importer cannot see is "not yours". A row repeating an earlier row's email is skipped.
/// </summary>
public sealed class LeadImportTarget : IImportTarget
{
    public string EntityType => ImportEntities.Leads;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("firstName", "First name", "first name", "firstname", "first", "given name", "forename", "vorname", "prenom", "nombre de pila", "lead first name"),
        new("lastName", "Last name", "last name", "lastname", "last", "surname", "family name", "nachname", "nom de famille", "apellido", "apellidos", "lead last name"),
        new("email", "Email", "email", "e-mail", "email address", "mail", "e-mail-adresse", "courriel", "correo", "correo electronico", "lead email"),
        new("phone", "Phone", "phone", "telephone", "phone number", "tel", "mobile", "mobile phone", "telefon", "telefono", "cell"),
        new("company", "Company", "company", "company name", "organisation", "organization", "account", "account name", "firma", "unternehmen", "empresa", "societe"),
        new("jobTitle", "Job title", "job title", "title", "position", "role", "jobtitle", "funktion", "poste", "cargo"),
        new("country", "Country (ISO code)", "country", "country code", "land", "pays", "pais"),
        new("source", "Source (website, phone, referral, …)", "source", "lead source", "source type", "quelle", "origen", "origine"),
        new("sourceDetail", "Source detail", "source detail", "campaign", "event", "source details"),
        new("needs", "Needs", "needs", "description", "notes", "note", "comments", "interest", "bedarf", "besoin"),
    ];

    private static readonly string[] Updatable = ["firstName", "lastName", "phone", "company", "jobTitle", "country", "needs"];

    public void CheckMapping(IReadOnlySet<string> mappedFields, ValidationErrors errors)
    {
        if (!mappedFields.Contains("email") && !mappedFields.Contains("phone"))
        {
            errors.Add("mapping", "Map a column to email or phone: a lead needs an email address or a phone number.");
        }
    }

    private Dictionary<string, int>? _index;

    public object? Build(string?[] values, Guid ownerId, DateTime now, ValidationErrors errors)
    {
        _index ??= Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var index = _index;
        string? V(string field) => values[index[field]];

        var source = LeadSourceType.Api;
        if (V("source") is { } sourceText)
        {
            var key = CustomerFields.Normalize(sourceText);
            var name = EnumText<LeadSourceType>.AllNames.FirstOrDefault(n => CustomerFields.Normalize(n) == key);
            if (name is null)
            {
                errors.Add("source", "Must be one of: " + string.Join(", ", EnumText<LeadSourceType>.AllNames) + ".");
            }
            else
            {
                source = EnumText<LeadSourceType>.Parse(name);
            }
        }

        // The importer owns what they import; an import by the system user (aida import) is routed as a capture is.
        var byPerson = ownerId != User.SystemId;
        var lead = new Lead
        {
            SourceType = source,
            AssignedTo = byPerson ? ownerId : null,
            AssignedAt = byPerson ? now : null,
            CreatedBy = byPerson ? ownerId : null,
            LastCapturedAt = now,
        };
        LeadFields.Apply(errors, new LeadInput(
            V("firstName"), V("lastName"), V("email"), V("phone"), V("company"), V("jobTitle"), V("country"), V("sourceDetail"),
            null, null, null, null, null, null, null, V("needs"), null, null, null, null, null, null), lead);
        LeadFields.RequireContactPoint(errors, lead);
        return errors.Any ? null : lead;
    }

    public Dictionary<string, string?> StoredValues(object parsed)
    {
        var lead = (Lead)parsed;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["firstName"] = lead.FirstName,
            ["lastName"] = lead.LastName,
            ["email"] = lead.Email,
            ["phone"] = lead.Phone,
            ["company"] = lead.Company,
            ["jobTitle"] = lead.JobTitle,
            ["country"] = lead.Country,
            ["source"] = EnumText<LeadSourceType>.ToText(lead.SourceType),
            ["sourceDetail"] = lead.SourceDetail,
            ["needs"] = lead.Needs,
        };
    }

    public async Task ProcessAsync(TargetBatch batch, List<TargetRow> rows, CancellationToken cancellationToken)
    {
        var (db, import, plan, owner, dryRun) = batch;
        var candidates = rows.Where(r => r.Outcome is null).OrderBy(r => r.Row).ToList();
        if (candidates.Count > 0 && !Permissions.Has(owner.Role, Permissions.LeadsCreate))
        {
            foreach (var row in candidates)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, "You may not create leads (leads.create).", null);
            }

            return;
        }

        // Open leads with the rows' emails, whoever can see them (as a capture finds its match), the oldest per email.
        var emails = candidates.Select(r => ((Lead)r.Parsed!).EmailNormalized).OfType<string>().Distinct().ToList();
        var open = await ImportTargets.ChunkedAsync(emails, chunk => LeadAccess.All(db).AsNoTracking()
            .Where(l => l.EmailNormalized != null && chunk.Contains(l.EmailNormalized) && (l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive))
            .Select(l => new { l.Id, Email = l.EmailNormalized!, l.CreatedAt }).ToListAsync(cancellationToken));
        var byEmail = open.GroupBy(l => l.Email, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).First().Id, StringComparer.Ordinal);
        var matchIds = byEmail.Values.ToList();

        // Record-level access: the leads the importer can see, as GET /leads/{id} decides.
        var visible = (await ImportTargets.ChunkedAsync(matchIds, chunk => db.Set<Lead>().AsNoTracking().Where(l => chunk.Contains(l.Id)).Select(l => l.Id).ToListAsync(cancellationToken))).ToHashSet();

        var firstRowOfEmail = new Dictionary<string, long>(StringComparer.Ordinal);
        var creates = new List<Lead>();
        var updates = new List<(TargetRow Row, Guid Id)>();
        foreach (var row in candidates)
        {
            var lead = (Lead)row.Parsed!;
            if (lead.EmailNormalized is { } email)
            {
                if (firstRowOfEmail.TryGetValue(email, out var earlier))
                {
                    row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Duplicate of row {earlier} of this file (same email).", null);
                    continue;
                }

                firstRowOfEmail[email] = row.Row;
                if (import.OnDuplicate != DuplicatePolicy.Create && byEmail.TryGetValue(email, out var match))
                {
                    if (!visible.Contains(match))
                    {
                        row.Fail(plan, "email", "An open lead with this email exists but is not yours: you cannot see it, so it was neither changed nor duplicated.");
                    }
                    else if (import.OnDuplicate == DuplicatePolicy.Skip)
                    {
                        row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Open lead {match} already has this email.", match);
                    }
                    else
                    {
                        updates.Add((row, match));
                    }

                    continue;
                }
            }

            row.Outcome = new RowOutcome(row.Row, RowOutcome.Created, "", lead.Id);
            creates.Add(lead);
        }

        if (dryRun)
        {
            foreach (var (row, id) in updates)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Updated, "", id);
            }

            return;
        }

        var now = db.Clock.UtcNow();
        if (creates.Count > 0)
        {
            // Scored as a capture is (a new lead has no touches yet); routed only when the system user imports.
            var rules = await LeadScoring.ActiveRulesAsync(db, cancellationToken);
            var settings = await LeadSettings.GetAsync(db, cancellationToken);
            var detail = Truncate($"Import: {import.SourceName}", Lead.SourceDetailMaxLength);
            foreach (var lead in creates)
            {
                if (lead.AssignedTo is null)
                {
                    await LeadRouting.RouteAsync(db, lead, cancellationToken);
                }

                lead.SourceDetail ??= detail;
                LeadScoring.Apply(db, lead, rules, settings.QualificationThreshold, 0);
                lead.ScoredAt = now;
                ImportTargets.Stamp(lead, now);
            }
        }

        var changes = new List<ImportChange>(creates.Count + updates.Count);
        await BulkInsert.InsertAsync(db, creates, cancellationToken);
        changes.AddRange(creates.Select(l => new ImportChange { ImportId = import.Id, RecordId = l.Id, Kind = ImportChange.Created }));
        await UpdateAsync(db, plan, updates, changes, import.Id, cancellationToken);
        await BulkInsert.InsertAsync(db, changes, cancellationToken);
        if (changes.Count > 0)
        {
            var leadIds = creates.Select(l => l.Id).ToList();
            var updated = changes.Count(c => c.Kind == ImportChange.Updated);
            db.Add(new AuditEntry
            {
                OccurredAt = now,
                ActorId = owner.Id,
                ActorName = owner.DisplayName,
                EntityType = AuditRecorder.ImportEntityType,
                EntityId = import.Id,
                Action = AuditAction.Create,
                Changes = new JsonObject
                {
                    ["leads"] = new JsonObject { ["to"] = creates.Count },
                    ["leadIds"] = new JsonArray(leadIds.Select(id => (JsonNode)id.ToString()).ToArray()),
                    ["updated"] = updated,
                }.ToJsonString(ApiJson.Options),
            });
            var importId = import.Id;
            db.Publish("leads.imported", $"imports/{import.Id}", () => new { importId, leadIds, updated });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Only the fields the file maps and fills change (a blank cell keeps the stored value); previous values go to import_changes.</summary>
    private static async Task UpdateAsync(AidaDb db, ImportPlan plan, List<(TargetRow Row, Guid Id)> updates, List<ImportChange> changes, Guid importId, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var ids = updates.Select(u => u.Id).ToList();
        var stored = await db.Set<Lead>().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        foreach (var (row, id) in updates)
        {
            if (!stored.TryGetValue(id, out var lead))
            {
                row.Fail(plan, "email", "An open lead with this email exists but is not yours: you cannot see it, so it was not changed.");
                continue;
            }

            var source = (Lead)row.Parsed!;
            var (previous, imported) = RevertedFields.Update(lead, source, Updatable.Where(f => plan.ColumnOf(f) is not null), Get, Set);

            if (imported.Count == 0)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Matches open lead {id}, which already has these values.", id);
                continue;
            }

            var fields = imported.Select(kv => kv.Key).ToList();
            await LeadScoring.ApplyAsync(db, lead, cancellationToken);
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Updated, $"Updated lead {id}: {string.Join(", ", fields)}.", id);
            changes.Add(new ImportChange { ImportId = importId, RecordId = id, Kind = ImportChange.Updated, Previous = previous.ToJsonString(), Imported = imported.ToJsonString() });
            db.Publish("lead.updated", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), changes = fields });
        }
    }

    private static string? Get(Lead lead, string field) => field switch
    {
        "firstName" => lead.FirstName,
        "lastName" => lead.LastName,
        "phone" => lead.Phone,
        "company" => lead.Company,
        "jobTitle" => lead.JobTitle,
        "country" => lead.Country,
        "needs" => lead.Needs,
        _ => null,
    };

    private static void Set(Lead lead, string field, string? value)
    {
        switch (field)
        {
            case "firstName": lead.FirstName = value; break;
            case "lastName": lead.LastName = value; break;
            case "phone": lead.Phone = value; break;
            case "company": lead.Company = value; break;
            case "jobTitle": lead.JobTitle = value; break;
            case "country": lead.Country = value; break;
            case "needs": lead.Needs = value; break;
        }
    }

    /// <summary>
    /// Created leads are soft-deleted as <c>DELETE /api/v1/leads/{id}</c> does; updated ones get each field's
    /// previous value back where it still holds the imported one (a later change is kept).
    /// </summary>
    public async Task<RevertCounts> RevertAsync(AidaDb db, List<ImportChange> changes, CancellationToken cancellationToken)
    {
        long removed = 0, restored = 0, kept = 0, notYours = 0;
        foreach (var change in changes.Where(c => c.Kind == ImportChange.Created))
        {
            if ((await DeleteLead.RunAsync(change.RecordId, null, db, cancellationToken)).Failure is null)
            {
                removed++;
            }
            else
            {
                notYours++; // deleted since, or out of the reverter's reach now
            }
        }

        var updates = changes.Where(c => c.Kind == ImportChange.Updated).ToList();
        if (updates.Count == 0)
        {
            return new RevertCounts(removed, restored, kept, notYours);
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var updateIds = updates.Select(u => u.RecordId).ToList();
        var leads = await db.Set<Lead>().Where(l => updateIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        foreach (var update in updates)
        {
            if (!leads.TryGetValue(update.RecordId, out var lead))
            {
                notYours++;
                continue;
            }

            var changed = RevertedFields.Restore(lead, update, Updatable, Get, Set, ref restored, ref kept);

            if (changed.Count > 0)
            {
                await LeadScoring.ApplyAsync(db, lead, cancellationToken);
                db.Publish("lead.updated", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), changes = changed });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RevertCounts(removed, restored, kept, notYours);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
