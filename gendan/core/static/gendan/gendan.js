/* Gendan: the little JavaScript every page shares. Every page works without it; this adds
   comfort: messages for failed htmx requests, "add line" on forms with line lists, product
   defaults and line amounts on the order form. */
(function () {
  "use strict";

  function showMessage(text, level) {
    var area = document.getElementById("messages");
    if (!area || !text) return;
    var box = document.createElement("div");
    box.className = "message message-" + (level || "info");
    box.textContent = text;
    area.appendChild(box);
  }

  // htmx does not swap 403/404/5xx answers into the page: say what happened instead.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var texts = document.body.dataset;
    var text = status === 403 ? texts.msgForbidden : status === 404 ? texts.msgNotFound : texts.msgFailed;
    showMessage(text, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage(document.body.dataset.msgFailed, "error");
  });

  // Filter forms marked data-drop-empty leave empty fields out of the address they push.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-drop-empty]");
    if (!form || event.detail.verb !== "get") return;
    var data = event.detail.formData;
    if (!data) return;
    Array.from(data.keys()).forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });

  // Formsets: a button with data-formset-add="<prefix>" appends a copy of the
  // <template id="<prefix>-empty"> row to #<prefix>-rows and bumps the TOTAL_FORMS counter.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10) || 0;
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var first = added && added.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  });

  // Marking a line for deletion greys it out.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("input[type=checkbox][name$='-DELETE']")) {
      var row = box.closest("tr");
      if (row) row.classList.toggle("deleted", box.checked);
    }
  });

  // Order lines: choosing a product fills its grammage, width, unit and list price where the
  // clerk has not typed anything yet.
  var PRODUCT_DEFAULTS = { grammage: "grammage", width_mm: "widthMm", unit: "unit", unit_price: "unitPrice" };
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-product-select]")) return;
    var option = select.selectedOptions[0];
    var row = select.closest("tr");
    if (!option || !row) return;
    Object.keys(PRODUCT_DEFAULTS).forEach(function (name) {
      var value = option.dataset[PRODUCT_DEFAULTS[name]];
      var input = row.querySelector("[name$='-" + name + "']");
      if (input && value !== undefined && value !== "" && !input.value) input.value = value;
    });
    updateAmounts(row.closest("table"));
  });

  // Order lines: amount per line and the total, recomputed as quantities and prices change.
  function number(input) {
    var value = input ? parseFloat(input.value) : NaN;
    return isNaN(value) ? null : value;
  }
  function money(value) {
    return value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function updateAmounts(table) {
    if (!table || !table.hasAttribute("data-line-amounts")) return;
    var total = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cell = row.querySelector("[data-line-amount]");
      if (!cell) return;
      var deleted = row.querySelector("input[name$='-DELETE']");
      var qty = number(row.querySelector("[name$='-quantity']"));
      var price = number(row.querySelector("[name$='-unit_price']"));
      var amount = qty !== null && price !== null ? qty * price : null;
      cell.textContent = amount === null ? "" : money(amount);
      if (amount !== null && !(deleted && deleted.checked)) total += amount;
    });
    var out = document.querySelector("[data-lines-total]");
    if (out) out.textContent = money(total);
  }
  document.addEventListener("input", function (event) {
    var table = event.target.closest && event.target.closest("table[data-line-amounts]");
    if (table) updateAmounts(table);
  });
  document.addEventListener("change", function (event) {
    var table = event.target.closest && event.target.closest("table[data-line-amounts]");
    if (table) updateAmounts(table);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-line-amounts]").forEach(updateAmounts);
  });
})();
