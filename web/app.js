// fireplan's map: base layers and analyses from our own vector tiles.
import * as maplibregl from "/web/vendor/maplibre-gl.mjs";
import * as L from "/web/layers.js";

// The page's own words; the map's and the legend's come from layers.js.
const T = {
  zh: {
    
    township: "乡镇", village: "行政村", yes: "是", no: "否", more: "另有{n}项",
    loading: "加载中…", ready: "图层就绪",
    whatif: "情景推演", browse: "浏览", moveStation: "拖动消防站", addStation: "新增消防站", removeStation: "撤除消防站",
    hydrantTool: "增删消火栓（点空白处新增，点消火栓撤除）", stationClass: "站型", save: "保存为链接", reset: "恢复现状",
    computing: "计算中…", scenario: "情景", changes: "项变更", linkSaved: "链接已复制", change: "第{n}项变更",
    households: "目标内到场户数", before: "现状", after: "情景", gained: "增减", byTownship: "各乡镇增减户数",
    noChange: "覆盖户数无变化", gapsClosed: "消除覆盖缺口", gapsOpened: "新增覆盖缺口",
    hydrants: "消火栓", hgapsClosed: "消除保护盲区(米)", hgapsOpened: "新增保护盲区(米)",
    newlyProtected: "新受保护建筑", newlyUnprotected: "新失去保护建筑", intactRate: "完好率", pp: "个百分点", problems: "问题",
    notFound: "该链接的情景已过期或不存在（服务器只临时保存情景）。请重新编辑并保存新链接，新链接会带上变更内容，不再过期。",
    badLink: "链接中的变更无法读取（链接可能不完整）", addedStation: "新增消防站", movedStation: "移动消防站", removedStation: "撤除消防站",
    changedStation: "修改消防站", addedHydrant: "新增消火栓", removedHydrant: "撤除消火栓", changedHydrant: "修改消火栓",
    changedRoad: "修改道路", removedRoad: "撤除道路",
    special: "特勤站", urban1: "一级站", urban2: "二级站", small: "小型站", township_fulltime: "乡镇专职队",
    volunteer: "志愿消防队", micro: "微型消防站",
    needsToken: "本服务器的情景推演需要管理员令牌，此处无法计算或保存链接中的变更。地图显示的是现状；如需查看该情景，请在有令牌的服务器上打开此链接或联系管理员。",
  },
  en: {
    
    township: "Township", village: "Village", yes: "yes", no: "no", more: "{n} more",
    loading: "Loading…", ready: "Layers ready",
    whatif: "What-if", browse: "Browse", moveStation: "Drag a station", addStation: "Add a station", removeStation: "Remove a station",
    hydrantTool: "Hydrants (click to add, click one to remove)", stationClass: "Class", save: "Save as link", reset: "Reset to baseline",
    computing: "Computing…", scenario: "Scenario", changes: "changes", linkSaved: "Link copied", change: "change {n}",
    households: "Households reached within target", before: "Baseline", after: "Scenario", gained: "Change", byTownship: "Change per township",
    noChange: "No change in households reached", gapsClosed: "Coverage gaps closed", gapsOpened: "Coverage gaps opened",
    hydrants: "Hydrants", hgapsClosed: "Hydrant gaps closed (m)", hgapsOpened: "Hydrant gaps opened (m)",
    newlyProtected: "Buildings newly protected", newlyUnprotected: "Buildings newly unprotected", intactRate: "Intact rate", pp: " pp",
    problems: "Problems",
    notFound: "This link's scenario has expired or does not exist (the server keeps scenarios only for a while). Make the changes again and save a new link: new links carry their changes and do not expire.",
    badLink: "The changes in this link cannot be read (the link may be cut short)", addedStation: "added station", movedStation: "moved station",
    removedStation: "removed station", changedStation: "changed station", addedHydrant: "added hydrant", removedHydrant: "removed hydrant",
    changedHydrant: "changed hydrant", changedRoad: "changed road", removedRoad: "removed road",
    special: "Special", urban1: "Urban level 1", urban2: "Urban level 2", small: "Small", township_fulltime: "Township full-time",
    volunteer: "Volunteer", micro: "Micro station",
    needsToken: "What-ifs on this server need its access token, so the changes in this link cannot be computed or saved here. The map shows the baseline; open the link on a server you hold the token for, or ask its administrator.",
  },
};
for (const l of Object.keys(T)) T[l] = { ...L.T[l], ...T[l] };
// ?lang=en|zh chooses the language; the button keeps it in the address.
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const t = (k) => T[lang][k] || k;

// The current scenario's id (null: the baseline). Every source an edit can
// change reads it, and so do the download links.
let scenarioID = null;
const withScenario = (url) => scenarioID ? `${url}${url.includes("?") ? "&" : "?"}scenario=${scenarioID}` : url;

