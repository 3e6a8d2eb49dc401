#!/usr/bin/env bash
# The README's API walkthrough, runnable top to bottom against a fresh `aida --demo`:
#
#   API=http://127.0.0.1:5080/api/v1 AUTH="Authorization: Bearer aida_…" bash docs/walkthrough.sh
#
# It stops at the first call that answers another status than the one expected, showing the call (the token left
# out), the status and the body. CI runs it against a fresh demo server (tests/Aida.Tests/Docs/WalkthroughTests.cs).
#
# Everything below the line "# ---- walkthrough ----" is the README's "API walkthrough" block, except this script's
# own lines: those starting with `expect` (the status the next calls must answer), `keep` (a value of the last answer,
# such as the id in its Location, for the calls after it) or `await` (wait for background work). A test checks that
# the two agree, so change the walkthrough here and copy the block into the README.
set -euo pipefail

if [[ -z ${AUTH:-} ]]; then
  echo 'Set AUTH="Authorization: Bearer aida_…" (the token aida --demo printed) and API (default http://127.0.0.1:5080/api/v1).' >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/aida-walkthrough.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The files the walkthrough writes and uploads (customers.csv, report.csv, …) land here, not where it was started.
cd "$work"

expected=()

fail() {
  printf '\nwalkthrough failed: %s\n' "$*" >&2
  exit 1
}

# The call as typed, with the token left out.
shown() {
  local arg out=""
  for arg in "$@"; do
    if [[ $arg == "$AUTH" ]]; then out+='"$AUTH" '; else out+="$(printf '%q' "$arg") "; fi
  done
  printf '%s' "${out% }"
}

# expect STATUS…: the statuses the next curl calls must answer, one each, in order.
expect() { expected+=("$@"); }

# Every curl of the walkthrough runs here: the real curl, its body on standard output as curl prints it, its status
# checked against the next expected one. The last answer's headers and body are kept for `keep`.
curl() {
  ((${#expected[@]})) || fail "no expected status for: curl $(shown "$@")"
  local want=${expected[0]} outcome status method url
  expected=("${expected[@]:1}")
  outcome=$(command curl "$@" --dump-header "$work/.headers" --output "$work/.body" \
    --write-out '%{http_code} %{method} %{url_effective}') || fail "curl could not complete (exit $?): curl $(shown "$@")"
  read -r status method url <<<"$outcome"
  cat "$work/.body"
  printf '%s %s %s\n' "$status" "$method" "$url" >&2
  [[ $status == "$want" ]] || fail "expected $want, got $status from: curl $(shown "$@")
$(cat "$work/.body")"
}

# keep NAME location | keep NAME etag | keep NAME after TEXT: sets $NAME to the last segment of the last answer's
# Location, to its ETag, or to the string value that follows TEXT in its body.
keep() {
  local name=$1 how=$2 value="" body
  case $how in
    location) value=$(sed -n 's/^[Ll]ocation: *\([^[:space:]]*\).*$/\1/p' "$work/.headers" | tail -n 1); value=${value##*/} ;;
    etag) value=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^[:space:]]*\).*$/\1/p' "$work/.headers" | tail -n 1) ;;
    after)
      body=$(<"$work/.body")
      if [[ $body == *"$3"* ]]; then value=${body#*"$3"}; value=${value%%\"*}; fi ;;
    *) fail "keep $name: unknown source $how" ;;
  esac
  [[ -n $value ]] || fail "keep $name $how ${3:-}: not in the last answer
$(cat "$work/.headers" "$work/.body")"
  printf -v "$name" '%s' "$value"
}

# await URL TEXT: polls URL until its body holds TEXT, for work the server does in the background.
await() {
  local attempt
  for ((attempt = 0; attempt < 240; attempt++)); do
    if command curl -s -H "$AUTH" "$1" | grep -qF -- "$2"; then return 0; fi
    sleep 0.5
  done
  fail "waited two minutes for $2 in $1"
}

