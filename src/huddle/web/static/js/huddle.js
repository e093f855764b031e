// Small behaviours the pages share; every page also works without them. Nothing on a page
// runs inline (the Content-Security-Policy forbids it): markup asks with data- attributes.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRF-Token"] = token.content;
});

document.addEventListener("click", (event) => {
  const pick = event.target.closest("[data-pick-account]");
  if (pick) {
    event.preventDefault();
    pickAccount(pick);
  }
  const all = event.target.closest("[data-select-all]");
  if (all) {
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = all.checked; });
  }
  const back = event.target.closest("[data-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

function countSelected() {
  const count = document.querySelectorAll('input[name="ids"]:checked').length;
  const label = document.getElementById("selected-count");
  if (label) label.textContent = count ? `${count} selected` : "none selected";
}

document.addEventListener("change", (event) => {
  countSelected();
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});


// The inbox from the keyboard. Actions submit the bulk form, which htmx swaps in place: the
// place in the list is kept (the same row number, now the next item), and the selection is
// what the action used. With nothing selected, an action takes the current item.
let current = 0;
const rows = () => Array.from(document.querySelectorAll("tr[data-row]"));

// Only moving with j/k scrolls: opening the inbox must not jump past the suggestions.
function mark(index, scroll = false) {
  const all = rows();
  if (!all.length) return;
  current = Math.max(0, Math.min(index, all.length - 1));
  all.forEach((row, i) => row.classList.toggle("current", i === current));
  if (scroll) all[current].scrollIntoView({ block: "nearest" });
}

function submitWith(key) {
  const form = document.getElementById("bulk");
  const button = form && form.querySelector(`button[data-key="${key}"]`);
  if (!button) return;
  if (!form.querySelector('input[name="ids"]:checked')) {
    const box = rows()[current] && rows()[current].querySelector('input[name="ids"]');
    if (box) box.checked = true;
  }
  // A click, not requestSubmit: htmx takes the action (formaction) from the button clicked.
  button.click();
}

const KEYS = {
  j: () => mark(current + 1, true),
  k: () => mark(current - 1, true),
  x: () => {
    const box = rows()[current] && rows()[current].querySelector('input[name="ids"]');
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  },
  a: () => {
    const all = document.querySelector("[data-select-all]");
    if (all) all.click();
  },
  l: () => document.querySelector('#bulk input[name="problem_id"]').focus(),
  n: () => document.querySelector('#bulk input[name="title"]').focus(),
  d: () => submitWith("dismiss"),
  s: () => submitWith("snooze"),
  u: () => { const undo = document.getElementById("undo"); if (undo) undo.click(); },
  "/": () => document.querySelector('input[name="q"]').focus(),
  Enter: () => {
    const open = rows()[current] && rows()[current].querySelector("a[data-open]");
    if (open) window.location.assign(open.href);
  },
  "?": () => document.getElementById("keys").showModal(),
};

// While an action is on its way and until htmx has taken in the new list, keys wait: a key
// pressed before the new form is processed would submit it as a plain form (a full reload).
document.addEventListener("htmx:beforeRequest", () => { document.documentElement.dataset.busy = "1"; });
document.addEventListener("htmx:afterSettle", () => { delete document.documentElement.dataset.busy; });
document.addEventListener("htmx:responseError", () => { delete document.documentElement.dataset.busy; });

document.addEventListener("keydown", (event) => {
  if (!document.getElementById("bulk") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.documentElement.dataset.busy) {
    event.preventDefault();
    return;
  }
  const field = event.target.closest("input, textarea, select");
  if (field) {
    if (event.key === "Escape") field.blur();
    // Enter in the pickers of the bulk bar does what the field is for, not the form's first button.
    if (event.key === "Enter" && field.matches('#bulk input[name="problem_id"]')) {
      event.preventDefault();
      submitWith("link");
    } else if (event.key === "Enter" && field.matches('#bulk input[name="title"]')) {
      event.preventDefault();
      submitWith("new");
    }
    return;
  }
  if (event.key === "Enter" && event.target.closest("a, button, summary, dialog")) return;
  const act = KEYS[event.key];
  if (act) {
    event.preventDefault();
    act();
  }
});

document.addEventListener("htmx:afterSwap", () => mark(current));

// An action that fails comes back as the inbox with its error: the selection it was for is
// selected again, so the person can put right what was wrong (choose another problem) and
// send it again instead of selecting everything anew.
let sentSelection = [];
document.addEventListener("htmx:beforeRequest", (event) => {
  const from = event.detail.elt;
  if (!from || !from.closest || !from.closest("#bulk")) return;
  sentSelection = Array.from(document.querySelectorAll('#bulk input[name="ids"]:checked'))
    .map((box) => box.value);
});
document.addEventListener("htmx:afterSwap", () => {
  if (sentSelection.length && document.querySelector('main [role="alert"]')) {
    document.querySelectorAll('#bulk input[name="ids"]').forEach((box) => {
      box.checked = sentSelection.includes(box.value);
    });
    countSelected();
  }
  sentSelection = [];
});
document.addEventListener("DOMContentLoaded", () => mark(0));

// An undo is offered for a while after an action, then folds away.
document.addEventListener("htmx:afterSettle", () => {
  const undo = document.querySelector("form.undo");
  if (undo) setTimeout(() => undo.remove(), 15000);
});

// On an evidence page, a passage selected in the text becomes the quote to link.
document.addEventListener("selectionchange", () => {
  const form = document.getElementById("link-quote");
  const text = document.querySelector("[data-quotable]");
  if (!form || !text) return;
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !text.contains(selection.anchorNode)
      || !text.contains(selection.focusNode)) return;
  const passage = selection.toString().trim();
  if (!passage) return;
  form.querySelector('input[name="quote"]').value = passage;
  const chosen = document.getElementById("quote-chosen");
  chosen.querySelector("q").textContent = passage;
  chosen.hidden = false;
  document.getElementById("quote-hint").hidden = true;
});

