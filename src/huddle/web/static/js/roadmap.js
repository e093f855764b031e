// The roadmap board: drag a card into another column (or before another card) and drop it.
// The move is sent like the card's own Move form (same CSRF token); on refusal the page
// reloads so it shows what was kept. Without this script the Move forms do the same.
(() => {
  let dragged = null;

  function columnOf(element) {
    return element.closest("[data-horizon]");
  }

  function cardAfter(column, y) {
    const cards = [...column.querySelectorAll("[data-card]:not(.dragging)")];
    return cards.find((card) => {
      const box = card.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
  }

  async function send(card, column, before) {
    const token = document.querySelector('meta[name="csrf-token"]');
    const form = new FormData();
    form.append("csrf_token", token ? token.content : "");
    form.append("solution_id", card.dataset.card);
    form.append("horizon", column.dataset.horizon);
    form.append("before_id", before ? before.dataset.card : "");
    const answer = await fetch("/roadmap/move", {
      method: "POST",
      body: form,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    // Counts, approval labels and the unplanned list change with a move: show them as kept.
    if (!answer.ok) console.warn("the move was refused:", answer.status);
    window.location.reload();
  }

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest("[data-card][draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
    dragged = null;
  });

  document.addEventListener("dragover", (event) => {
    const column = dragged && columnOf(event.target);
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".drop-target").forEach((c) => c !== column && c.classList.remove("drop-target"));
    column.classList.add("drop-target");
  });

  document.addEventListener("drop", (event) => {
    const column = dragged && columnOf(event.target);
    if (!column) return;
    event.preventDefault();
    const card = dragged;
    const before = cardAfter(column, event.clientY);
    if (before) before.before(card); else column.append(card);
    send(card, column, before);
  });
})();
