using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Import;

/// <summary>
/// Contacts (people at existing customers), imported: each row names its customer (<see cref="CustomerReference"/>)
/// and is validated as <c>POST /api/v1/customers/{id}/contacts</c> validates (<see cref="ContactFields.ToContact"/>).
/// A contact of the same customer with the same email is a match, skipped, updated or created anyway as the
/// import's duplicate policy says. A row asking to be primary becomes primary only when the customer has no
/// primary contact yet (an import never demotes one); without the column, the first contact of a customer
/// without a primary becomes it, as the API does.
/// </summary>
public sealed class ContactImportTarget : IImportTarget
{
    public string EntityType => ImportEntities.Contacts;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        .. CustomerReference.Fields,
        new("firstName", "First name", "first name", "firstname", "first", "given name", "forename", "vorname", "prenom", "nombre de pila", "contact first name"),
        new("lastName", "Last name", "last name", "lastname", "last", "surname", "family name", "nachname", "nom de famille", "apellido", "apellidos", "contact last name"),
        new("email", "Email", "email", "e-mail", "email address", "mail", "e-mail-adresse", "courriel", "correo", "correo electronico", "contact email"),
        new("phone", "Phone", "phone", "telephone", "phone number", "tel", "mobile", "mobile phone", "telefon", "telefono", "cell", "contact phone"),
        new("jobTitle", "Job title", "job title", "title", "position", "role", "jobtitle", "funktion", "poste", "cargo"),
        new("isPrimary", "Primary contact (yes/no)", "primary", "is primary", "primary contact", "main contact", "hauptkontakt"),
    ];

    private static readonly string[] Updatable = ["firstName", "lastName", "phone", "jobTitle"];

    public sealed record Parsed(CustomerReference.Reference Customer, Contact Contact, bool? IsPrimary);

    public void CheckMapping(IReadOnlySet<string> mappedFields, ValidationErrors errors)
    {
        CustomerReference.CheckMapping(mappedFields, errors);
        if (!mappedFields.Contains("firstName") || !mappedFields.Contains("lastName"))
        {
            errors.Add("mapping", "Map columns to firstName and lastName: a contact needs both.");
        }
    }

    private Dictionary<string, int>? _index;

    public object? Build(string?[] values, Guid ownerId, DateTime now, ValidationErrors errors)
    {
        _index ??= Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var index = _index;
        string? V(string field) => values[index[field]];
        var reference = CustomerReference.Read(V, errors);
        bool? isPrimary = null;
        if (V("isPrimary") is { } primaryText)
        {
            isPrimary = ImportBooleans.Parse(primaryText);
            if (isPrimary is null)
            {
                errors.Add("isPrimary", "Must be yes or no (true/false, 1/0, x or empty are understood too).");
            }
        }

        var contact = new ContactFields(V("firstName"), V("lastName"), V("email"), V("phone"), V("jobTitle"), isPrimary, null, null, null).ToContact(errors);
        return errors.Any || reference is null || contact is null ? null : new Parsed(reference, contact, isPrimary);
    }

    public Dictionary<string, string?> StoredValues(object parsed)
    {
        var p = (Parsed)parsed;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CustomerReference.ExternalIdField] = p.Customer.ExternalId,
            [CustomerReference.IdField] = p.Customer.Id?.ToString(),
            [CustomerReference.NameField] = p.Customer.Name,
            ["firstName"] = p.Contact.FirstName,
            ["lastName"] = p.Contact.LastName,
            ["email"] = p.Contact.Email,
            ["phone"] = p.Contact.Phone,
            ["jobTitle"] = p.Contact.JobTitle,
            ["isPrimary"] = p.IsPrimary is { } b ? (b ? "yes" : "no") : null,
        };
    }

    public async Task ProcessAsync(TargetBatch batch, List<TargetRow> rows, CancellationToken cancellationToken)
    {
        var (db, import, plan, owner, dryRun) = batch;
        var candidates = rows.Where(r => r.Outcome is null).ToList();
        if (candidates.Count > 0 && !Permissions.Has(owner.Role, Permissions.CustomersEditProfile))
        {
            foreach (var row in candidates)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, "You may not add contacts to customers (customers.editProfile).", null);
            }

            return;
        }

        var customers = await CustomerReference.ResolveAsync(db, plan, candidates.Select(r => (r, ((Parsed)r.Parsed!).Customer)).ToList(), cancellationToken);
        var customerIds = customers.Values.Distinct().ToList();
        var existing = await ImportTargets.ChunkedAsync(customerIds, chunk => db.Set<Contact>().AsNoTracking().Where(c => chunk.Contains(c.CustomerId))
            .Select(c => new { c.Id, c.CustomerId, c.EmailNormalized, c.IsPrimary }).ToListAsync(cancellationToken));
        var byEmail = existing.Where(c => c.EmailNormalized != null).GroupBy(c => (c.CustomerId, c.EmailNormalized!)).ToDictionary(g => g.Key, g => g.First().Id);
        var hasPrimary = existing.Where(c => c.IsPrimary).Select(c => c.CustomerId).ToHashSet();
        var firstRowOfEmail = new Dictionary<(Guid, string), long>();
        var creates = new List<(TargetRow Row, Contact Contact)>();
        var updates = new List<(TargetRow Row, Guid Id)>();
        foreach (var (row, customerId) in customers)
        {
            var parsed = (Parsed)row.Parsed!;
            var contact = parsed.Contact;
            var key = contact.EmailNormalized is { } email ? (customerId, email) : default;
            if (contact.EmailNormalized is not null && import.OnDuplicate != DuplicatePolicy.Create)
            {
                if (byEmail.TryGetValue(key, out var match))
                {
                    if (import.OnDuplicate == DuplicatePolicy.Skip)
                    {
                        row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"The customer already has contact {match} with this email.", match);
                    }
                    else if (updates.Any(u => u.Id == match))
                    {
                        row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Matches contact {match}, which an earlier row of this file updates.", match);
                    }
                    else
                    {
                        updates.Add((row, match));
                    }

                    continue;
                }

                if (!firstRowOfEmail.TryAdd(key, row.Row))
                {
                    row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Duplicate of row {firstRowOfEmail[key]} of this file (same customer and email).", null);
                    continue;
                }
            }

            // Primary only if the customer has none yet: an import never demotes a primary contact.
            var wantsPrimary = parsed.IsPrimary ?? true;
            contact.IsPrimary = wantsPrimary && hasPrimary.Add(customerId);
            contact.CustomerId = customerId;
            var note = parsed.IsPrimary == true && !contact.IsPrimary ? "The customer already has a primary contact; added as another contact." : "";
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Created, note, contact.Id);
            creates.Add((row, contact));
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
        var changes = new List<ImportChange>(creates.Count + updates.Count);
        var created = creates.Select(c => ImportTargets.Stamp(c.Contact, now)).ToList();
        await BulkInsert.InsertAsync(db, created, cancellationToken);
        changes.AddRange(created.Select(c => new ImportChange { ImportId = import.Id, RecordId = c.Id, Kind = ImportChange.Created }));
        await UpdateAsync(db, plan, updates, changes, import.Id, cancellationToken);
        await BulkInsert.InsertAsync(db, changes, cancellationToken);
        if (changes.Count > 0)
        {
            var contactIds = created.Select(c => c.Id).ToList();
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
                    ["contacts"] = new JsonObject { ["to"] = created.Count },
                    ["contactIds"] = new JsonArray(contactIds.Select(id => (JsonNode)id.ToString()).ToArray()),
                    ["updated"] = updates.Count,
                }.ToJsonString(ApiJson.Options),
            });
            var importId = import.Id;
            db.Publish("contacts.imported", $"imports/{import.Id}", () => new { importId, contactIds, updated = updates.Count });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Only the fields the file maps and fills change (a blank cell keeps the stored value); previous values go to import_changes.</summary>
    private static async Task UpdateAsync(AidaDb db, ImportPlan plan, List<(TargetRow Row, Guid Id)> updates, List<ImportChange> changes, Guid importId, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var ids = updates.Select(u => u.Id).ToList();
        var stored = await db.Set<Contact>().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var (row, id) in updates)
        {
            var contact = stored[id];
            var source = ((Parsed)row.Parsed!).Contact;
            var (previous, imported) = RevertedFields.Update(contact, source, Updatable.Where(f => plan.ColumnOf(f) is not null), Get, Set);

            if (imported.Count == 0)
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, $"Matches contact {id}, which already has these values.", id);
                continue;
            }

            var fields = imported.Select(kv => kv.Key).ToList();
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Updated, $"Updated contact {id}: {string.Join(", ", fields)}.", id);
            changes.Add(new ImportChange { ImportId = importId, RecordId = id, Kind = ImportChange.Updated, Previous = previous.ToJsonString(), Imported = imported.ToJsonString() });
            db.Publish("contact.updated", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse(), changes = fields });
        }
    }

    private static string? Get(Contact contact, string field) => field switch
    {
        "firstName" => contact.FirstName,
        "lastName" => contact.LastName,
        "phone" => contact.Phone,
        "jobTitle" => contact.JobTitle,
        _ => null,
    };

    private static void Set(Contact contact, string field, string? value)
    {
        switch (field)
        {
            case "firstName": contact.FirstName = value ?? ""; break;
            case "lastName": contact.LastName = value ?? ""; break;
            case "phone": contact.Phone = value; break;
            case "jobTitle": contact.JobTitle = value; break;
        }
    }

    /// <summary>
    /// Created contacts are soft-deleted as <c>DELETE …/contacts/{id}</c> does; updated ones get each field's
    /// previous value back where it still holds the imported one (a later change is kept).
    /// </summary>
    public async Task<RevertCounts> RevertAsync(AidaDb db, List<ImportChange> changes, CancellationToken cancellationToken)
    {
        long removed = 0, restored = 0, kept = 0, notYours = 0;
        var ids = changes.Select(c => c.RecordId).ToList();
        var customerOf = await db.Set<Contact>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CustomerId, cancellationToken);
        foreach (var change in changes.Where(c => c.Kind == ImportChange.Created))
        {
            if (!customerOf.TryGetValue(change.RecordId, out var customerId) || (await DeleteContact.RunAsync(customerId, change.RecordId, null, db, cancellationToken)).Failure is not null)
            {
                notYours++; // deleted since, or out of the reverter's reach now
                continue;
            }

            removed++;
        }

        var updates = changes.Where(c => c.Kind == ImportChange.Updated).ToList();
        if (updates.Count == 0)
        {
            return new RevertCounts(removed, restored, kept, notYours);
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var updateIds = updates.Select(u => u.RecordId).ToList();
        var contacts = await db.Set<Contact>().Where(c => updateIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var update in updates)
        {
            if (!contacts.TryGetValue(update.RecordId, out var contact))
            {
                notYours++;
                continue;
            }

            var changed = RevertedFields.Restore(contact, update, Updatable, Get, Set, ref restored, ref kept);

            if (changed.Count > 0)
            {
                db.Publish("contact.updated", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse(), changes = changed });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RevertCounts(removed, restored, kept, notYours);
    }
}

/// <summary>Yes/no cells as spreadsheets and CRMs write them.</summary>
public static class ImportBooleans
{
    public static bool? Parse(string text) => CustomerFields.Normalize(text) switch
    {
        "yes" or "y" or "true" or "1" or "x" or "ja" or "oui" or "si" or "wahr" => true,
        "no" or "n" or "false" or "0" or "nein" or "non" or "falsch" => false,
        _ => null,
    };
}