# ---- walkthrough ----
API=${API:-http://127.0.0.1:5080/api/v1}
AUTH=${AUTH:-"Authorization: Bearer aida_…"}    # the token from above

# Create an organisation with its primary contact, account and headquarters in one call
expect 201
curl -s -H "$AUTH" -X POST $API/customers -H 'Content-Type: application/json' -d '{
  "type": "organization", "displayName": "Globex Corporation", "source": "sales",
  "primaryContact": {"firstName": "Hank", "lastName": "Scorpio", "email": "hank@globex.example", "phone": "+1 555 010 0001"},
  "account": {"legalName": "Globex Corporation Inc.", "website": "globex.example", "taxId": "12-3456789", "employeeCount": "201-500"},
  "addresses": [{"addressType": "headquarters", "streetLine1": "1 Cypress Creek", "city": "Cypress Creek", "country": "US"}]
}'
keep customer location
# → 201 Created, Location: /api/v1/customers/$customer, ETag: "1"

# The same company again is probably a duplicate: 409 with the candidates and their scores
expect 409
curl -s -H "$AUTH" -X POST $API/customers -H 'Content-Type: application/json' \
  -d '{"type":"organization","displayName":"GLOBEX Corp.","account":{"legalName":"Globex","website":"https://www.globex.example"}}'
# → {"type":"urn:aida:problem:possible-duplicate", …, "candidates":[{"id":"…","score":0.9,"reasons":["name","domain"]}]}
#   (matches you cannot see are one {"visible":false}: no id, type, score or reasons, not even how many)
# Create it anyway (the audit log records that you did). A weaker match is created and reported: possibleDuplicates
# in the body, ids in the Aida-Possible-Duplicates header.
expect 201
curl -s -H "$AUTH" -X POST "$API/customers?allowDuplicate=true" -H 'Content-Type: application/json' \
  -d '{"type":"organization","displayName":"GLOBEX Corp.","account":{"legalName":"Globex","website":"https://www.globex.example"}}'
keep duplicate location

# Merge duplicates into one (2–10 records): compare first, then merge; undo within 30 days
expect 200
curl -s -H "$AUTH" -H "Content-Type: application/json" -X POST "$API/customers/merge/preview" -d @- <<JSON
{"ids":["$customer","$duplicate"],"survivorId":"$customer"}
JSON
expect 200
curl -s -H "$AUTH" -H "Content-Type: application/json" -X POST "$API/customers/merge" -d @- <<JSON
{"ids":["$customer","$duplicate"],"survivorId":"$customer","choices":{"displayName":"$duplicate"}}
JSON
keep merge after '"merge":{"id":"'
expect 308
curl -s -H "$AUTH" "$API/customers/$duplicate"                # a merged-away id answers 308 to the survivor
expect 200
curl -s -H "$AUTH" -X POST "$API/merges/$merge/undo"

# Review likely duplicates (managers, admins): clusters of scored pairs with reasons; decide a pair
expect 202
curl -s -H "$AUTH" -X POST "$API/duplicates/scan?full=true"        # admins: a scan pass now (202), full=true starts over
await "$API/duplicates?type=customer&status=open&limit=20" '"pairs":[{"id":"'
expect 200
curl -s -H "$AUTH" "$API/duplicates?type=customer&status=open&limit=20"   # → {"items":[{…,"pairs":[{"id":"$pair",…}]}]}
keep pair after '"pairs":[{"id":"'
expect 200
curl -s -H "$AUTH" "$API/duplicates?type=lead&status=open&limit=20"   # open leads that are likely one person
expect 200
curl -s -H "$AUTH" -H "Content-Type: application/json" -X POST "$API/duplicates/$pair/defer" -d '{}'   # 30 days, or {"until":…} up to a year
expect 200
curl -s -H "$AUTH" -X POST "$API/duplicates/$pair/dismiss"      # not duplicates: never proposed again
# Merge duplicate leads: the survivor keeps its values and takes what it lacks; the others' ids answer 308 to it
expect 201
curl -s -H "$AUTH" -X POST $API/leads -H 'Content-Type: application/json' -d '{"firstName":"Ann","lastName":"Perkins","email":"ann@perkins.example"}'
keep lead location
expect 201
curl -s -H "$AUTH" -X POST $API/leads -H 'Content-Type: application/json' -d '{"firstName":"Ann","lastName":"Perkins","phone":"+1 555 010 0002"}'
keep otherLead location
expect 200
curl -s -H "$AUTH" -H "Content-Type: application/json" -X POST "$API/leads/merge" -d @- <<JSON
{"survivorId":"$lead","mergedIds":["$otherLead"]}
JSON
keep leadMerge after '"merge":{"id":"'
expect 200
curl -s -H "$AUTH" -X POST "$API/lead-merges/$leadMerge/undo"   # within 30 days: the leads and their touches come back

