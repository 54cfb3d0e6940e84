// One old district's plan on one printable page: /web/district.html?id=...
// (&lang=en, and any parameter of /api/districts, passed on).
import * as maplibregl from "/web/vendor/maplibre-gl.mjs";

const T = {
  zh: {
    plan: "一区一策", township: "乡镇", numbers: "概况", actions: "措施(按受益户数排序)", lanes: "消防车道", sites: "规划新增消火栓",
    households: "户数", buildings: "建筑数", affected: "受影响户数", beyond: "消防车不可达户数", beyondB: "消防车不可达建筑",
    usable: "可用车道(米)", lanesM: "车道总长(米)", marked: "已标线(米)", unmarked: "未标线(米)", obstructed: "被占用(米)", unknown: "状况不明(米)",
    working: "完好消火栓", broken: "损坏消火栓", debt: "欠建消火栓", protected: "消火栓保护户数比例",
    arrival: "首车到场(分钟,中位数)", worst: "最迟到场(分钟)", late: "超过{m}分钟户数", never: "无法到达",
    rank: "序", kind: "类别", what: "内容", hh: "受益户数", size: "规模", where: "位置(经度,纬度)", m: "米", n: "处",
    id: "编号", status: "状况", width: "宽(米)", height: "净高(米)", length: "长(米)", ok: "可用", yes: "是", no: "否",
    street: "街道", countyRank: "全县排序", newHH: "新增保护户数", none: "无",
    print: "打印", other: "English", notFound: "没有该老旧小区", noID: "地址中缺少 id=小区编号",
    footer: "数据版本 {v};参数 {p}", outline: "小区范围", lane_marked: "已标线车道", lane_unmarked: "未标线车道",
    lane_obstructed: "被占用车道", action: "措施位置", hydrant: "消火栓",
    u_usable: "车道可用", u_narrow: "车道过窄或净高不足", u_obstructed: "车道被占用", u_unknown: "车道状况不明", u_other: "其他小区的车道",
    site: "规划新增消火栓位置", tooNarrow: "过窄", tooLow: "净高不足",
    k_clear_obstruction: "清除车道占用", k_widen_lane: "拓宽或加高车道", k_build_lane: "新建消防车道", k_add_hydrants: "增设消火栓",
    k_repair_hydrant: "修复消火栓", k_station_cover: "建微型消防站",
    s_marked: "已标线", s_unmarked: "未标线", s_obstructed: "被占用", s_unknown: "状况不明",
  },
  en: {
    plan: "one district, one plan", township: "Township", numbers: "Summary", actions: "Actions (most households first)", lanes: "Fire lanes",
    sites: "Hydrant sites planned", households: "Households", buildings: "Buildings", affected: "Households affected",
    beyond: "Households beyond a truck's reach", beyondB: "Buildings beyond a truck's reach", usable: "Usable lanes (m)", lanesM: "Lanes (m)",
    marked: "Marked (m)", unmarked: "Unmarked (m)", obstructed: "Obstructed (m)", unknown: "Status unknown (m)",
    working: "Working hydrants", broken: "Broken hydrants", debt: "Hydrant sites owed", protected: "Households protected by hydrants",
    arrival: "First crew, median (min)", worst: "First crew, slowest (min)", late: "Households later than {m} min", never: "never",
    rank: "#", kind: "Kind", what: "What", hh: "Households", size: "Size", where: "Where (lon, lat)", m: "m", n: "",
    id: "Id", status: "Status", width: "Width (m)", height: "Clearance (m)", length: "Length (m)", ok: "Usable", yes: "yes", no: "no",
    street: "Street", countyRank: "Rank in county", newHH: "Households protected first", none: "none",
    print: "Print", other: "中文", notFound: "No such old district", noID: "The address lacks id=<district id>",
    footer: "Data version {v}; parameters {p}", outline: "District", lane_marked: "Lane, marked", lane_unmarked: "Lane, unmarked",
    lane_obstructed: "Lane, obstructed", action: "Action", hydrant: "Hydrant",
    u_usable: "Lane, usable", u_narrow: "Lane, too narrow or too low", u_obstructed: "Lane, obstructed", u_unknown: "Lane, status unknown",
    u_other: "Lane of another district", site: "Hydrant site owed", tooNarrow: "too narrow", tooLow: "too low",
    k_clear_obstruction: "Clear the lane", k_widen_lane: "Widen or raise the lane", k_build_lane: "Build a fire lane",
    k_add_hydrants: "Add hydrants", k_repair_hydrant: "Repair a hydrant", k_station_cover: "Micro fire station",
    s_marked: "marked", s_unmarked: "unmarked", s_obstructed: "obstructed", s_unknown: "unknown",
  },
};
// Lanes are coloured by whether a truck can use them, not by their marking:
// green means usable only.
const useColors = { usable: "#1a9641", narrow: "#f57c00", obstructed: "#d7191c", unknown: "#888888", other: "#c8c8c8" };
const siteColor = "#00c2c2", siteEdge = "#004d4d", hydrantColor = "#2166ac";
// usability sorts a lane of /api/districts/{id}: obstructed, too narrow or
// too low, of unknown status, or usable.
const usability = (l) => l.status === "obstructed" || l.obstructed ? "obstructed" : l.too_narrow || l.too_low ? "narrow"
  : !l.usable ? "unknown" : l.status === "unknown" ? "unknown" : "usable";

