// The print view: the map at a view, layers and target the map page
// passes (?paper=a4|a3&orientation=landscape|portrait&minutes=&layers=&lang=
// [&scenario=&changes=][#zoom/lat/lon]), with title, legend, scale bar,
// north arrow, data date and parameters, sized to one page. Without a view,
// or with one no closer than the county's, the county fills the frame.
import * as maplibregl from "/web/vendor/maplibre-gl.mjs";
import * as L from "/web/layers.js";

const papers = { a4: [210, 297], a3: [297, 420] };
const q = new URLSearchParams(location.search);
const lang = q.get("lang") === "en" ? "en" : "zh";
const t = (k) => L.T[lang][k] || k;

// sheet sizes the page to its paper, on screen and in print.
function sheet() {
  const paper = papers[q.get("paper")] ? q.get("paper") : "a4";
  const landscape = q.get("orientation") !== "portrait";
  const [short, long] = papers[paper];
  const [w, h] = landscape ? [long, short] : [short, long];
  document.getElementById("page-size").textContent =
    `@page { size: ${paper.toUpperCase()} ${landscape ? "landscape" : "portrait"}; margin: 0; } :root { --w: ${w}mm; --h: ${h}mm; }`;
  return { paper, landscape };
}

// scenarioOf turns the link's scenario back into one the server knows: the
// changes are posted again when it forgot the id.
async function scenarioOf() {
  const id = q.get("scenario");
  if (!id) return null;
  const r = await fetch(`/api/scenarios/${encodeURIComponent(id)}`);
  if (r.ok || !q.get("changes")) return r.ok ? id : null;
  const p = await fetch("/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "print", changes: L.decodeChanges(q.get("changes")) }) });
  return p.ok ? (await p.json()).id : null;
}

// drawChanges rings the scenario's changes, as the map page does.
async function drawChanges(map) {
  const changes = L.decodeChanges(q.get("changes"));
  const [stations, hydrants] = await Promise.all([L.placesOf("stations"),
    changes.some((c) => c.layer === "hydrants" && c.op === "remove") ? L.placesOf("hydrants") : new Map()]);
  map.getSource("scenario_changes").setData({ type: "FeatureCollection", features: L.changeFeatures(changes, stations, hydrants) });
}

// legendColumns gives the legend as many columns as its entries need to fit
// the column beside the map (landscape) or the band below it (portrait).
function legendColumns(legend, landscape) {
  if (!landscape) {
    legend.style.columnWidth = "50mm";
    return;
  }
  legend.style.columnCount = 1;
  const room = legend.clientHeight;
  if (room > 0 && legend.scrollHeight > room) legend.style.columnCount = Math.ceil(legend.scrollHeight / room);
}

async function main() {
  const { paper, landscape } = sheet();
  document.body.classList.toggle("portrait", !landscape);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  const [index, info, health, townships, scenario] = await Promise.all([fetch("/tiles").then((r) => r.json()),
    fetch("/api/layers").then((r) => r.json()), fetch("/healthz").then((r) => r.json()),
    fetch("/api/layers/townships/items?limit=10000").then((r) => (r.ok ? r.json() : { features: [] })), scenarioOf()]);
  const minutes = [5, 8, 15].includes(Number(q.get("minutes"))) ? Number(q.get("minutes")) : 5;
  const wanted = q.has("layers") ? new Set(q.get("layers").split(",")) : null;
  const on = Object.fromEntries(L.analyses.map((a) => [a.id, wanted ? wanted.has(a.id) : a.on]));
  const s = { minutes, scenario, on, empty: L.emptyLayers(info) };
  const style = L.style(index, s);
  if (info.attribution && style.sources.roads) style.sources.roads.attribution = info.attribution;
  const view = L.parseHash(location.hash);
  const county = townships.features.find((f) => f.properties.county)?.properties.county || "";
  document.getElementById("title").textContent = [county, t("title")].filter(Boolean).join(" · ");
  document.title = document.getElementById("title").textContent;
  const layerNames = L.analyses.filter((a) => on[a.id]).map((a) => t(a.label).replace("{n}", L.yearSites));
  document.getElementById("params").textContent = [`${t("target")} ${minutes} ${t("min")}`, `${t("layersOn")}: ${layerNames.join(lang === "zh" ? "、" : ", ")}`,
    scenario ? `${t("scenario")} ${scenario}` : ""].filter(Boolean).join(" · ");
  // The version in hex, as /api/status and the district pages show it.
  const { version = "", loaded_at: loadedAt, source } = health;
  const loaded = new Date(loadedAt);
  document.getElementById("footer").innerHTML = `<span>${t("dataDate")} ${loaded.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "long", timeStyle: "short" })}` +
    ` · ${t("version")} ${version} · ${t("source")}: ${source || ""}</span>` +
    `<span>${paper.toUpperCase()} ${t(landscape ? "landscape" : "portrait")} · fireplan</span>`;

  const bound = L.countyBound(info);
  // Opened on the county when the link has no view: opened on the world,
  // the first render waits on tiles holding the whole county at zoom 0.
  const at = view ? { center: view.center, zoom: view.zoom, bearing: 0 } : bound ? { bounds: bound, fitBoundsOptions: { padding: 20 } } : {};
  const map = new maplibregl.Map({
    container: "map", style, interactive: false, attributionControl: info.attribution ? { compact: false } : false,
    ...at,
    // Sharp on paper: at least two pixels per CSS pixel.
    pixelRatio: Math.max(2, devicePixelRatio),
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  window.fireplanMap = map;
  map.addControl(new maplibregl.ScaleControl({ unit: "metric", maxWidth: 160 }), "bottom-right");
  // The scale bar and the credits go beside the frame, off the map: the
  // controls keep updating the elements wherever they are.
  const moveOut = (sel, to) => { const el = map.getContainer().querySelector(sel); if (el) document.getElementById(to).appendChild(el); };
  moveOut(".maplibregl-ctrl-scale", "scale");
  map.on("load", async () => {
    moveOut(".maplibregl-ctrl-attrib", "credit");
    const legend = document.getElementById("legend");
    // The legend of the view the page will show: the county's, unless the
    // link asks for a closer one.
    const fit = bound && map.cameraForBounds(bound, { padding: 20 });
    if (fit && !(view && view.zoom > fit.zoom + 0.05)) map.jumpTo(fit);
    legend.innerHTML = `<h2>${t("legend")}</h2>` + L.legendHTML(map, s, t);
    legendColumns(legend, landscape);
    // The column beside the frame took its room: the map is fitted to
    // what is left, the county whole in it unless the link zoomed closer.
    map.resize();
    const fitted = bound && map.cameraForBounds(bound, { padding: 20 });
    if (view && (!fitted || view.zoom > fitted.zoom + 0.05)) map.jumpTo({ center: view.center, zoom: view.zoom });
    else if (fitted) map.jumpTo(fitted);
    const [villages] = await Promise.all([fetch("/api/layers/villages/items?limit=10000").then((r) => (r.ok ? r.json() : { features: [] })),
      L.loadYearSites(map, s), scenario && q.get("changes") ? drawChanges(map) : null]);
    map.getSource("labels").setData({ type: "FeatureCollection",
      features: [...L.labelPoints("townships", townships.features), ...L.labelPoints("villages", villages.features)] });
    if (map.getZoom() >= L.buildingZoom && on.coverage_buildings) {
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
      const r = await fetch(`/api/coverage/buildings?bbox=${bbox}&limit=10000${scenario ? `&scenario=${scenario}` : ""}`);
      if (r.ok) map.getSource("coverage_buildings").setData(await r.json());
    }
    // The map is ready once everything asked for is drawn.
    map.once("idle", () => {
      document.getElementById("snapshot").src = map.getCanvas().toDataURL("image/png");
      window.fireplanPrintReady = true;
    });
    map.triggerRepaint();
  });
}

main().catch((e) => { window.fireplanError = String(e); document.getElementById("params").textContent = String(e); });