# Import customers from a file (customers.import): upload, check the suggested mapping and the preview, start,
# follow the progress, download the report (each row's outcome and reason), revert within 30 days
printf 'Company,E-mail\nInitech,bill@initech.example\nVandelay Industries,art@vandelay.example\n' > customers.csv
expect 201
curl -s -H "$AUTH" -F "file=@customers.csv" -F "sourceName=old-crm" "$API/imports"        # header, suggested mapping, first rows
keep import after '"import":{"id":"'
expect 200
curl -s -H "$AUTH" -H "Content-Type: application/json" -X PUT "$API/imports/$import/mapping" \
  -d '{"mapping":{"Company":"displayName","E-mail":"contact.email"},"onDuplicate":"skip","validRowsOnly":true,"saveMapping":true}'
expect 200
curl -s -H "$AUTH" "$API/imports/$import/preview?limit=20"                                # problems by row and column
expect 202
curl -s -H "$AUTH" -X POST "$API/imports/$import/start"                                   # 202: runs in the background
expect 200
curl -s -H "$AUTH" "$API/imports/$import"                                                 # status, counts, rows/s, time left
await "$API/imports/$import" '"status":"completed"'
expect 200
curl -s -H "$AUTH" "$API/imports/$import/report" > report.csv
expect 200
curl -s -H "$AUTH" -X POST "$API/imports/$import/revert"   # runs to the end even if you hang up; asked again after its server stopped, it finishes
# Contacts of existing customers, or a history of interactions: the same steps with entityType. Each row names its
# customer by customer.externalId, customer.id or customer.name (exact, unique among the customers you see); a
# customer that is not yours, missing or ambiguous is a problem of that row. Contacts match by email within the
# customer (onDuplicate applies; updates are restored on revert); interactions need interactionType and occurredAt
# (YYYY-MM-DD[ HH:MM], D.M.YYYY, or D/M/YYYY and M/D/YYYY when unambiguous), direction defaults to outbound, a
# contact is found by contact.email, and an exact repeat (customer, type, time, subject) is skipped.
printf 'Customer,First name,Last name,E-mail\nGlobex Corporation,Mindy,Simmons,mindy@globex.example\n' > contacts.csv
expect 201
curl -s -H "$AUTH" -F "file=@contacts.csv" -F "entityType=contacts" "$API/imports"
# Leads (leads.create too): validated as POST /leads (an email or a phone is required), active, assigned to the
# importer (not routed) and scored; source from a source column, else api, with sourceDetail "Import: <source>".
# A row whose email matches an open lead follows onDuplicate (skip, update mapped non-blank fields, create);
# an open lead you cannot see is "not yours"; a repeated email within the file is skipped. Revert soft-deletes.
printf 'First name,Last name,E-mail,Company\nApril,Ludgate,april@pawnee.example,Pawnee Parks\n' > leads.csv
expect 201
curl -s -H "$AUTH" -F "file=@leads.csv" -F "entityType=leads" "$API/imports"

# Export what a list shows (analytics.exportData): csv, xlsx or json, streamed, audited
expect 200
curl -s -H "$AUTH" "$API/exports/customers?format=csv&status=active" > active-customers.csv

# Find and page
expect 200
curl -s -H "$AUTH" "$API/customers?q=glob&status=prospect,active&sort=displayName&limit=20"
expect 200
curl -s -H "$AUTH" "$API/customers?sort=displayName&limit=20"               # → {"items":[…],"nextCursor":"$cursor"}
keep cursor after '"nextCursor":"'
expect 200
curl -s -H "$AUTH" "$API/customers?cursor=$cursor&sort=displayName&limit=20"   # the next page
expect 200
curl -s -H "$AUTH" "$API/contacts?q=hank%20sc"            # contacts across customers, by name prefix
expect 200
curl -s -H "$AUTH" "$API/contacts?email=Hank@Globex.example"

# Change with optimistic concurrency: send the ETag back; a stale one gets 412 and changes nothing
expect 200
curl -s -H "$AUTH" $API/customers/$customer                       # its ETag now: the merge and its undo changed it
keep etag etag
expect 200
curl -s -H "$AUTH" -X PATCH $API/customers/$customer -H 'Content-Type: application/json' -H "If-Match: $etag" -d '{"status":"active"}'
expect 412
curl -s -H "$AUTH" -X PATCH $API/customers/$customer -H 'Content-Type: application/json' -H "If-Match: $etag" -d '{"source":"web"}'   # → 412: $etag is stale now

