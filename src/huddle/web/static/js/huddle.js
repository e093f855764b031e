// Small behaviours the pages share; every page also works without them.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRF-Token"] = token.content;
});

document.addEventListener("click", (event) => {
  const pick = event.target.closest("[data-pick-account]");
  if (pick) {
    event.preventDefault();
    document.getElementById("account_id").value = pick.dataset.pickAccount;
    document.getElementById("account_query").value = pick.dataset.name;
    document.getElementById("account-suggestions").innerHTML = "";
  }
  const all = event.target.closest("[data-select-all]");
  if (all) {
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = all.checked; });
  }
});

document.addEventListener("change", () => {
  const count = document.querySelectorAll('input[name="ids"]:checked').length;
  const label = document.getElementById("selected-count");
  if (label) label.textContent = count ? `${count} selected` : "none selected";
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-vega]").forEach((node) => {
    if (window.vegaEmbed) window.vegaEmbed(node, JSON.parse(node.dataset.vega), { actions: false });
  });
});
