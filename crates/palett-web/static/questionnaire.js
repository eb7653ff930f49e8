// Skip logic for a questionnaire form: an item whose condition does not
// hold (given the answers above it) is hidden and its inputs disabled, so
// nothing is sent for it. The server applies the same rules to what
// arrives; without this script every item is shown.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".q-item"));
  if (!items.length) { return; }

  function number(s) {
    var t = String(s).trim().replace(",", ".");
    if (t === "" || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) { return null; }
    return parseFloat(t);
  }

  function valueOf(item, shown) {
    if (!shown[item.id]) { return ""; }
    var inputs = item.querySelectorAll("input");
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { chosen.push(el.value); }
      } else if (el.value.trim() !== "") {
        chosen.push(el.value.trim());
      }
    }
    return chosen.join(" ");
  }

  function holds(c, answer) {
    switch (c.op) {
      case "or": return c.any.some(function (x) { return holds(x, answer); });
      case "and": return c.all.every(function (x) { return holds(x, answer); });
      case "not": return !holds(c.arg, answer);
      case "selected":
        return answer(c.item).split(" ").indexOf(c.value) >= 0;
      case "compare": {
        var a = answer(c.item), b = c.value;
        var x = number(a), y = number(b);
        if (c.cmp === "=" || c.cmp === "!=") {
          var same = (x !== null && y !== null) ? x === y : a === b;
          return c.cmp === "=" ? same : !same;
        }
        if (x === null || y === null) { return false; }
        if (c.cmp === "<") { return x < y; }
        if (c.cmp === "<=") { return x <= y; }
        if (c.cmp === ">") { return x > y; }
        if (c.cmp === ">=") { return x >= y; }
        return false;
      }
      default: return true;
    }
  }

  function update() {
    var shown = {};
    items.forEach(function (item) {
      var src = item.getAttribute("data-relevant");
      var show = true;
      if (src) {
        try {
          show = holds(JSON.parse(src), function (name) {
            var other = document.getElementById("item-" + name);
            return other ? valueOf(other, shown) : "";
          });
        } catch (e) { show = true; }
      }
      shown[item.id] = show;
      item.hidden = !show;
      var inputs = item.querySelectorAll("input");
      for (var i = 0; i < inputs.length; i++) { inputs[i].disabled = !show; }
    });
  }

  document.addEventListener("change", update);
  document.addEventListener("input", update);
  update();
})();
