// Draws the charts of a page ([data-vega] holds a Vega-Lite spec) without eval: Vega compiles
// its expressions to JavaScript and runs them with the Function constructor unless it is given
// an interpreter, and the Content-Security-Policy allows no 'unsafe-eval'. vega-embed's own
// stylesheet and the tooltip's are files on the page (defaultStyle and disableDefaultStyle),
// not <style> elements it would inject.
import { expressionInterpreter } from "/static/vendor/vega-interpreter.js";

for (const node of document.querySelectorAll("[data-vega]")) {
  window
    .vegaEmbed(node, JSON.parse(node.dataset.vega), {
      actions: false,
      ast: true,
      expr: expressionInterpreter,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    })
    .catch((error) => console.error("chart", error));
}