# Contacts, addresses, the account and relationships hang off the customer
expect 201
curl -s -H "$AUTH" -X POST $API/customers/$customer/contacts -H 'Content-Type: application/json' \
  -d '{"firstName":"Mindy","lastName":"Simmons","email":"mindy@globex.example","isPrimary":true}'
expect 201
curl -s -H "$AUTH" -X POST $API/customers/$customer/relationships -H 'Content-Type: application/json' -d @- <<JSON
{"toCustomerId":"$duplicate","relationshipType":"subsidiary"}
JSON

# Deactivate (kept, listed, reversible) versus delete (soft delete, cascades, 404 afterwards)
expect 200
curl -s -H "$AUTH" -X PATCH $API/customers/$duplicate -H 'Content-Type: application/json' -d '{"status":"inactive"}'
expect 204
curl -s -H "$AUTH" -X DELETE $API/customers/$duplicate
expect 404
curl -s -H "$AUTH" $API/customers/$duplicate                      # → 404

# Who changed what, and the event feed for integrations: start from the beginning, then pass each nextCursor as after
expect 200
curl -s -H "$AUTH" "$API/audit?customerId=$customer"
expect 200
curl -s -H "$AUTH" "$API/events?limit=100"       # from the start (a demo server's first event is customers.imported)
keep cursor after '"nextCursor":"'
expect 200
curl -s -H "$AUTH" "$API/events?after=$cursor&limit=100"

# Interactions: log a call (times need an offset and are stored in UTC); a synced one sent twice is stored once
expect 201
curl -s -H "$AUTH" -X POST $API/interactions -H 'Content-Type: application/json' -d @- <<JSON
{"customerId":"$customer","interactionType":"call","direction":"outbound","subject":"Renewal","description":"Call back next week","occurredAt":"2026-11-30T15:30:00+01:00","outcome":"follow_up_needed"}
JSON
keep interaction location
expect 200
curl -s -H "$AUTH" "$API/interactions/$interaction/follow-up"      # a drafted follow-up: due next Monday 09:00, from the notes
expect 201
curl -s -H "$AUTH" -X POST $API/activities -H 'Content-Type: application/json' -d @- <<JSON
{"customerId":"$customer","activityType":"call","subject":"Call back","dueDate":"2026-12-07T09:00:00+01:00","reminderAt":"2026-12-07T08:45:00+01:00"}
JSON
keep activity location
expect 200
curl -s -H "$AUTH" -X POST $API/activities/$activity/complete -H 'Content-Type: application/json' -d '{"outcome":"successful","notes":"Signed"}'
expect 201
curl -s -H "$AUTH" -X POST $API/notes -H 'Content-Type: application/json' -d @- <<JSON
{"customerId":"$customer","content":"**Ron** signs","visibility":"team","isPinned":true}
JSON
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/timeline?types=call,note&from=2026-01-01T00:00:00Z"
expect 200
curl -s -H "$AUTH" "$API/search?q=renew"                              # customers, contacts, interactions, notes; <mark>ed
# An email from an integration: matched to a contact by address, else a customer by domain, else queued
# (201 with the match when you may see it; filed out of your reach it is only 202 {"status":"accepted",…}, matched or not)
expect 201
curl -s -H "$AUTH" -X POST $API/communications -H 'Content-Type: application/json' \
  -d '{"headers":{"Message-ID":"<m2@x.example>","In-Reply-To":"<m1@x.example>","From":"Ann <ann@x.example>","To":"sales@ourco.example","Subject":"Re: Quote"},"bodyText":"Yes, go ahead."}'
keep communication after '"communication":{"id":"'
expect 200
curl -s -H "$AUTH" "$API/communications/$communication/thread"
# One you sent (from one of your own domains, Communications:InternalDomains; a demo server's is demo.aida.local) is
# outbound, matched by its recipients; the mail integration reports its opens, clicks and bounces
expect 201
curl -s -H "$AUTH" -X POST $API/communications -H 'Content-Type: application/json' \
  -d '{"headers":{"Message-ID":"<q1@demo.aida.local>","From":"Demo Admin <admin@demo.aida.local>","To":"hank@globex.example","Subject":"Your quote"},"bodyText":"Attached."}'
