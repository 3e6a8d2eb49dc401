using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Interactions;

namespace Aida.Features.Import;

/// <summary>
/// Interactions — a history from another CRM — imported: each row names its customer
/// (<see cref="CustomerReference"/>) and optionally one of its contacts by email, and is validated with
/// <c>POST /api/v1/interactions</c>' rules (<see cref="InteractionRules"/>): a type, a direction (outbound
/// when the file has no direction column or the cell is blank), a time that is not in the future. The
/// time is required (a history without dates means little) and read in ISO, d.m.Y, d/m/Y or m/d/Y
/// (<see cref="ImportDates"/>). There is no duplicate policy: a row that repeats an interaction of the same
/// customer, type, time and subject — stored, or earlier in the batch — is skipped.
/// </summary>
public sealed class InteractionImportTarget : IImportTarget
{
    public string EntityType => ImportEntities.Interactions;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        .. CustomerReference.Fields,
        new("contact.email", "Contact (email)", "contact email", "contact", "email", "e-mail", "with", "participant", "kontakt"),
        new("interactionType", "Type (call, email, meeting, …)", "type", "interaction type", "activity type", "kind", "channel", "typ", "art"),
        new("direction", "Direction (inbound or outbound)", "direction", "inbound outbound", "richtung", "sens"),
        new("occurredAt", "When it happened", "date", "occurred at", "occurred", "when", "date time", "datetime", "timestamp", "activity date", "created date", "datum", "fecha"),
        new("subject", "Subject", "subject", "title", "summary", "betreff", "sujet", "asunto"),
        new("description", "Notes", "description", "notes", "note", "body", "details", "comments", "text", "notiz", "notizen", "contenu"),
        new("durationMinutes", "Duration (minutes)", "duration", "duration minutes", "minutes", "dauer"),
    ];

    public sealed record Parsed(CustomerReference.Reference Customer, string? ContactEmail, Interaction Interaction);

    public void CheckMapping(IReadOnlySet<string> mappedFields, ValidationErrors errors)
    {
        CustomerReference.CheckMapping(mappedFields, errors);
        if (!mappedFields.Contains("interactionType") || !mappedFields.Contains("occurredAt"))
        {
            errors.Add("mapping", "Map columns to interactionType and occurredAt: each interaction needs a type and a time.");
        }
    }

    private Dictionary<string, int>? _index;

    public object? Build(string?[] values, Guid ownerId, DateTime now, ValidationErrors errors)
    {
        _index ??= Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var index = _index;
        string? V(string field) => values[index[field]];
        var reference = CustomerReference.Read(V, errors);

        InteractionType? type = null;
        if (V("interactionType") is { } typeText)
        {
            var key = CustomerFields.Normalize(typeText);
            type = key switch
            {
                "phone" or "phonecall" or "telephone" or "anruf" or "telefonat" => InteractionType.Call,
                "mail" or "email" or "emailmessage" => InteractionType.Email,
                "inperson" or "visit" or "besuch" => InteractionType.InPerson,
                "text" or "textmessage" => InteractionType.Sms,
                _ => EnumText<InteractionType>.AllNames.FirstOrDefault(n => CustomerFields.Normalize(n) == key) is { } name ? EnumText<InteractionType>.Parse(name) : null,
            };
            if (type is null)
            {
                errors.Add("interactionType", "Must be one of: " + string.Join(", ", EnumText<InteractionType>.AllNames) + ".");
            }
        }
        else
        {
            errors.Add("interactionType", "Is required: one of " + string.Join(", ", EnumText<InteractionType>.AllNames) + ".");
        }

        var direction = Direction.Outbound;
        if (V("direction") is { } directionText)
        {
            switch (CustomerFields.Normalize(directionText))
            {
                case "inbound" or "in" or "incoming" or "received" or "eingehend": direction = Direction.Inbound; break;
                case "outbound" or "out" or "outgoing" or "sent" or "ausgehend": direction = Direction.Outbound; break;
                default: errors.Add("direction", "Must be inbound or outbound."); break;
            }
        }

        DateTime? occurredAt = null;
        if (V("occurredAt") is { } dateText)
        {
            var parsed = ImportDates.Parse(dateText, out var problem);
            if (problem is not null)
            {
                errors.Add("occurredAt", problem);
            }
            else
            {
                occurredAt = InteractionRules.OccurredAt(errors, "occurredAt", new DateTimeOffset(DateTime.SpecifyKind(parsed!.Value, DateTimeKind.Utc)), now);
            }
        }
        else
        {
            errors.Add("occurredAt", "Is required: when the interaction happened.");
        }

        int? duration = null;
        if (V("durationMinutes") is { } durationText)
        {
            if (int.TryParse(durationText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes))
            {
                duration = minutes;
                InteractionRules.Duration(errors, "durationMinutes", minutes);
            }
            else
            {
                errors.Add("durationMinutes", "Must be a whole number of minutes.");
            }
        }

        var subject = errors.OptionalText("subject", V("subject"), Interaction.SubjectMaxLength);
        var description = LogInteraction.LongText(errors, "description", V("description"), Interaction.DescriptionMaxLength);
        var contactEmail = errors.Email("contact.email", V("contact.email"));
        if (errors.Any || reference is null)
        {
            return null;
        }

        return new Parsed(reference, contactEmail, new Interaction
        {
            InteractionType = type!.Value,
            Direction = direction,
            Subject = subject,
            Description = description,
            OccurredAt = occurredAt!.Value,
            DurationMinutes = duration,
            // The source list has no "import"; a history brought in by a machine is logged as the API logs integrations.
            Source = InteractionSource.Api,
            CreatedBy = ownerId,
        });
    }

    public Dictionary<string, string?> StoredValues(object parsed)
    {
        var p = (Parsed)parsed;
        var i = p.Interaction;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CustomerReference.ExternalIdField] = p.Customer.ExternalId,
            [CustomerReference.IdField] = p.Customer.Id?.ToString(),
            [CustomerReference.NameField] = p.Customer.Name,
            ["contact.email"] = p.ContactEmail,
            ["interactionType"] = EnumText<InteractionType>.ToText(i.InteractionType),
            ["direction"] = EnumText<Direction>.ToText(i.Direction),
            ["occurredAt"] = i.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["subject"] = i.Subject,
            ["description"] = i.Description,
            ["durationMinutes"] = i.DurationMinutes?.ToString(CultureInfo.InvariantCulture),
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
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, "You may not log interactions (customers.editProfile).", null);
            }

            return;
        }

        var customers = await CustomerReference.ResolveAsync(db, plan, candidates.Select(r => (r, ((Parsed)r.Parsed!).Customer)).ToList(), cancellationToken);
        var customerIds = customers.Values.Distinct().ToList();

        // The contacts named by email, among the customers' own.
        var emails = customers.Keys.Select(r => ((Parsed)r.Parsed!).ContactEmail).OfType<string>().Select(Matching.NormalizeEmail).OfType<string>().Distinct().ToList();
        var contacts = emails.Count == 0 ? [] : await ImportTargets.ChunkedAsync(customerIds, chunk => db.Set<Contact>().AsNoTracking()
            .Where(c => chunk.Contains(c.CustomerId) && c.EmailNormalized != null && emails.Contains(c.EmailNormalized))
            .Select(c => new { c.Id, c.CustomerId, Email = c.EmailNormalized! }).ToListAsync(cancellationToken));
        var contactOf = contacts.GroupBy(c => (c.CustomerId, c.Email)).ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToList());

        // Exact repeats: stored interactions of the same customers at the same times.
        var times = customers.Keys.Select(r => ((Parsed)r.Parsed!).Interaction.OccurredAt).Distinct().ToList();
        var stored = await ImportTargets.ChunkedAsync(customerIds, chunk => CustomerAccessInteractions(db)
            .Where(i => chunk.Contains(i.CustomerId) && times.Contains(i.OccurredAt))
            .Select(i => new { i.Id, i.CustomerId, i.InteractionType, i.OccurredAt, i.Subject }).ToListAsync(cancellationToken));
        var seen = stored.GroupBy(i => (i.CustomerId, i.InteractionType, i.OccurredAt, i.Subject ?? "")).ToDictionary(g => g.Key, g => (Row: 0L, Id: g.First().Id));

        var creates = new List<Interaction>();
        foreach (var (row, customerId) in customers.OrderBy(kv => kv.Key.Row))
        {
            var parsed = (Parsed)row.Parsed!;
            var interaction = parsed.Interaction;
            interaction.CustomerId = customerId;
            if (parsed.ContactEmail is { } email)
            {
                var found = contactOf.GetValueOrDefault((customerId, Matching.NormalizeEmail(email)!)) ?? [];
                if (found.Count != 1)
                {
                    row.Fail(plan, "contact.email", found.Count == 0 ? "The customer has no contact with this email." : "Several contacts of the customer have this email.");
                    continue;
                }

                interaction.ContactId = found[0];
            }

            var key = (customerId, interaction.InteractionType, interaction.OccurredAt, interaction.Subject ?? "");
            if (seen.TryGetValue(key, out var earlier))
            {
                row.Outcome = new RowOutcome(row.Row, RowOutcome.Skipped, earlier.Row == 0
                    ? $"Already recorded as interaction {earlier.Id} (same customer, type, time and subject)."
                    : $"Repeats row {earlier.Row} of this file (same customer, type, time and subject).", earlier.Row == 0 ? earlier.Id : null);
                continue;
            }

            seen[key] = (row.Row, interaction.Id);
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Created, "", interaction.Id);
            creates.Add(interaction);
        }

        if (dryRun || creates.Count == 0)
        {
            return;
        }

        var now = db.Clock.UtcNow();
        creates.ForEach(i => ImportTargets.Stamp(i, now));
        await BulkInsert.InsertAsync(db, creates, cancellationToken);
        await BulkInsert.InsertAsync(db, creates.Select(i => new ImportChange { ImportId = import.Id, RecordId = i.Id, Kind = ImportChange.Created }).ToList(), cancellationToken);
        var interactionIds = creates.Select(i => i.Id).ToList();
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
                ["interactions"] = new JsonObject { ["to"] = creates.Count },
                ["interactionIds"] = new JsonArray(interactionIds.Select(id => (JsonNode)id.ToString()).ToArray()),
            }.ToJsonString(ApiJson.Options),
        });
        var importId = import.Id;
        db.Publish("interactions.imported", $"imports/{import.Id}", () => new { importId, interactionIds });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Every stored interaction (not deleted), whoever may see it: a repeat is a repeat even of one the importer cannot see.</summary>
    private static IQueryable<Interaction> CustomerAccessInteractions(AidaDb db) => db.Set<Interaction>().IgnoreQueryFilters().Where(i => i.DeletedAt == null);

    /// <summary>Created interactions are soft-deleted as <c>DELETE /api/v1/interactions/{id}</c> does (the importer logged them).</summary>
    public async Task<RevertCounts> RevertAsync(AidaDb db, List<ImportChange> changes, CancellationToken cancellationToken)
    {
        long removed = 0, notYours = 0;
        foreach (var change in changes.Where(c => c.Kind == ImportChange.Created))
        {
            if ((await DeleteInteraction.RunAsync(change.RecordId, null, db, cancellationToken)).Failure is null)
            {
                removed++;
            }
            else
            {
                notYours++;
            }
        }

        return new RevertCounts(removed, 0, 0, notYours);
    }
}