// resolveLink turns the page's ?scenario=ID[&changes=...] into the
// scenario the server knows ({sc}), or what went wrong ({error}), before
// the map exists, so its first tiles already read the scenario.
async function resolveLink(params) {
  const id = params.get("scenario"), packed = params.get("changes");
  if (!id && !packed) return {};
  const answer = async (r) => {
    const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
    return r.ok ? { sc: body } : { error: r.status === 404 ? { error: t("notFound") } : body };
  };
  if (packed) {
    let changes;
    try {
      changes = L.decodeChanges(packed);
    } catch {
      if (!id) return { error: { error: t("badLink") } };
    }
    if (changes) {
      const r = await fetch("/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "map", changes }) });
      const out = await answer(r);
      if (out.error) out.changes = changes;
      return out;
    }
  }
  return answer(await fetch(`/api/scenarios/${encodeURIComponent(id)}`));
}

// linkURL is the page's address for the scenario (or for the baseline).
function linkURL(id, changes) {
  const u = new URL(location.href);
  u.searchParams.delete("scenario");
  u.searchParams.delete("changes");
  if (id) {
    u.searchParams.set("scenario", id);
    u.searchParams.set("changes", L.encodeChanges(changes));
  }
  return u;
}

// What each analysis offers to download.
const downloadLinks = {
  coverage_isochrones: (m) => [[`/api/coverage/isochrones?minutes=${m}&station=all`, "GeoJSON"]],
  coverage_gaps: (m) => [[`/api/coverage/gaps?minutes=${m}`, "GeoJSON"], [`/api/coverage/gaps?minutes=${m}&format=csv&lang=${lang}`, "CSV"],
    [`/api/coverage/gaps?minutes=${m}&format=xlsx&lang=${lang}`, "Excel"]],
  coverage_buildings: () => [[`/api/coverage/buildings?format=csv&lang=${lang}`, "CSV"]],
  hydrant_gaps: () => [["/api/hydrants/gaps", "GeoJSON"], [`/api/hydrants/gaps?format=csv&lang=${lang}`, "CSV"]],
  hydrant_proposals: () => [[`/api/hydrants/proposals?count=${L.yearSites}`, "GeoJSON"],
    [`/api/hydrants/proposals?count=${L.yearSites}&format=csv&lang=${lang}`, "CSV"], [`/api/hydrants/proposals?count=${L.yearSites}&format=xlsx&lang=${lang}`, "Excel"]],
  hydrant_plan: () => [["/api/hydrants/proposals?count=0", "GeoJSON"], [`/api/hydrants/proposals?count=0&format=csv&lang=${lang}`, "CSV"],
    [`/api/hydrants/proposals?count=0&format=xlsx&lang=${lang}`, "Excel"]],
  clusters: () => [["/api/clusters?min_households=30", "GeoJSON"], [`/api/clusters?min_households=30&format=csv&lang=${lang}`, "CSV"],
    [`/api/clusters?min_households=30&format=xlsx&lang=${lang}`, "Excel"]],
};

const esc = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const label = (a) => t(a.label).replace("{n}", L.yearSites);

function downloads(minutes) {
  const ul = document.querySelector("#downloads ul");
  ul.innerHTML = L.analyses.map((a) => `<li>${label(a)}: ` +
    downloadLinks[a.id](minutes).map(([u, f]) => `<a href="${esc(withScenario(u))}" download>${f}</a>`).join(" · ") + "</li>").join("");
}

function toggles(map, on, changed) {
  const box = document.getElementById("toggles");
  box.innerHTML = "";
  for (const a of L.analyses) {
    const item = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.dataset.analysis = a.id;
    input.checked = on[a.id];
    input.onchange = () => {
      on[a.id] = input.checked;
      for (const id of a.layers) map.setLayoutProperty(id, "visibility", on[a.id] ? "visible" : "none");
      changed();
    };
    item.append(input, " ", label(a));
    box.append(item);
  }
}

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  document.getElementById("lang").textContent = lang === "zh" ? "English" : "中文";
}

// Popups describe every feature under the cursor with the catalogue's
// column titles and value labels, names beside (or instead of) codes.
// entryOf is the catalogue entry a map source shows.
const entryOf = { hydrant_plan: "hydrant_proposals", hydrant_year: "hydrant_proposals" };
// names holds the names of townships, villages and stations by id, for
// rows that carry only the id.
const names = { township: new Map(), village: new Map(), station: new Map() };
const hiddenInPopups = new Set(["bg", "roads-casing", "gaps-line", "clusters-line", "changes", "changes-line", "changes-x"]);

// columnTitle is a column's title in the page's language; base layers'
// English titles are their field names, shown as words with their unit.
function columnTitle(c) {
  const title = c.title?.[lang];
  if (title && title !== c.name) return title;
  const units = { m: "m", s: "s", min: "min", km2: "km²", lps: "L/s", kmh: "km/h" };
  const parts = c.name.split("_"), unit = units[parts.at(-1)];
  if (unit && parts.length > 1) parts.pop();
  return parts.join(" ") + (unit ? ` (${unit})` : "");
}