keep sent after '"communication":{"id":"'
expect 200
curl -s -H "$AUTH" -X POST $API/communications/$sent/tracking -H 'Content-Type: application/json' -d '{"event":"bounced","bounceType":"hard"}'

# Leads: capture (scored and routed; an email or phone already known attaches to that lead or contact: 200 + Aida-Duplicate-Of;
# a result you cannot see, e.g. another team's lead or a new lead routed out of your reach, is only 202 {"status":"accepted",…})
expect 201
curl -s -H "$AUTH" -X POST $API/leads -H 'Content-Type: application/json' \
  -d '{"firstName":"Leslie","lastName":"Knope","email":"leslie@pawnee.example","company":"Pawnee Parks","country":"US","sourceType":"referral","budgetAmount":14400,"budgetCurrency":"USD","authority":"decision_maker","timeline":"this_month"}'
keep lead location
expect 201
curl -s -H "$AUTH" -X POST $API/leads/$lead/interactions -H 'Content-Type: application/json' \
  -d '{"interactionType":"call","direction":"outbound","subject":"Intro call"}'   # the first outbound: lead.connected
expect 201
curl -s -H "$AUTH" -X POST $API/leads/$lead/convert -H 'Content-Type: application/json' \
  -d '{"deal":{"title":"Parks office laptops","value":14400,"currency":"USD"}}'    # → customer, account, contact, deal; a retry answers the same
keep deal after '"dealId":"'
# A web form (admin): define it, paste GET /lead-forms/<id>/embed into your site; visitors post to /f/<key> without signing in
expect 201
curl -s -H "$AUTH" -X POST $API/lead-forms -H 'Content-Type: application/json' \
  -d '{"name":"Contact us","fields":[{"name":"email","required":true},{"name":"message"}],"allowedOrigins":["https://www.example.com"],"successRedirectUrl":"https://www.example.com/thanks"}'
# Deals: the board's move needs If-Match (428 without, 412 stale); closing needs a reason; won emits deal.converted
expect 200
curl -s -H "$AUTH" $API/deals/$deal              # its ETag, for If-Match
keep etag etag
expect 200
curl -s -H "$AUTH" -X POST $API/deals/$deal/move -H "If-Match: $etag" -H 'Content-Type: application/json' \
  -d '{"stageId":"01900000-0000-7000-8000-000000000015","reason":"Best fit for their budget"}'
expect 200
curl -s -H "$AUTH" "$API/forecast?period=quarter"
expect 200
curl -s -H "$AUTH" "$API/analytics/funnel?from=2026-01-01&to=2026-12-31"   # also pipeline, lead-sources, time-in-stage, win-rate
expect 200
# The home page's figures (yours, in your reach): activities due, leads, pipeline by stage, forecast vs won, recent changes
curl -s -H "$AUTH" "$API/dashboard?period=week"                 # day, week, month (default), quarter or year

# Lifecycle: every customer has a stage (a new one starts as Prospect); moves follow the transition rules
# (409 naming the allowed ones; an admin may send "override":true with a reason); a rule may require a
# manager's approval (202, then /lifecycle/approvals/<id>/approve). Emits customer.stage_changed, and
# customer.retained when the customer becomes one (Opportunity → Customer, Churned → Won Back).
expect 200
curl -s -H "$AUTH" -X PUT $API/customers/$customer/lifecycle -H 'Content-Type: application/json' \
  -d '{"stageId":"01900000-0000-7000-8000-000000000103","reason":"Asked for a quote"}'   # → Opportunity
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/lifecycle/history"
expect 200
curl -s -H "$AUTH" "$API/customers/lifecycle/stats"      # customers per stage and AIDA phase, in your reach
expect 200 200
curl -s -H "$AUTH" "$API/lifecycle/stages"; curl -s -H "$AUTH" "$API/lifecycle/transitions"
expect 200
curl -s -H "$AUTH" "$API/lifecycle/stages/01900000-0000-7000-8000-000000000103/customers?limit=50"   # a board column, longest in the stage first

