// Live prices on order forms (no inline script: the content security policy forbids it).
// The page holds every line's price for every term and add-on choice, as JSON in
// <script type="application/json" id="price-table">: {"currency": "USD", "lines": {id: {
// "13:um+tts": {"list": "2015.00", "net": "1612.00"}, ...}}}. When a term or an add-on changes,
// the line's prices and the totals of the ticked lines follow (a total inside a
// [data-price-group] sums that group's lines, any other the whole form's); the server checks
// and prices again.
(function () {
  "use strict";
  var data = document.getElementById("price-table");
  if (!data) return;
  var table = JSON.parse(data.textContent);
  var formats = {};
  // Amounts in the currency of the closest [data-price-currency] (a customer's), else the table's.
  function money(element) {
    var holder = element.closest("[data-price-currency]");
    var currency = holder ? holder.dataset.priceCurrency : table.currency;
    if (!formats[currency]) {
      formats[currency] = new Intl.NumberFormat(document.documentElement.lang || "en", {
        style: "currency",
        currency: currency,
      });
    }
    return formats[currency];
  }
  var cents = function (amount) { return Math.round(parseFloat(amount) * 100); };

  function checked(row, name) {
    var box = row.querySelector("[data-price-" + name + "]");
    return box ? box.checked : false;
  }

  // The line's price as shown now (updated), in cents; 0 when not ticked.
  function updateLine(row) {
    var prices = table.lines[row.dataset.priceLine];
    var term = row.querySelector("[data-price-term]");
    if (!prices || !term) return 0;
    var key = term.value + ":" + (checked(row, "um") ? "um" : "") + "+" + (checked(row, "tts") ? "tts" : "");
    var price = prices[key];
    if (!price) return 0;
    row.querySelector("[data-price-list]").textContent = money(row).format(price.list);
    row.querySelector("[data-price-net]").textContent = money(row).format(price.net);
    var chosen = row.querySelector("[data-price-chosen]");
    return !chosen || chosen.checked ? cents(price.net) : 0;
  }

  function update(form) {
    var amounts = new Map();
    form.querySelectorAll("[data-price-line]").forEach(function (row) {
      amounts.set(row, updateLine(row));
    });
    form.querySelectorAll("[data-price-total]").forEach(function (cell) {
      var scope = cell.closest("[data-price-group]") || form;
      var total = 0;
      amounts.forEach(function (amount, row) {
        if (scope.contains(row)) total += amount;
      });
      cell.textContent = money(cell).format(total / 100);
    });
  }

  document.querySelectorAll("form[data-prices]").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