// codes names the base layers' enumerations where the catalogue gives
// no value labels for a column.
const codes = {
  kind: { county_town: ["县城", "county town"], township_seat: ["乡镇驻地", "township seat"], industrial: ["工业区", "industrial area"],
    town: ["镇", "town"], township: ["乡", "township"], subdistrict: ["街道", "subdistrict"], municipal: ["市政消火栓", "municipal hydrant"],
    fire_pool: ["消防水池", "fire pool"], natural: ["天然水源", "natural source"], crane: ["消防水鹤", "water crane"],
    village: ["行政村", "village"], district: ["老旧小区", "old district"], township_rest: ["乡镇其余建筑", "rest of the township"],
    street_gap: ["保护盲区街道", "street beyond reach"], spacing: ["间距超标", "spacing too wide"], one_side: ["宽街单侧", "wide street, one side"],
    building: ["未受保护建筑", "unprotected building"] },
  oneway: { 0: ["双向", "both ways"], 1: ["单向（顺线）", "one way, along the line"], [-1]: ["单向（逆线）", "one way, against the line"] },
  structure: { wood: ["木结构", "wood"], brick: ["砖结构", "brick"], concrete: ["钢混结构", "concrete"], mixed: ["混合结构", "mixed"] },
  status: { working: ["完好", "working"], broken: ["损坏", "broken"], planned: ["规划", "planned"], active: ["在用", "active"],
    marked: ["已标识", "marked"], unmarked: ["未标识", "unmarked"], obstructed: ["被占用", "obstructed"] },
  class: { ...Object.fromEntries(["special", "urban1", "urban2", "small", "township_fulltime", "volunteer", "micro"].map((k) => [k, [T.zh[k], T.en[k]]])),
    motorway: ["高速公路", "motorway"], trunk: ["干线公路", "trunk road"], primary: ["主干路", "primary road"], secondary: ["次干路", "secondary road"],
    tertiary: ["支路", "tertiary road"], residential: ["街巷", "residential street"], service: ["内部道路", "service road"], track: ["机耕道", "track"] },
};

function cellValue(c, v) {
  if (v === null || v === undefined || v === "") return "–";
  const label = c.values?.[v]?.[lang] || codes[c.name]?.[v]?.[lang === "zh" ? 0 : 1];
  if (label) return esc(label);
  if (c.type === "boolean" || typeof v === "boolean") return t(v === true || v === "true" ? "yes" : "no");
  if (c.type === "number" || c.type === "integer" || typeof v === "number") {
    return Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 2 });
  }
  const ref = c.name.match(/^(township|village|station)_id$/);
  const name = ref && names[ref[1]].get(String(v));
  return name ? `${esc(name)} <small>${esc(v)}</small>` : esc(v);
}

function featureHTML(f, entry) {
  const p = f.properties, cols = entry?.columns || Object.keys(p).map((name) => ({ name, type: typeof p[name] }));
  const rows = cols.filter((c) => c.name in p).filter((c) => {
    // An id column gives way to the name column beside it.
    const ref = c.name.match(/^(.*)_id$/);
    return !(ref && cols.some((o) => o.name === ref[1]) && p[ref[1]]);
  }).map((c) => `<tr><td>${esc(columnTitle(c))}</td><td>${cellValue(c, p[c.name])}</td></tr>`).join("");
  const title = entry ? entry.title[lang] : f.source;
  const name = p.name || p.street || "";
  return `<section><b>${esc(title)}</b>${name ? ` · ${esc(name)}` : ""}<table>${rows}</table></section>`;
}

