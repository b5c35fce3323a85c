// Live prices on order forms (no inline script: the content security policy forbids it).
// The page holds every line's price for every term and add-on choice, as JSON in
// <script type="application/json" id="price-table">: {"currency": "USD", "lines": {id: {
// "13:um+tts": {"list": "2015.00", "net": "1612.00"}, ...}}}. When a term or an add-on changes,
// the line's prices and the total of the ticked lines follow; the server checks and prices again.
(function () {
  "use strict";
  var data = document.getElementById("price-table");
  if (!data) return;
  var table = JSON.parse(data.textContent);
  var money = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "currency",
    currency: table.currency,
  });
  var cents = function (amount) { return Math.round(parseFloat(amount) * 100); };

  function checked(row, name) {
    var box = row.querySelector("[data-price-" + name + "]");
    return box ? box.checked : false;
  }

  function update(form) {
    var total = 0;
    form.querySelectorAll("[data-price-line]").forEach(function (row) {
      var prices = table.lines[row.dataset.priceLine];
      var term = row.querySelector("[data-price-term]");
      if (!prices || !term) return;
      var key = term.value + ":" + (checked(row, "um") ? "um" : "") + "+" + (checked(row, "tts") ? "tts" : "");
      var price = prices[key];
      if (!price) return;
      row.querySelector("[data-price-list]").textContent = money.format(price.list);
      row.querySelector("[data-price-net]").textContent = money.format(price.net);
      var chosen = row.querySelector("[data-price-chosen]");
      if (!chosen || chosen.checked) total += cents(price.net);
    });
    form.querySelectorAll("[data-price-total]").forEach(function (cell) {
      cell.textContent = money.format(total / 100);
    });
  }

  document.querySelectorAll("form[data-prices]").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
