// Week grid of the availability editor (progressive enhancement of its `window` checkboxes,
// whose "weekday,start,end,mode" values the server reads; see scheduling/forms.py).
// The week is held as 15-minute quarters per mode and the grid only rewrites the half-hour
// cells she touches, so times it cannot show (before 06:00, quarter hours) survive a save.
// Its words come from the JavaScript catalogue (/jsi18n/, loaded first), in her language.
(() => {
  "use strict";

  const { gettext, pgettext, interpolate } = window.django;
  const DAYS = [
    gettext("Monday"),
    gettext("Tuesday"),
    gettext("Wednesday"),
    gettext("Thursday"),
    gettext("Friday"),
    gettext("Saturday"),
    gettext("Sunday"),
  ];
  const SHORT_DAYS = [
    pgettext("abbreviated weekday", "Mon"),
    pgettext("abbreviated weekday", "Tue"),
    pgettext("abbreviated weekday", "Wed"),
    pgettext("abbreviated weekday", "Thu"),
    pgettext("abbreviated weekday", "Fri"),
    pgettext("abbreviated weekday", "Sat"),
    pgettext("abbreviated weekday", "Sun"),
  ];
  const MODE_WORDS = { kid_free: gettext("kid-free"), kids_along: gettext("kids along") };
  const says = (format, words) => interpolate(format, words, true);
  const MODES = Object.keys(MODE_WORDS);
  const DAY_QUARTERS = 96;
  const WEEK_QUARTERS = 7 * DAY_QUARTERS;
  const FIRST_QUARTER = 24; // 06:00
  const ROWS = 36; // half hours from 06:00 to 24:00

  const root = document.querySelector("[data-availability-grid]");
  if (!root) return;
  const form = root.closest("form");
  const list = form.querySelector("[data-window-list]");
  const status = root.querySelector("[data-grid-status]");
  const cover = Object.fromEntries(MODES.map((mode) => [mode, new Uint8Array(WEEK_QUARTERS)]));

  const clock = (minutes) =>
    `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const currentMode = () => root.querySelector("[name=paint_mode]:checked").value;

  function parseWindow(value) {
    const [weekday, start, end, mode] = value.split(",");
    return { weekday: Number(weekday), start: Number(start), end: Number(end), mode };
  }

  function setWindow(w, on) {
    const length = w.end > w.start ? w.end - w.start : w.end + 1440 - w.start;
    const first = w.weekday * DAY_QUARTERS + w.start / 15;
    for (let i = 0; i < length / 15; i++) cover[w.mode][(first + i) % WEEK_QUARTERS] = on;
  }

  // Same canonical form as scheduling.availability.merge_windows, so the list matches what is saved.
  function windowsOf(mode) {
    const on = cover[mode];
    const gap = on.indexOf(0);
    if (gap === -1) return DAYS.map((_, weekday) => ({ weekday, start: 0, end: 1440, mode }));
    const windows = [];
    let runStart = null;
    for (let q = gap + 1; q <= gap + WEEK_QUARTERS; q++) {
      if (on[q % WEEK_QUARTERS] && runStart === null) runStart = q;
      if (!on[q % WEEK_QUARTERS] && runStart !== null) {
        windows.push(...splitRun(runStart, q, mode));
        runStart = null;
      }
    }
    return windows;
  }

  function splitRun(start, end, mode) {
    const length = end - start;
    if (length < DAY_QUARTERS || (length === DAY_QUARTERS && start % DAY_QUARTERS === 0)) {
      return [windowAt(start, end, mode)];
    }
    const pieces = [];
    for (let from = start; from < end; ) {
      const to = Math.min((Math.floor(from / DAY_QUARTERS) + 1) * DAY_QUARTERS, end);
      pieces.push(windowAt(from, to, mode));
      from = to;
    }
    return pieces;
  }

  function windowAt(start, end, mode) {
    const startMinute = (start % DAY_QUARTERS) * 15;
    const endMinute = startMinute + (end - start) * 15;
    return {
      weekday: Math.floor(start / DAY_QUARTERS) % 7,
      start: startMinute,
      end: endMinute > 1440 ? endMinute - 1440 : endMinute,
      mode,
    };
  }

  const describe = (w) =>
    says(gettext("%(day)s %(start)s–%(end)s, %(mode)s"), {
      day: SHORT_DAYS[w.weekday],
      start: clock(w.start),
      end: clock(w.end),
      mode: MODE_WORDS[w.mode],
    });
  const byTime = (a, b) =>
    a.weekday - b.weekday || a.start - b.start || a.end - b.end || a.mode.localeCompare(b.mode);

  function renderList() {
    const windows = MODES.flatMap(windowsOf).sort(byTime);
    const items = windows.map((w, index) => {
      const item = document.createElement("li");
      item.className = "form-check";
      const box = Object.assign(document.createElement("input"), {
        className: "form-check-input",
        type: "checkbox",
        name: "window",
        value: `${w.weekday},${w.start},${w.end},${w.mode}`,
        id: `window-${index + 1}`,
        defaultChecked: true,
      });
      const label = Object.assign(document.createElement("label"), {
        className: "form-check-label",
        htmlFor: box.id,
        textContent: describe(w),
      });
      item.append(box, " ", label);
      return item;
    });
    if (!items.length) {
      const empty = Object.assign(document.createElement("li"), { textContent: list.dataset.emptyText });
      empty.className = "text-body-secondary";
      items.push(empty);
    }
    list.replaceChildren(...items);
  }

  // --- cells ---------------------------------------------------------------------------------

  const cellQuarter = (cell) => Number(cell.dataset.quarter);

  function cellState(cell) {
    const q = cellQuarter(cell);
    const full = MODES.find((mode) => cover[mode][q] && cover[mode][q + 1]);
    if (full) return full;
    return MODES.some((mode) => cover[mode][q] || cover[mode][q + 1]) ? "partial" : "";
  }

  function renderCell(cell) {
    const state = cellState(cell);
    const q = cellQuarter(cell);
    const start = (q % DAY_QUARTERS) * 15;
    const words =
      { "": gettext("not free"), partial: gettext("partly free, see the list") }[state] ?? MODE_WORDS[state];
    cell.className = state ? `is-${state}` : "";
    cell.setAttribute("aria-selected", String(MODES.includes(state)));
    cell.setAttribute(
      "aria-label",
      says(gettext("%(day)s %(start)s to %(end)s, %(words)s"), {
        day: DAYS[Math.floor(q / DAY_QUARTERS)],
        start: clock(start),
        end: clock(start + 30),
        words,
      }),
    );
  }

  function paint(cell, mode) {
    const q = cellQuarter(cell);
    for (const each of MODES) cover[each].fill(each === mode ? 1 : 0, q, q + 2);
    renderCell(cell);
    renderList();
  }

  function buildTable() {
    const table = document.createElement("table");
    table.className = "availability-grid";
    table.setAttribute("role", "grid");
    table.setAttribute("aria-label", gettext("Your week, in half hours"));
    table.setAttribute("aria-multiselectable", "true");
    const head = table.createTHead().insertRow();
    const corner = document.createElement("th");
    const cornerText = { className: "visually-hidden", textContent: gettext("Time") };
    corner.append(Object.assign(document.createElement("span"), cornerText));
    head.append(corner);
    DAYS.forEach((day, weekday) => {
      const th = Object.assign(document.createElement("th"), { scope: "col" });
      th.append(Object.assign(document.createElement("abbr"), { title: day, textContent: SHORT_DAYS[weekday] }));
      head.append(th);
    });
    const body = table.createTBody();
    for (let row = 0; row < ROWS; row++) {
      const tr = body.insertRow();
      const minute = (FIRST_QUARTER + 2 * row) * 15;
      const th = Object.assign(document.createElement("th"), { scope: "row", textContent: clock(minute) });
      if (minute % 60) th.className = "half-hour";
      tr.append(th);
      DAYS.forEach((_, day) => {
        const cell = tr.insertCell();
        cell.setAttribute("role", "gridcell");
        cell.tabIndex = -1;
        cell.dataset.quarter = String(day * DAY_QUARTERS + FIRST_QUARTER + 2 * row);
        renderCell(cell);
      });
    }
    return table;
  }

  // --- painting: pointer (mouse, touch, pen) and keyboard -------------------------------------

  function enablePainting(table) {
    const cells = [...table.querySelectorAll("[data-quarter]")];
    let dragMode; // undefined when not dragging; "" erases
    let focused = cells[0];
    focused.tabIndex = 0;

    function focusCell(cell) {
      focused.tabIndex = -1;
      focused = cell;
      cell.tabIndex = 0;
      cell.focus();
    }
    const toggled = (cell) => (cellState(cell) === currentMode() ? "" : currentMode());

    table.addEventListener("pointerdown", (event) => {
      const cell = event.target.closest("[data-quarter]");
      if (!cell || event.button !== 0) return;
      event.preventDefault();
      focusCell(cell);
      dragMode = toggled(cell);
      paint(cell, dragMode);
    });
    table.addEventListener("pointermove", (event) => {
      if (dragMode === undefined) return;
      const cell = document.elementFromPoint(event.clientX, event.clientY)?.closest("[data-quarter]");
      if (cell && table.contains(cell) && cellState(cell) !== dragMode) paint(cell, dragMode);
    });
    const stop = () => {
      dragMode = undefined;
    };
    document.addEventListener("pointerup", stop);
    document.addEventListener("pointercancel", stop);

    table.addEventListener("keydown", (event) => {
      const index = cells.indexOf(event.target);
      if (index === -1) return;
      const column = index % DAYS.length;
      const targets = {
        ArrowLeft: column > 0 ? index - 1 : index,
        ArrowRight: column < DAYS.length - 1 ? index + 1 : index,
        ArrowUp: index - DAYS.length,
        ArrowDown: index + DAYS.length,
        Home: index - column,
        End: index - column + DAYS.length - 1,
      };
      if (event.key in targets) {
        if (cells[targets[event.key]]) focusCell(cells[targets[event.key]]);
      } else if (event.key === " " || event.key === "Enter") {
        paint(event.target, toggled(event.target));
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  function refreshCells() {
    root.querySelectorAll("[data-quarter]").forEach(renderCell);
    renderList();
  }

  // --- wiring ------------------------------------------------------------------------------------

  list.querySelectorAll("[name=window]:checked").forEach((box) => setWindow(parseWindow(box.value), 1));
  list.addEventListener("change", (event) => {
    if (event.target.name !== "window" || event.target.checked) return;
    setWindow(parseWindow(event.target.value), 0);
    refreshCells();
    status.textContent = says(gettext("Removed %(time)s. Save to keep the change."), {
      time: event.target.labels[0].textContent,
    });
  });

  document.querySelectorAll("[data-preset-windows]").forEach((presetForm) => {
    presetForm.addEventListener("submit", (event) => {
      event.preventDefault();
      presetForm.dataset.presetWindows.split(" ").forEach((value) => setWindow(parseWindow(value), 1));
      refreshCells();
      status.textContent = says(gettext("Added %(preset)s. Save to keep it."), {
        preset: presetForm.dataset.presetLabel.toLowerCase(),
      });
    });
  });

  const table = buildTable();
  root.querySelector("[data-grid-container]").append(table);
  enablePainting(table);
  root.hidden = false;
  const newTimes = form.querySelector("[data-new-times]");
  newTimes.open = [...newTimes.querySelectorAll("select")].some((select) => select.value);
})();