function popup(map, catalog, e) {
  const p = e.point, box = [[p.x - 3, p.y - 3], [p.x + 3, p.y + 3]];
  const seen = new Set(), fs = [];
  for (const f of map.queryRenderedFeatures(box)) {
    if (hiddenInPopups.has(f.layer.id) || f.layer.type === "symbol") continue;
    const key = `${f.source}|${f.id ?? f.properties.id ?? JSON.stringify(f.properties)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fs.push(f);
  }
  if (!fs.length) return;
  const entries = new Map(catalog.entries.map((x) => [x.name, x]));
  const html = fs.map((f) => featureHTML(f, entries.get(entryOf[f.source] || f.source))).join("");
  new maplibregl.Popup({ maxWidth: "340px" }).setLngLat(e.lngLat).setHTML(`<div class="popup">${html}</div>`).addTo(map);
}

// buildingCoverage loads the arrival at every building in view (from
// buildingZoom on), for the baseline or the scenario.
function buildingCoverage(map) {
  let seq = 0;
  return async () => {
    const src = map.getSource("coverage_buildings");
    const mine = ++seq;
    if (map.getZoom() < L.buildingZoom) return;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    const r = await fetch(withScenario(`/api/coverage/buildings?bbox=${bbox}&limit=10000`));
    if (mine !== seq || !r.ok) return;
    const fc = await r.json();
    if (mine === seq) src.setData(fc);
  };
}

// loadLabels puts the townships' and villages' names on the map and in
// the popups' lookup of names.
async function loadLabels(map) {
  const points = [];
  for (const layer of ["townships", "villages"]) {
    const r = await fetch(`/api/layers/${layer}/items?limit=10000`);
    if (!r.ok) continue;
    const fc = await r.json();
    for (const f of fc.features) if (f.properties.name) names[layer.slice(0, -1)].set(String(f.properties.id ?? f.id), f.properties.name);
    points.push(...L.labelPoints(layer, fc.features));
  }
  map.getSource("labels").setData({ type: "FeatureCollection", features: points });
}

// Scenario is the what-if mode: the edits made on the map, posted as one
// scenario after each of them; the map's changing sources then read it.
class Scenario {
  constructor(map, classes, cls, onChange) {
    this.map = map;
    this.classes = classes;
    this.onChange = onChange; // called with the new id (null: the baseline)
    this.changes = new Map(); // "layer/id" -> change, merged per feature, in first-edit order
    this.stations = []; // baseline stations (GeoJSON features)
    this.markers = new Map();
    this.hydrantAt = new Map(); // removed hydrants' places, by id
    this.tool = "browse";
    this.cls = cls || classes[0];
    this.seq = 0; // the latest post; older answers are dropped
    this.created = 0; // ids given to added features
    this.diff = null;
    this.problems = [];
    this.error = "";
    this.pending = false;
    window.fireplanScenario = this.state();
  }

  state() {
    return { id: scenarioID, pending: this.pending, error: this.error, diff: this.diff, changes: [...this.changes.values()] };
  }

  async load() {
    const r = await fetch("/api/layers/stations/items?limit=10000");
    if (!r.ok) throw new Error(`stations: ${r.status}`);
    this.stations = (await r.json()).features;
  }

  // setTool switches what a click or a drag on the map does.
  setTool(tool) {
    this.tool = tool;
    document.getElementById("cls-row").hidden = tool !== "addStation";
    this.map.getContainer().classList.toggle("map-adding", tool === "addStation" || tool === "hydrants");
    this.renderMarkers();
  }

  // renderMarkers shows the scenario's stations as markers while a station
  // tool is on; the drawn station layer steps aside meanwhile.
  renderMarkers() {
    for (const m of this.markers.values()) m.remove();
    this.markers.clear();
    const on = this.tool === "moveStation" || this.tool === "removeStation";
    if (this.map.getLayer("stations")) this.map.setLayoutProperty("stations", "visibility", on ? "none" : "visible");
    if (!on) return;
    for (const s of this.currentStations()) {
      const el = document.createElement("div");
      el.className = "station-marker" + (s.changed ? " changed" : "") + (this.tool === "removeStation" ? " remove-tool" : "");
      el.dataset.station = s.id;
      el.title = `${s.name || s.id} · ${t(s.class)}`;
      const m = new maplibregl.Marker({ element: el, draggable: this.tool === "moveStation" }).setLngLat([s.lon, s.lat]).addTo(this.map);
      m.on("dragend", () => {
        const { lng, lat } = m.getLngLat();
        this.edit(() => this.moveStation(s.id, lng, lat));
      });
      el.addEventListener("click", (e) => {
        if (this.tool !== "removeStation") return;
        e.stopPropagation();
        this.edit(() => this.remove("stations", s.id));
      });
      this.markers.set(s.id, m);
    }
  }

  // currentStations are the baseline's stations with the changes applied.
  currentStations() {
    const out = [];
    for (const f of this.stations) {
      const c = this.changes.get(`stations/${f.properties.id}`);
      if (c && c.op === "remove") continue;
      const [lon, lat] = f.geometry.coordinates;
      out.push({ id: f.properties.id, name: f.properties.name, class: f.properties.class, lon, lat, changed: !!c, ...(c ? pick(c) : {}) });
    }
    for (const c of this.changes.values()) {
      if (c.layer === "stations" && c.op === "add") out.push({ ...c, changed: true });
    }
    return out;
  }

  newID(prefix) {
    const taken = new Set(this.stations.map((f) => f.properties.id));
    let id;
    do id = `${prefix}-${++this.created}`; while (taken.has(id) || this.changes.has(`stations/${id}`) || this.changes.has(`hydrants/${id}`));
    return id;
  }

  moveStation(id, lon, lat) {
    const key = `stations/${id}`, c = this.changes.get(key) || { layer: "stations", op: "set", id };
    this.changes.set(key, { ...c, lon: round(lon), lat: round(lat) });
  }

  // remove drops an added feature's change, or records the removal of a
  // baseline one.
  remove(layer, id) {
    const key = `${layer}/${id}`, c = this.changes.get(key);
    if (c && c.op === "add") this.changes.delete(key);
    else this.changes.set(key, { layer, op: "remove", id });
  }

  // click handles a click on the map under the add and hydrant tools; it
  // returns false when the click is for the popup.
  click(e) {
    if (this.tool === "addStation") {
      const id = this.newID("new-station");
      this.edit(() => this.changes.set(`stations/${id}`,
        { layer: "stations", op: "add", id, class: this.cls, lon: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
      return true;
    }
    if (this.tool === "hydrants") {
      const p = e.point, box = [[p.x - 5, p.y - 5], [p.x + 5, p.y + 5]];
      const hit = this.map.getLayer("hydrants") && this.map.queryRenderedFeatures(box, { layers: ["hydrants"] })[0];
      if (hit) {
        this.hydrantAt.set(String(hit.properties.id), hit.geometry.coordinates);
        this.edit(() => this.remove("hydrants", hit.properties.id));
      } else {
        const id = this.newID("new-hydrant");
        this.edit(() => this.changes.set(`hydrants/${id}`,
          { layer: "hydrants", op: "add", id, kind: "municipal", lon: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
      }
      return true;
    }
    return this.tool !== "browse";
  }

  // edit applies fn to the changes and posts them; on an error the changes
  // go back to what they were and the error is shown.
  async edit(fn) {
    const before = new Map(this.changes);
    fn();
    this.renderMarkers();
    const ok = await this.post();
    if (!ok) {
      this.changes = before;
      this.renderMarkers();
      this.render();
    }
  }

  async post() {
    const mine = ++this.seq;
    this.setPending(true);
    if (!this.changes.size) {
      this.show(null, null, []);
      return true;
    }
    const changes = [...this.changes.values()];
    try {
      const r = await fetch("/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "map", changes }) });
      const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
      if (mine !== this.seq) return true;
      if (!r.ok) {
        this.fail(body, changes);
        return false;
      }
      await this.open(body, mine);
      return true;
    } catch (err) {
      if (mine === this.seq) this.fail({ error: String(err) });
      return false;
    }
  }

  // open shows a scenario the server knows (just posted or from a link).
  async open(sc, mine = this.seq) {
    this.changes = new Map((sc.changes || []).map((c) => [`${c.layer}/${c.id}`, c]));
    const r = await fetch(`/api/scenarios/${encodeURIComponent(sc.id)}/diff?minutes=5,8,15`);
    const diff = await r.json().catch(() => null);
    if (mine !== this.seq) return;
    if (!r.ok) {
      this.fail(diff || { error: `HTTP ${r.status}` });
      return;
    }
    this.show(sc.id, diff, sc.problems || []);
  }

  // openLink shows a saved link's scenario, resolved (by resolveLink)
  // before the map was made; link.error says why it could not be.
  async openLink(link) {
    if (link.error) {
      this.fail(link.error, link.changes);
      return;
    }
    const mine = ++this.seq;
    this.setPending(true);
    await this.open(link.sc, mine);
    // A link with the id only becomes one that carries its changes.
    if (mine === this.seq && scenarioID === link.sc.id) history.replaceState(null, "", linkURL(scenarioID, [...this.changes.values()]));
  }

  show(id, diff, problems) {
    this.renderChanges().catch(() => {});
    this.error = "";
    this.errorKey = "";
    this.diff = diff;
    this.problems = problems;
    this.pending = false;
    this.onChange(id);
    this.renderMarkers();
    this.render();
  }

  // fail shows the server's message once: what the user did (for the
  // change at fault in changes, as posted), the field, the message without
  // the server's own "change N: " (counted from 0) and without the internal
  // ids the map gives added features.
  fail(body, changes = [...this.changes.values()]) {
    this.pending = false;
    // A server that guards writes with a token answers 401: say so in the
    // page's language, not with the API's message.
    this.errorKey = body.status === 401 || /needs the server's token/.test(String(body.error || "")) ? "needsToken" : "";
    if (this.errorKey) {
      this.error = t(this.errorKey);
      this.render();
      return;
    }
    let msg = String(body.error || "");
    let what = "";
    const i = body.change;
    if (Number.isInteger(i) && i >= 0) {
      msg = msg.replace(/^change \d+:\s*/, "");
      const c = changes[i];
      if (c) {
        what = describeChange(c, this.stations);
        if (c.op === "add") msg = msg.split(` "${c.id}"`).join("").split(`"${c.id}" `).join("");
      } else {
        what = t("change").replace("{n}", i + 1);
      }
    }
    const head = [what, body.field].filter(Boolean).join(" · ");
    this.error = head ? `${head}: ${msg}` : msg;
    this.render();
  }

  setPending(p) {
    this.pending = p;
    this.render();
  }

  // renderChanges rings what the scenario added, moved or removed: an
  // added feature where it is, a moved station where it went (dashed from
  // where it was), a removed one where it was.
  async renderChanges() {
    const changes = [...this.changes.values()];
    const missing = changes.filter((c) => c.layer === "hydrants" && c.op === "remove" && !this.hydrantAt.has(String(c.id)));
    // A link's removed hydrants: their places come from the layer.
    if (missing.length) for (const [id, at] of await L.placesOf("hydrants")) this.hydrantAt.set(id, at);
    const was = new Map(this.stations.map((f) => [String(f.properties.id), f.geometry.coordinates]));
    const features = L.changeFeatures(changes, was, this.hydrantAt);
    this.map.getSource("scenario_changes")?.setData({ type: "FeatureCollection", features });
  }

  reset() {
    this.seq++;
    this.changes.clear();
    this.show(null, null, []);
  }

  // saveLink puts the scenario in the address bar and in the link box, and
  // copies it where the browser allows.
  saveLink() {
    if (!scenarioID) return;
    const u = linkURL(scenarioID, [...this.changes.values()]);
    history.replaceState(null, "", u);
    const box = document.getElementById("link");
    box.value = u.href;
    box.hidden = false;
    box.select();
    navigator.clipboard?.writeText(u.href).then(() => { box.title = t("linkSaved"); }, () => {});
  }

  renderTools() {
    const box = document.getElementById("tools");
    box.innerHTML = "";
    for (const tool of ["browse", "moveStation", "addStation", "removeStation", "hydrants"]) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "tool";
      input.value = tool;
      input.checked = this.tool === tool;
      input.onchange = () => this.setTool(tool);
      label.append(input, " ", t(tool === "hydrants" ? "hydrantTool" : tool));
      box.append(label);
    }
    const sel = document.getElementById("cls");
    sel.innerHTML = this.classes.map((c) => `<option value="${esc(c)}"${c === this.cls ? " selected" : ""}>${esc(t(c))}</option>`).join("");
    sel.onchange = () => { this.cls = sel.value; };
  }

  render() {
    window.fireplanScenario = this.state();
    document.getElementById("save").disabled = !scenarioID;
    document.getElementById("reset").disabled = !scenarioID && !this.changes.size;
    if (!scenarioID) document.getElementById("link").hidden = true;
    const err = document.getElementById("wi-error");
    err.hidden = !this.error;
    err.textContent = this.error;
    const out = document.getElementById("diff");
    if (this.pending) {
      out.innerHTML = `<p class="muted">${t("computing")}</p>`;
      return;
    }
    out.innerHTML = scenarioID ? diffHTML(scenarioID, this.changes.size, this.diff, this.problems) : "";
  }
}

// describeChange names a change by what the user did on the map (the ids
// of added features are the map's own, so they are left out).
function describeChange(c, stations = []) {
  const kind = { stations: "Station", hydrants: "Hydrant", roads: "Road" }[c.layer];
  if (!kind) return `${c.op} ${c.layer} ${c.id}`;
  let verb = { add: "added", remove: "removed" }[c.op] || "changed";
  if (c.op === "set" && c.layer === "stations" && c.lon !== undefined && Object.keys(pick(c)).every((k) => k === "lon" || k === "lat")) verb = "moved";
  const label = t(verb + kind);
  if (c.op === "add") return label;
  const f = c.layer === "stations" && stations.find((s) => s.properties.id === c.id);
  return `${label} ${f?.properties.name || c.id}`;
}

const round = (v) => Math.round(v * 1e6) / 1e6;
const pick = (c) => Object.fromEntries(["lon", "lat", "class", "name"].filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 1 }));
const signed = (v) => `<span class="${v > 0 ? "gain" : v < 0 ? "loss" : ""}">${v > 0 ? "+" : ""}${num(v)}</span>`;
const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(2)}%`);
// pp is the change of a rate in percentage points, to two decimals.
const pp = (before, after) => {
  if (before === null || before === undefined || after === null || after === undefined) return "";
  const d = Math.round((after - before) * 10000) / 100;
  return `<span class="${d > 0 ? "gain" : d < 0 ? "loss" : ""}">${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(2)}${t("pp")}</span>`;
};

// diffHTML renders GET /api/scenarios/{id}/diff: households reached per
// target (the county's totals, then the townships that changed), coverage
// gaps, hydrant gaps.
function diffHTML(id, n, d, problems) {
  let h = `<p id="scenario-id"><b>${t("scenario")} ${esc(id)}</b> · ${n} ${t("changes")}</p>`;
  if (problems.length) h += `<p class="loss">${t("problems")}: ${problems.map((p) => esc(p.message || p.msg || JSON.stringify(p))).join("; ")}</p>`;
  if (!d) return h;
  const cov = d.coverage || {}, all = cov.townships || [];
  // The county's own row (as in /api/coverage), where the diff has one,
  // is the total; otherwise the townships add up to it.
  const county = all.filter((r) => r.township_id === "county");
  const rows = all.filter((r) => r.township_id !== "county");
  const totals = new Map();
  for (const r of county.length ? county : rows) {
    const s = totals.get(r.target_min) || { before: 0, after: 0 };
    s.before += r.households_before;
    s.after += r.households_after;
    totals.set(r.target_min, s);
  }
  h += `<h3>${t("households")}</h3><table id="diff-totals"><tr><th>${t("target")}</th><th>${t("before")}</th><th>${t("after")}</th><th>${t("gained")}</th></tr>` +
    [...totals].sort((a, b) => a[0] - b[0]).map(([m, s]) =>
      `<tr data-target="${m}"><td>${m} ${t("min")}</td><td>${num(s.before)}</td><td class="after">${num(s.after)}</td><td>${signed(s.after - s.before)}</td></tr>`).join("") +
    "</table>";
  const changed = rows.filter((r) => r.gained);
  h += changed.length
    ? `<h3>${t("byTownship")}</h3><table><tr><th>${t("township")}</th><th>${t("target")}</th><th>${t("gained")}</th></tr>` +
      changed.map((r) => `<tr><td>${esc(r.name || r.township_id)}</td><td>${r.target_min}</td><td>${signed(r.gained)}</td></tr>`).join("") + "</table>"
    : `<p class="muted">${t("noChange")}</p>`;
  h += `<table><tr><td>${t("gapsClosed")}</td><td>${signed(cov.gaps_closed || 0)}</td></tr>` +
    `<tr><td>${t("gapsOpened")}</td><td>${num(cov.gaps_opened || 0)}</td></tr></table>`;
  const hy = d.hydrants;
  if (hy) {
    h += `<h3>${t("hydrants")}</h3><table>` +
      `<tr><td>${t("hgapsClosed")}</td><td>${num(hy.gaps_closed_m)}</td></tr>` +
      `<tr><td>${t("hgapsOpened")}</td><td>${num(hy.gaps_opened_m)}</td></tr>` +
      `<tr id="diff-protected"><td>${t("newlyProtected")}</td><td>${num(hy.buildings_newly_protected)}</td></tr>` +
      `<tr id="diff-unprotected"><td>${t("newlyUnprotected")}</td><td>${num(hy.buildings_newly_unprotected)}</td></tr>` +
      `<tr id="diff-intact"><td>${t("intactRate")}</td><td>${pct(hy.intact_rate_before)} → ${pct(hy.intact_rate_after)} ` +
      `(${pp(hy.intact_rate_before, hy.intact_rate_after)})</td></tr></table>`;
  }
  return h;
}

// setTiles points a vector source at new tiles and drops every tile it
// holds, in view and cached, at every zoom: MapLibre's setTiles alone
// reloads the tiles it holds in place (sending their ETags, keeping the
// old data while they load), and a user found the old scenario's stations
// left on the map at the county overview after a switch. Without MapLibre's tile manager the source
// is removed and added again with its layers.
function setTiles(map, name, url) {
  const src = map.getSource(name);
  if (!src) return;
  src.setTiles([url]);
  const tm = map.style?.tileManagers?.[name] || map.style?.sourceCaches?.[name];
  if (tm && typeof tm.clearTiles === "function") {
    tm.clearTiles();
    map.triggerRepaint();
    return;
  }
  const style = map.getStyle();
  const all = style.layers, mine = all.filter((l) => l.source === name);
  for (const l of mine) map.removeLayer(l.id);
  map.removeSource(name);
  map.addSource(name, { ...style.sources[name], tiles: [url] });
  for (const l of mine) {
    const next = all.slice(all.indexOf(l) + 1).find((n) => n.source !== name);
    map.addLayer(l, next?.id);
  }
}

// panelPadding keeps what the map fits clear of the side panel and the
// controls on the right.
function panelPadding(map) {
  const panel = document.getElementById("panel");
  const left = panel.classList.contains("collapsed") ? 60 : panel.offsetLeft + panel.offsetWidth + 20;
  const pad = { top: 30, bottom: 40, left, right: 60 };
  const c = map.getContainer();
  return c.clientWidth - pad.left - pad.right > 100 && c.clientHeight - pad.top - pad.bottom > 100 ? pad : 20;
}

// printURL opens the print view at the map's layers and scenario, and at
// its view only when it is closer than the county's opening fit: otherwise
// the print view fits the county to its own frame.
function printURL(map, minutes, on, changes, county) {
  const u = new URL("/print", location.origin);
  u.searchParams.set("paper", document.getElementById("paper").value);
  u.searchParams.set("orientation", document.getElementById("orientation").value);
  u.searchParams.set("minutes", minutes);
  u.searchParams.set("layers", L.analyses.filter((a) => on[a.id]).map((a) => a.id).join(","));
  u.searchParams.set("lang", lang);
  if (scenarioID) {
    u.searchParams.set("scenario", scenarioID);
    u.searchParams.set("changes", L.encodeChanges(changes));
  }
  const fit = county && map.cameraForBounds(county, { padding: panelPadding(map) });
  if (!fit || map.getZoom() > fit.zoom + 0.05) {
    const c = map.getCenter();
    u.hash = `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
  }
  return u.href;
}

async function main() {
  const status = document.getElementById("status");
  status.textContent = t("loading");
  // The address's own view wins; without one the map opens on the county.
  const hasView = L.parseHash(location.hash) !== null;
  // A saved link's scenario is resolved first: the map's first tiles
  // already read it, so no baseline tile is ever drawn (or cached) for it.
  const [index, info, catalog, link] = await Promise.all([fetch("/tiles").then((r) => r.json()), fetch("/api/layers").then((r) => r.json()),
    fetch("/api/catalog").then((r) => r.json()), resolveLink(new URLSearchParams(location.search))
      .catch((e) => ({ error: { error: String(e) } }))]);
  if (link.sc) scenarioID = link.sc.id;
  let minutes = 5;
  const on = Object.fromEntries(L.analyses.map((a) => [a.id, a.on]));
  const empty = L.emptyLayers(info);
  const state = () => ({ minutes, scenario: scenarioID, on, empty });
  const style = L.style(index, state());
  // OpenStreetMap's licence asks every map of its data to credit it.
  if (info.attribution && style.sources.roads) style.sources.roads.attribution = info.attribution;
  // A narrow window starts with the panel folded, so the county shows.
  if (innerWidth < 700) document.getElementById("panel").classList.add("collapsed");
  const map = new maplibregl.Map({
    container: "map",
    style,
    hash: true,
    maxZoom: 19,
    // ?print keeps the drawing buffer, so screenshots (and tests) see the map.
    canvasContextAttributes: { preserveDrawingBuffer: new URLSearchParams(location.search).has("print") },
    attributionControl: info.attribution ? { compact: false } : false,
  });
  window.fireplanMap = map;
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  const county = L.countyBound(info);
  const showStatus = () => {
    status.textContent = window.fireplanIdle ? `${t("ready")} · z${map.getZoom().toFixed(1)}` : t("loading");
  };
  const legend = () => {
    if (map.isStyleLoaded()) document.getElementById("legend").innerHTML = `<h2>${t("legend")}</h2>` + L.legendHTML(map, state(), t);
  };
  const loadBuildings = buildingCoverage(map);
  // retile points every source a scenario or the target changes at the
  // current ones; the styles stay.
  const retile = () => {
    window.fireplanIdle = false;
    for (const name of Object.keys(map.getStyle().sources)) {
      if (L.scenarioSources.has(name)) setTiles(map, name, L.tileURL(name, state()));
    }
    loadBuildings();
    L.loadYearSites(map, state()).catch(() => {});
  };
  // The station classes come from the catalogue's siting parameter.
  const classParam = catalog.entries.find((e) => e.name === "station_siting")?.params.find((p) => p.name === "class");
  const scenario = new Scenario(map, classParam?.enum || [], classParam?.default, (id) => {
    if (id === scenarioID) return;
    scenarioID = id;
    // The address keeps a saved link only while it is the one shown.
    if (new URLSearchParams(location.search).get("scenario") !== id) history.replaceState(null, "", linkURL(null));
    retile();
    downloads(minutes);
    legend();
  });
  map.on("click", (e) => {
    if (e.originalEvent.target.closest?.(".maplibregl-marker")) return;
    if (!scenario.click(e)) popup(map, catalog, e);
  });
  // A change made while tiles load (the target's selector) finds the style
  // busy and cannot draw the legend then: it is drawn again once all is in.
  map.on("idle", () => { window.fireplanIdle = true; showStatus(); legend(); });
  map.on("movestart", () => { window.fireplanIdle = false; });
  map.on("moveend", loadBuildings);
  map.on("zoomend", legend);
  map.on("load", () => {
    // Fitted once the style is in: before, loading it moves the map back.
    if (!hasView && county) map.fitBounds(county, { padding: panelPadding(map), animate: false });
    legend();
    loadBuildings();
    L.loadYearSites(map, state()).catch(() => {});
    loadLabels(map).catch(() => {});
    scenario.load().then(() => {
      for (const f of scenario.stations) names.station.set(String(f.properties.id), f.properties.name || f.properties.id);
      return link.sc || link.error ? scenario.openLink(link) : null;
    }).catch((e) => { scenario.fail({ error: String(e) }); });
  });
  document.getElementById("minutes").onchange = (e) => {
    minutes = Number(e.target.value);
    window.fireplanIdle = false;
    map.setFilter("iso-fill", L.minuteFilter(minutes));
    map.setPaintProperty("bcov", "circle-color", L.arrivalColor(minutes));
    setTiles(map, "coverage_gaps", L.tileURL("coverage_gaps", state()));
    legend(); downloads(minutes);
  };
  document.getElementById("save").onclick = () => scenario.saveLink();
  document.getElementById("reset").onclick = () => scenario.reset();
  document.getElementById("print").onclick = () => window.open(printURL(map, minutes, on, [...scenario.changes.values()], county), "_blank");
  const fold = (folded) => {
    document.getElementById("panel").classList.toggle("collapsed", folded);
    document.getElementById("fold").textContent = folded ? "☰" : "«";
    document.getElementById("fold").title = t(folded ? "expand" : "collapse");
  };
  document.getElementById("fold").onclick = () => fold(!document.getElementById("panel").classList.contains("collapsed"));
  const render = () => {
    translate(); toggles(map, on, legend); legend(); downloads(minutes); showStatus(); scenario.renderTools(); scenario.render();
    fold(document.getElementById("panel").classList.contains("collapsed"));
  };
  document.getElementById("lang").onclick = () => {
    lang = lang === "zh" ? "en" : "zh";
    const u = new URL(location.href);
    u.searchParams.set("lang", lang);
    history.replaceState(history.state, "", u);
    if (scenario.errorKey) scenario.error = t(scenario.errorKey);
    render();
  };
  render();
}

main().catch((e) => { document.getElementById("status").textContent = String(e); window.fireplanError = String(e); });
