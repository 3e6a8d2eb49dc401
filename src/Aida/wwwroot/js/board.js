// Drag and drop for the pipeline board (/deals). The board works without this file: every card has a
// "Move to…" form. This script drags cards between columns (SortableJS) and posts that same form with
// fetch, so the server sees exactly what the form would send: the card's version (If-Match), the stage
// and, for a won or lost column, the reason asked in the dialog. A refused move puts the card back.
(function () {
  "use strict";

  var board = document.querySelector(".board[data-can-move='true']");
  if (!board || typeof window.Sortable === "undefined") return;

  var status = document.getElementById("board-status");
  var dialog = document.getElementById("close-dialog");
  var staleKey = "aida.board.stale";

  function say(message, isError) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("error", !!isError);
  }

  // A reload after a stale move says why the board changed under the user's hand.
  try {
    var pending = window.sessionStorage.getItem(staleKey);
    if (pending) {
      window.sessionStorage.removeItem(staleKey);
      say(pending, true);
    }
  } catch (e) { /* storage unavailable: nothing to say */ }

  function formatAmount(currency, amount) {
    return currency + " " + amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // Keeps a column's count and total in step with a card that left (-1) or arrived (+1).
  function adjust(column, card, sign) {
    var count = column.querySelector(".column-count");
    if (count) {
      var n = parseInt(count.dataset.count, 10) + sign;
      count.dataset.count = String(n);
      count.textContent = String(n);
    }
    var currency = card.dataset.currency;
    var value = parseFloat(card.dataset.value) || 0;
    var totals = column.querySelector(".column-totals");
    if (!totals || !currency) return;
    var total = totals.querySelector(".column-total[data-currency='" + currency + "']");
    if (!total) {
      var empty = totals.querySelector(".muted");
      if (empty) empty.remove();
      total = document.createElement("span");
      total.className = "column-total";
      total.dataset.currency = currency;
      total.dataset.total = "0";
      totals.appendChild(total);
    }
    var sum = Math.round(((parseFloat(total.dataset.total) || 0) + sign * value) * 100) / 100;
    total.dataset.total = String(sum);
    total.textContent = formatAmount(currency, sum);
  }

  function putBack(card, from, oldIndex) {
    var reference = from.children[oldIndex] || null;
    from.insertBefore(card, reference);
  }

  // Asks why the deal closed; resolves with the reason, or null when the user cancels.
  function askReason(kind, stageName) {
    return new Promise(function (resolve) {
      if (!dialog || typeof dialog.showModal !== "function") {
        var typed = window.prompt("Why was the deal " + (kind === "won" ? "won" : "lost") + "?");
        resolve(typed && typed.trim() ? typed.trim() : null);
        return;
      }
      var text = dialog.querySelector("#close-dialog-text");
      var reason = dialog.querySelector("#close-dialog-reason");
      if (text) text.textContent = "Moving to " + stageName + ". Why was the deal " + (kind === "won" ? "won" : "lost") + "?";
      reason.value = "";
      dialog.returnValue = "";
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        var value = reason.value.trim();
        resolve(dialog.returnValue === "confirm" && value ? value : null);
      });
      dialog.showModal();
      reason.focus();
    });
  }

  function move(card, column, reason) {
    var form = card.querySelector("form.move-form");
    var data = new FormData(form);
    data.set("stageId", column.dataset.stageId);
    data.set("reason", reason || "");
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  function dropped(event) {
    var card = event.item;
    var from = event.from.closest("[data-stage-id]");
    var to = event.to.closest("[data-stage-id]");
    if (!from || !to || from === to) return;
    var kind = to.dataset.stageKind;
    var asking = kind === "won" || kind === "lost" ? askReason(kind, to.dataset.stageName) : Promise.resolve("");
    asking.then(function (reason) {
      if (reason === null) {
        putBack(card, event.from, event.oldIndex);
        say("Not moved.", false);
        return;
      }
      card.classList.add("moving");
      move(card, to, reason).then(function (result) {
        card.classList.remove("moving");
        if (result.ok) {
          var version = String(result.body.version);
          card.dataset.version = version;
          var field = card.querySelector("input[name='version']");
          if (field) field.value = version;
          var select = card.querySelector("select[name='stageId']");
          if (select) select.value = to.dataset.stageId;
          card.classList.toggle("stale", !!result.body.stale);
          var badge = card.querySelector(".badge.warn");
          if (badge && !result.body.stale) badge.remove();
          // A closed deal is no longer late, whatever date it was expected to close on.
          if (result.body.status !== "open") {
            card.querySelectorAll(".deal-close.overdue").forEach(function (close) {
              close.classList.remove("overdue");
              var label = close.querySelector(".overdue-label");
              if (label) label.remove();
            });
          }
          adjust(from, card, -1);
          adjust(to, card, +1);
          say("Moved to " + to.dataset.stageName + ".", false);
          return;
        }
        putBack(card, event.from, event.oldIndex);
        if (result.status === 412 || result.status === 428) {
          try { window.sessionStorage.setItem(staleKey, "Someone else changed this deal — reloaded."); } catch (e) { /* no storage */ }
          say("Someone else changed this deal — reloaded.", true);
          window.location.reload();
          return;
        }
        var errors = result.body && result.body.errors ? Object.keys(result.body.errors).map(function (k) { return result.body.errors[k].join(" "); }) : [];
        say("Not moved: " + (errors.join(" ") || result.body.detail || "the server refused the move."), true);
      }, function () {
        card.classList.remove("moving");
        putBack(card, event.from, event.oldIndex);
        say("Not moved: the server could not be reached.", true);
      });
    });
  }

  board.querySelectorAll(".board-column ol.cards").forEach(function (list) {
    window.Sortable.create(list, {
      group: "deals",
      draggable: ".deal-card",
      // Order within a column is not stored (cards sort by expected close), so only moves between columns count.
      sort: false,
      filter: "details, select, textarea, input, button",
      preventOnFilter: false,
      animation: 120,
      onEnd: dropped
    });
  });
})();
