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
    document.getElementById("account_id").value = pick.dataset.pickAccount;
    document.getElementById("account_query").value = pick.dataset.name;
    document.getElementById("account-suggestions").innerHTML = "";
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

document.addEventListener("change", (event) => {
  const count = document.querySelectorAll('input[name="ids"]:checked').length;
  const label = document.getElementById("selected-count");
  if (label) label.textContent = count ? `${count} selected` : "none selected";
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

