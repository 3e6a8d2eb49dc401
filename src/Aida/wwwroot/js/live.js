// Live updates for signed-in pages (Platform/Events/Live). One EventSource per page reads /ui/live, which
// carries only ids and event types the viewer may see; the page then reloads what changed through the
// same addresses it was drawn from, so what it shows is exactly what the server renders for this user:
//   change         → the pipeline board redraws its columns (a deal moved, was added, won, lost);
//                    a customer's timeline reloads when the event is that customer's;
//   notifications  → the header's badge reloads (hx-trigger="aida-notifications from:body").
// Pages work without it; a lost connection is reopened by EventSource, which resumes with Last-Event-ID.
(function () {
  "use strict";

  var meta = document.querySelector("meta[name='aida-live']");
  if (!meta || typeof window.EventSource === "undefined") return;

  var source = new EventSource(meta.content);

  // Several events in a burst (a move writes two or three) reload once.
  function debounce(fn, ms) {
    var timer = null;
    return function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(function () { timer = null; fn(); }, ms);
    };
  }

  function fetchPage(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      return new DOMParser().parseFromString(html, "text/html");
    });
  }

  // ---- The pipeline board -------------------------------------------------------------------------
  // Columns keep their elements (board.js's drag and drop is bound to them); their heads and cards are
  // redrawn from the board as the server draws it now. Not while the user is dragging or moving a card:
  // then it waits until they are done.
  function busyOnBoard(board) {
    return !!(board.querySelector(".moving, .sortable-chosen, .sortable-drag, details.move[open]")
      || document.querySelector("dialog[open]"));
  }

  function redrawBoard() {
    var board = document.querySelector(".board[data-pipeline-id]");
    if (!board) return;
    if (busyOnBoard(board)) {
      window.setTimeout(redrawBoard, 1000);
      return;
    }
    var url = "/deals?pipeline=" + encodeURIComponent(board.dataset.pipelineId);
    fetchPage(url).then(function (page) {
      var fresh = page.querySelector(".board[data-pipeline-id]");
      if (!fresh) return;
      if (busyOnBoard(board)) {
        window.setTimeout(redrawBoard, 1000);
        return;
      }
      var current = board.querySelectorAll(".board-column[data-stage-id]");
      var incoming = fresh.querySelectorAll(".board-column[data-stage-id]");
      var same = current.length === incoming.length && Array.prototype.every.call(current, function (column, i) {
        return column.dataset.stageId === incoming[i].dataset.stageId;
      });
      if (!same) {
        // The pipeline's stages changed: only a new page shows them right.
        window.location.reload();
        return;
      }
      incoming.forEach(function (column, i) {
        var mine = current[i];
        ["header.column-head", "ol.cards"].forEach(function (selector) {
          var from = column.querySelector(selector);
          var to = mine.querySelector(selector);
          if (from && to && to.innerHTML !== from.innerHTML) to.innerHTML = from.innerHTML;
        });
        var more = column.querySelector(":scope > p.muted");
        var oldMore = mine.querySelector(":scope > p.muted");
        if (oldMore) oldMore.remove();
        if (more) mine.appendChild(document.importNode(more, true));
      });
    }).catch(function () { /* the next event tries again */ });
  }

  // ---- A customer's timeline ----------------------------------------------------------------------
  function reloadTimeline(customerId) {
    var timeline = document.querySelector("[data-live-timeline='" + customerId + "']");
    if (!timeline || typeof window.htmx === "undefined") return;
    window.htmx.ajax("GET", timeline.dataset.liveUrl, { target: timeline, select: "[data-live-timeline]", swap: "outerHTML" });
  }

  var boardSoon = debounce(redrawBoard, 250);
  var timelines = {};

  source.addEventListener("change", function (message) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    if (/^(deal|pipeline)\./.test(data.type || "") && document.querySelector(".board[data-pipeline-id]")) boardSoon();
    if (data.customer && document.querySelector("[data-live-timeline='" + data.customer + "']")) {
      var id = data.customer;
      timelines[id] = timelines[id] || debounce(function () { reloadTimeline(id); }, 250);
      timelines[id]();
    }
  });

  source.addEventListener("notifications", function () {
    if (typeof window.htmx !== "undefined") window.htmx.trigger(document.body, "aida-notifications");
  });
})();
