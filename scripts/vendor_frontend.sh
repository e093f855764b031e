#!/usr/bin/env bash
# Refreshes the front-end files vendored into the package from the npm registry.
# Pages never load anything from a CDN; bump a version here and re-run to upgrade.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/src/huddle/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# vega-interpreter and vega-tooltip: the versions vega-embed depends on.
packages=(htmx.org@2.0.11 vega@6.4.0 vega-lite@6.4.3 vega-embed@7.3.0 vega-interpreter@2.3.2 vega-embed@7.3.0 vega-tooltip@1.1.0 swagger-ui-dist@5.35.0 swagger-ui-dist@5.35.0)
files=(package/dist/htmx.min.js package/build/vega.min.js package/build/vega-lite.min.js package/build/vega-embed.min.js package/build/vega-interpreter.js package/src/style.ts package/src/style.ts package/swagger-ui-bundle.js package/swagger-ui.css)
# Where a file is saved, when not under its own name.
names=("" "" "" "" "" vega-embed.css vega-tooltip.css "" "")

# The stylesheets vega-embed and its tooltip would inject as <style> elements, which the
# Content-Security-Policy forbids: their source holds the CSS as one template literal.
css_of_style_ts() {
  sed -n '/^export default `/,/^`;$/p' "$1" | sed -e '1s/^export default `//' -e '$d'
}

: > "$out/VERSIONS.txt"
for i in "${!packages[@]}"; do
  (cd "$work" && npm pack --silent "${packages[$i]}" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  tar -xzf "$tarball" -C "$work" "${files[$i]}"
  name=${names[$i]:-$(basename "${files[$i]}")}
  case "$name" in
    *.css)
      if [[ "${files[$i]}" == *.ts ]]; then css_of_style_ts "$work/${files[$i]}" > "$out/$name"; else cp "$work/${files[$i]}" "$out/$name"; fi
      ;;
    vega-interpreter.js)
      # An ES module that imports vega-util by package name, which a browser cannot resolve
      # without an import map (an inline script); vega.min.js carries vega-util, so read
      # the same functions from it.
      sed "s/^import { \(.*\) } from 'vega-util';$/const { \1 } = globalThis.vega;/" \
        "$work/${files[$i]}" > "$out/$name"
      if grep -q "from 'vega-util'" "$out/$name"; then
        echo "vega-interpreter: the vega-util import was not rewritten" >&2
        exit 1
      fi
      ;;
    *)
      cp "$work/${files[$i]}" "$out/$name"
      ;;
  esac
  echo "${packages[$i]} $name $(sha256sum "$out/$name" | cut -c1-16)" >> "$out/VERSIONS.txt"
  rm -rf "$work"/*
done
cat "$out/VERSIONS.txt"