# Purchases from an accounting or booking system: a refund is a negative amount; externalId (unique per
# customer) makes it idempotent — the same purchase again answers 200 and changes nothing, the same id with
# other content 409. A customer's purchases share one currency, its first purchase's (409 naming currency
# otherwise: convert first). Each keeps the lifecycle's purchase figures current in the same save, records
# the first-purchase (and, with "isRenewal":true, renewal) milestone, moves a churned customer to Won Back
# and a prospect to Customer (trigger rule), and emits customer.purchase_recorded.
expect 201
curl -s -H "$AUTH" -X POST $API/customers/$customer/purchases -H 'Content-Type: application/json' \
  -d '{"amount":1200.00,"currency":"EUR","purchasedOn":"2026-11-30","externalId":"INV-2026-0042","description":"Annual plan"}'
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/purchases"
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/value"     # revenue, AOV, frequency, CLV, predicted next 365 days
expect 200
curl -s -H "$AUTH" "$API/customers/high-value?currency=EUR"  # by lifetime value, in your reach, one currency at a time
# Journey milestones (spec 002 Journey): Aida records first contact (the first interaction logged), first
# purchase, renewal, churn signal (entering At Risk) and win back (entering Won Back); the others, such as
# referral_made (there are no referrals yet), through the API. Each emits customer.milestone_reached and
# shows on the customer's timeline (types=milestone).
expect 201
curl -s -H "$AUTH" -X POST $API/customers/$customer/journey -H 'Content-Type: application/json' \
  -d '{"milestoneType":"referral_made","note":"Introduced the Smiths"}'
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/journey"

# Segments: preview criteria (count in your reach, nothing saved), save, page through members, export CSV
expect 200
curl -s -H "$AUTH" -X POST $API/segments/preview -H 'Content-Type: application/json' \
  -d '{"criteria":{"all":[{"field":"lifecycle.current_stage.category","operator":"eq","value":"customer"},{"field":"lifecycle.last_purchase_date","operator":"gte","value":"now-90d"}]}}'
expect 201
curl -s -H "$AUTH" -X POST $API/segments -H 'Content-Type: application/json' \
  -d '{"name":"Enterprise","type":"dynamic","criteria":{"all":[{"field":"account.employee_count","operator":"gte","value":"501-1000"}]}}'
keep enterprise location
expect 201
curl -s -H "$AUTH" -X POST $API/segments -H 'Content-Type: application/json' -d @- <<JSON
{"name":"Recent buyers","type":"dynamic","criteria":{"all":[{"field":"lifecycle.last_purchase_date","operator":"gte","value":"now-90d"},{"not":{"field":"segment","operator":"eq","value":"$enterprise"}}]}}
JSON
keep segment location
expect 200 200
curl -s -H "$AUTH" "$API/segments/$segment/customers?limit=100"; curl -s -H "$AUTH" "$API/segments/$segment/export" > members.csv
expect 200 200
curl -s -H "$AUTH" -X POST $API/segments/$segment/refresh; curl -s -H "$AUTH" "$API/segments/analytics?days=90"
expect 200
curl -s -H "$AUTH" "$API/segments/fields"      # every field criteria may use, with its operators

# Scores (health, engagement, value, churn_risk, upsell_potential): 0–100, grade A–F, factor breakdown, isStale,
# insufficientData. Recalculated nightly and seconds after an interaction, activity, deal or purchase changes.
expect 200
curl -s -H "$AUTH" "$API/customers/$customer/scores"
expect 200
curl -s -H "$AUTH" -X POST "$API/customers/$customer/scores/recalculate"
expect 200
curl -s -H "$AUTH" "$API/scoring/health-dashboard?limit=50"        # by grade, at-risk list, trend — in your reach
expect 200
curl -s -H "$AUTH" "$API/scoring/rules"                            # admin: PUT the same shape to change it
expect 202 200
curl -s -H "$AUTH" -X POST "$API/scoring/runs"; curl -s -H "$AUTH" "$API/scoring/runs"   # admin: full run, resumable

# People (admin): a team, its manager, a rep in it; and a read-only, expiring token for yourself
expect 201
curl -s -H "$AUTH" -X POST $API/teams -H 'Content-Type: application/json' -d '{"name":"North"}'
keep team location
expect 201
curl -s -H "$AUTH" -X POST $API/users -H 'Content-Type: application/json' -d @- <<JSON
{"email":"rita@example.com","displayName":"Rita Rep","role":"rep","teamId":"$team","password":"at least twelve chars"}
JSON
expect 201
curl -s -H "$AUTH" -X POST $API/me/tokens -H 'Content-Type: application/json' -d '{"name":"reporting","scope":"read","expiresInDays":90}'
# → 201 {"token":{"id":"…","prefix":"aida_x1Y2z3",…},"secret":"aida_…"}   (the secret is shown only here)