const query = new URLSearchParams(location.search);
const lang = query.get("lang") === "en" ? "en" : "zh";
const t = (k, vars = {}) => (T[lang][k] ?? k).replace(/\{(\w+)\}/g, (_, v) => vars[v] ?? "");
const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v, digits = 0) => v == null ? t("never") : Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: digits });
const pct = (v) => `${(v * 100).toFixed(1)}%`;

function table(el, head, rows) {
  el.innerHTML = `<thead><tr>${head.map(([h, n]) => `<th${n ? ' class="n"' : ""}>${esc(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.length ? rows.map((r) => `<tr>${r.map((c, i) => `<td${head[i][1] ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`).join("")
      : `<tr><td colspan="${head.length}">${esc(t("none"))}</td></tr>`}</tbody>`;
}

function render(d) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = `${d.name} ${t("plan")}`;
  $("title").textContent = `${d.name} ${t("plan")}`;
  $("subtitle").textContent = `${t("township")}: ${d.township || "—"} · ${d.id}`;
  const s = d.by_status_m;
  const cells = [
    ["households", num(d.households)], ["buildings", num(d.buildings)], ["affected", num(d.households_affected), d.households_affected > 0],
    ["beyond", num(d.households_beyond_reach), d.households_beyond_reach > 0], ["beyondB", num(d.buildings_beyond_reach)],
    ["lanesM", num(d.length_m)], ["usable", num(d.usable_m)], ["marked", num(s.marked)], ["unmarked", num(s.unmarked)],
    ["obstructed", num(s.obstructed), s.obstructed > 0], ["unknown", num(s.unknown)],
    ["working", num(d.working_hydrants)], ["broken", num(d.broken_hydrants), d.broken_hydrants > 0], ["debt", num(d.hydrant_debt), d.hydrant_debt > 0],
    ["protected", pct(d.protected_share)], ["arrival", num(d.arrival_min, 2)], ["worst", num(d.worst_arrival_min, 2)],
    [t("late", { m: d.target_min }), num(d.late_households), d.late_households > 0],
  ];
  $("numbers").innerHTML = cells.map(([k, v, bad]) => `<div><b${bad ? ' class="bad"' : ""}>${esc(v)}</b><span>${esc(t(k))}</span></div>`).join("");
  $("h-numbers").textContent = t("numbers");
  $("h-actions").textContent = t("actions");
  $("h-lanes").textContent = t("lanes");
  $("h-sites").textContent = t("sites");
  table($("actions"), [[t("rank"), 1], [t("kind")], [t("what")], [t("hh"), 1], [t("size"), 1], [t("where"), 1]],
    d.actions.map((a) => [a.rank, esc(t("k_" + a.kind)), esc(a.what[lang]), num(a.households),
      a.metres != null ? `${num(a.metres)} ${t("m")}` : a.count != null ? `${num(a.count)}${t("n")}` : "—", `${a.lon.toFixed(5)}, ${a.lat.toFixed(5)}`]));
  table($("lanes"), [[t("id")], [t("status")], [t("width"), 1], [t("height"), 1], [t("length"), 1], [t("ok")]],
    d.lanes.map((l) => [esc(l.id), `<i style="display:inline-block;width:10px;height:10px;background:${useColors[usability(l)]}"></i> ${esc(t("s_" + l.status))}`,
      l.width_m == null ? "—" : num(l.width_m, 1), l.clear_height_m == null ? "—" : num(l.clear_height_m, 1), num(l.length_m),
      l.usable ? t("yes") : `<span class="bad">${t("no")}${[l.too_narrow && t("tooNarrow"), l.too_low && t("tooLow")].filter(Boolean).map((x) => ` (${esc(x)})`).join("")}</span>`]));
  table($("sites"), [[t("countyRank"), 1], [t("street")], [t("newHH"), 1], [t("where"), 1]],
    d.hydrant_sites.map((h) => [h.rank, esc(h.street), num(h.new_households), `${h.lon.toFixed(5)}, ${h.lat.toFixed(5)}`]));
  const params = Object.entries(d.parameters).filter(([k]) => k !== "lang").map(([k, v]) => `${k}=${v}`).join(" ");
  $("footer").textContent = t("footer", { v: d.version, p: params });
  const kinds = new Set(d.lanes.map(usability));
  const dot = ";width:8px;height:8px;border-radius:50%";
  $("legend").innerHTML = [["outline", "#7b3294"],
    ...["usable", "narrow", "obstructed", "unknown"].filter((k) => kinds.has(k)).map((k) => [`u_${k}`, useColors[k]]), ["u_other", useColors.other],
    ["action", "#000000", dot], ["site", siteColor, `${dot};border:2px solid ${siteEdge};box-sizing:border-box;width:10px;height:10px`],
    ["hydrant", hydrantColor, dot]]
    .map(([k, c, extra = ""]) => `<span><i style="background:${c}${extra}"></i>${esc(t(k))}</span>`).join("");
}

// drawMap shows the district's outline over the county's tiles, its
// lanes by usability, the hydrant sites it is owed and where each action is (numbered as in the table). The drawing buffer is kept
// so that printing shows the map.
async function drawMap(d, outline) {
  const index = await fetch("/tiles").then((r) => r.json());
  const src = (name) => {
    const l = index.find((x) => x.name === name);
    return l && { type: "vector", tiles: [`${location.origin}/tiles/${name}/{z}/{x}/{y}.mvt`], minzoom: l.minzoom, maxzoom: l.maxzoom };
  };
  const sources = {};
  for (const n of ["roads", "buildings", "fire_lanes", "hydrants"]) {
    if (src(n)) sources[n] = src(n);
  }
  sources.outline = { type: "geojson", data: outline || { type: "FeatureCollection", features: [] } };
  sources.sites = { type: "geojson", data: { type: "FeatureCollection", features: d.hydrant_sites.map((h) => ({ type: "Feature",
    geometry: { type: "Point", coordinates: [h.lon, h.lat] }, properties: { rank: h.rank } })) } };
  // The district's lanes by usability, by id; other districts' lanes faint.
  const byUse = new Map();
  for (const l of d.lanes) byUse.set(usability(l), [...(byUse.get(usability(l)) || []), String(l.id)]);
  const laneColor = ["match", ["to-string", ["get", "id"]], ...[...byUse].flatMap(([k, ids]) => [ids, useColors[k]]), useColors.other];
  const V = (id, source, type, paint, extra = {}) => sources[source] ? [{ id, source, "source-layer": source, type, paint, ...extra }] : [];
  const layers = [
    { id: "bg", type: "background", paint: { "background-color": "#f7f5f0" } },
    { id: "outline-fill", source: "outline", type: "fill", paint: { "fill-color": "#d7b5d8", "fill-opacity": 0.35 } },
    ...V("roads", "roads", "line", { "line-color": "#999", "line-width": 2 }),
    ...V("buildings", "buildings", "fill", { "fill-color": "#c9b8a6", "fill-outline-color": "#777" }),
    ...V("fire_lanes", "fire_lanes", "line", { "line-color": byUse.size ? laneColor : useColors.other,
      "line-width": byUse.size ? ["match", ["to-string", ["get", "id"]], d.lanes.map((l) => String(l.id)), 3.5, 1.5] : 1.5 }),
    ...V("hydrants", "hydrants", "circle", { "circle-color": hydrantColor, "circle-radius": 3, "circle-stroke-color": "#fff", "circle-stroke-width": 1 }),
    { id: "sites", source: "sites", type: "circle", paint: { "circle-color": siteColor, "circle-radius": 5,
      "circle-stroke-color": siteEdge, "circle-stroke-width": 2 } },
    { id: "outline", source: "outline", type: "line", paint: { "line-color": "#7b3294", "line-width": 2.5 } },
  ];
  const bounds = new maplibregl.LngLatBounds([d.lon, d.lat], [d.lon, d.lat]);
  for (const f of outline ? outline.features : []) {
    for (const ring of f.geometry.type === "Polygon" ? f.geometry.coordinates : f.geometry.coordinates.flat()) {
      for (const c of ring) bounds.extend(c);
    }
  }
  for (const a of d.actions) bounds.extend([a.lon, a.lat]);
  for (const h of d.hydrant_sites) bounds.extend([h.lon, h.lat]);
  const map = new maplibregl.Map({ container: "map", style: { version: 8, sources, layers },
    bounds, fitBoundsOptions: { padding: 30, maxZoom: 18 }, interactive: true, attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: true } });
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  // Each action's rank at its place, as a marker: no glyphs needed, and
  // the browser prints it as it prints the page.
  for (const a of d.actions) {
    const el = document.createElement("div");
    el.className = "rank";
    el.textContent = a.rank;
    new maplibregl.Marker({ element: el }).setLngLat([a.lon, a.lat]).addTo(map);
  }
  window.fireplanDistrictMap = map;
}

async function main() {
  const id = query.get("id");
  $("lang").textContent = t("other");
  $("print").textContent = t("print");
  $("lang").onclick = () => {
    query.set("lang", lang === "zh" ? "en" : "zh");
    location.search = query.toString();
  };
  $("print").onclick = () => window.print();
  if (!id) {
    $("error").hidden = false;
    $("error").textContent = t("noID");
    return;
  }
  const params = new URLSearchParams(query);
  params.delete("id");
  const qs = params.toString();
  $("xlsx").href = `/api/districts/${encodeURIComponent(id)}?${qs ? qs + "&" : ""}format=xlsx`;
  const resp = await fetch(`/api/districts/${encodeURIComponent(id)}${qs ? "?" + qs : ""}`);
  const d = await resp.json();
  if (!resp.ok) {
    $("error").hidden = false;
    $("error").textContent = `${resp.status === 404 ? t("notFound") : ""} ${d.error || resp.status}`;
    return;
  }
  render(d);
  // The outline comes from the list, whose rows carry each polygon.
  const all = await fetch(`/api/districts?${qs ? qs + "&" : ""}format=geojson`).then((r) => r.ok ? r.json() : null).catch(() => null);
  const outline = all && { type: "FeatureCollection", features: all.features.filter((f) => f.properties.id === id) };
  await drawMap(d, outline);
  window.fireplanDistrictReady = true;
}

main();