document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-clear-quote]")) return;
  document.querySelector('#link-quote input[name="quote"]').value = "";
  document.getElementById("quote-chosen").hidden = true;
  document.getElementById("quote-hint").hidden = false;
});

// On a phone the navigation folds behind one button.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-menu]");
  if (!toggle) return;
  const nav = toggle.closest("nav");
  const open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", String(open));
});

// A page's own Print button (the roadmap): the print stylesheet leaves out the controls.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// The account field of the add-evidence form is a combobox: arrows move through the
// suggestions, Enter picks, Escape closes; changing the text after a pick drops the pick.
function pickAccount(option) {
  document.getElementById("account_id").value = option.dataset.pickAccount;
  const field = document.getElementById("account_query");
  field.value = option.dataset.name;
  closeSuggestions(field);
}

function closeSuggestions(field) {
  document.getElementById("account-suggestions").innerHTML = "";
  field.setAttribute("aria-expanded", "false");
  field.removeAttribute("aria-activedescendant");
}

document.addEventListener("input", (event) => {
  if (event.target.id === "account_query") document.getElementById("account_id").value = "";
});

document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "account-suggestions") return;
  const field = document.getElementById("account_query");
  field.setAttribute("aria-expanded", String(!!event.target.querySelector("[role=option]")));
  field.removeAttribute("aria-activedescendant");
});

document.addEventListener("keydown", (event) => {
  if (event.target.id !== "account_query") return;
  const field = event.target;
  const options = Array.from(document.querySelectorAll("#account-suggestions [role=option]"));
  const active = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!options.length) return;
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = (active + step + options.length) % options.length;
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === next)));
    field.setAttribute("aria-activedescendant", options[next].id);
  } else if (event.key === "Enter" && active >= 0) {
    event.preventDefault();
    pickAccount(options[active]);
  } else if (event.key === "Escape" && options.length) {
    event.preventDefault();
    closeSuggestions(field);
  }
});

// A checkbox that saves itself (a gate item, a launch task): its form is sent on change.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.matches("[data-submit-on-change]") && box.form) {
    box.form.requestSubmit();
  }
});
