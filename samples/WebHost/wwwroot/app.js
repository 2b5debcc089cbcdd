// BookBytes page: plain JavaScript over the REST API, no build step.
"use strict";

const api = "/api/v1";
const $ = (id) => document.getElementById(id);
const state = { edition: null, audioBookId: null, book: null, chapters: [], current: -1, events: null, audioBlob: null, trackBlob: null, playing: 0, speed: 1, restoring: false, keepTimer: 0, jobId: null, listenFirst: null };

// API key: sent as X-Api-Key on every call when the server requires one (BookBytes:Host:ApiKeys).
const keyName = "bookbytes.apiKey";
function apiKey() { return sessionStorage.getItem(keyName) || ""; }
function withKey(headers = {}) { const key = apiKey(); return key ? { ...headers, "X-Api-Key": key } : headers; }

async function request(path, options = {}) {
  const response = await fetch(api + path, {
    ...options,
    headers: withKey({ "Accept": "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}) }),
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw problem(response, body);
  return body;
}

function problem(response, body) {
  if (response.status === 401) askForKey();
  const error = new Error((body && (body.detail || body.title)) || `HTTP ${response.status}`);
  error.problem = body || {};
  error.status = response.status;
  return error;
}

function show(id, visible = true) { $(id).hidden = !visible; }
function showError(id, error) { $(id).textContent = error ? error.message : ""; show(id, !!error); }
function clear(element) { while (element.firstChild) element.removeChild(element.firstChild); }
function item(text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  return li;
}

function showKeyState() { $("key-state").textContent = apiKey() ? "(set)" : "(none)"; }

function askForKey() {
  $("key-box").open = true;
  showError("key-error", new Error(apiKey() ? "The server refused this API key." : "This server needs an API key."));
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  if (key) sessionStorage.setItem(keyName, key); else sessionStorage.removeItem(keyName);
  $("api-key").value = "";
  showError("key-error", null);
  showKeyState();
  $("key-box").open = false;
  loadLibrary();
  loadVoices();
});

// 1. Look up
$("lookup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("lookup-error", null);
  $("lookup").disabled = true;
  try {
    const edition = await request(`/books/isbn/${encodeURIComponent($("isbn").value.trim())}`);
    showEdition(edition);
  } catch (error) {
    showError("lookup-error", error);
  } finally {
    $("lookup").disabled = false;
  }
});

// 1b. Or a book from its own file: multipart upload, the chapters found are shown like a lookup's.
async function upload(file) {
  showError("lookup-error", null);
  $("upload-state").textContent = `Reading ${file.name}…`;
  show("upload-state");
  $("file").disabled = true;
  try {
    const form = new FormData();
    form.append("file", file, file.name);
    const response = await fetch(api + "/books/upload", { method: "POST", body: form, headers: withKey({ "Accept": "application/json" }) });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw problem(response, body);
    showEdition(body);
    $("upload-state").textContent = response.status === 201 ? `${file.name}: ${body.tableOfContents.length} chapters found` : `${file.name}: already added`;
  } catch (error) {
    show("upload-state", false);
    showError("lookup-error", error);
  } finally {
    $("file").disabled = false;
    $("file").value = "";
  }
}

// The sample book, written for BookBytes, uploaded like a file of one's own; its chapters are short, so its summaries are too.
$("sample").addEventListener("click", async () => {
  showError("lookup-error", null);
  $("sample").disabled = true;
  try {
    const response = await fetch("sample/the-lantern-at-gull-point.md");
    if (!response.ok) throw new Error(`The sample book could not be loaded (${response.status}).`);
    const file = new File([await response.blob()], "the-lantern-at-gull-point.md", { type: "text/markdown" });
    $("summary-words").value = "150";
    await upload(file);
  } catch (error) {
    showError("lookup-error", error);
  } finally {
    $("sample").disabled = false;
  }
});

// The voices of the node's speech provider, offered as the voice field is typed in (local ones are {engine}.{voice}:
// "de" finds espeak-ng.de); a server that takes other names accepts whatever is typed.
async function loadVoices() {
  try {
    const voices = await request("/voices");
    const list = $("voice-list");
    clear(list);
    for (const voice of voices.voices) {
      const option = document.createElement("option");
      option.value = voice;
      list.appendChild(option);
    }
    if (voices.defaultVoice) $("voice").placeholder = `automatic (default ${voices.defaultVoice})`;
  } catch { /* no speech provider on this node: processing says so; the automatic choice stays */ }
}

$("file").addEventListener("change", () => { if ($("file").files.length) upload($("file").files[0]); });
$("drop").addEventListener("dragover", (event) => { event.preventDefault(); $("drop").classList.add("over"); });
$("drop").addEventListener("dragleave", () => $("drop").classList.remove("over"));
$("drop").addEventListener("drop", (event) => {
  event.preventDefault();
  $("drop").classList.remove("over");
  if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0]);
});

const kindNames = { front: "front matter", back: "back matter" };

// The chapters an edition offers, as the server numbers them: a document's entries by their own numbers; a catalog's
// top-level body entries 1..n; none when the chapters will come from the language model's outline.
function offeredChapters(edition) {
  if (edition.source === "document") {
    return edition.tableOfContents.filter((e) => e.number != null).map((e) => ({ entry: e, number: e.number }));
  }
  const body = edition.tableOfContents.filter((e) => !e.isFrontOrBackMatter && e.title.trim());
  if (body.length === 0) return [];
  const top = Math.min(...body.map((e) => e.level));
  return body.filter((e) => e.level === top).map((e, i) => ({ entry: e, number: i + 1 }));
}

// Ticked unless it is front or back matter, or a document's chapter without words (as the server chooses by default).
function tickedByDefault(entry, edition) {
  if (entry.isFrontOrBackMatter || (entry.kind && entry.kind !== "body")) return false;
  return edition.source !== "document" || (entry.words || 0) > 0;
}

function showEdition(edition) {
  state.edition = edition;
  $("title").textContent = edition.title;
  $("authors").textContent = edition.authors.length ? "by " + edition.authors.join(", ") : "author unknown";
  $("meta").textContent = [edition.source === "document" && "from your file", edition.publishYear, edition.language !== "und" && edition.language, edition.isbn13 && "ISBN " + edition.isbn13].filter(Boolean).join(" · ");
  const cover = $("cover");
  cover.onerror = () => { cover.hidden = true; };
  if (edition.coverUrl) { cover.src = edition.coverUrl; cover.alt = "Cover of " + edition.title; cover.hidden = false; }
  else { cover.hidden = true; cover.removeAttribute("src"); }

  const offered = new Map(offeredChapters(edition).map((c) => [c.entry, c.number]));
  const toc = $("toc");
  clear(toc);
  for (const entry of edition.tableOfContents) {
    const title = entry.label ? `${entry.label}. ${entry.title}` : entry.title;
    const notes = [kindNames[entry.kind], entry.words != null && `${entry.words.toLocaleString()} words`].filter(Boolean).join(", ");
    const li = document.createElement("li");
    if (entry.isFrontOrBackMatter) li.className = "muted";
    if (entry.kind) li.dataset.kind = entry.kind;
    li.style.marginLeft = `${entry.level * 1.5}em`;
    const label = document.createElement("label");
    const number = offered.get(entry);
    if (number != null) {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = String(number);
      box.checked = tickedByDefault(entry, edition);
      box.dataset.default = String(box.checked);
      box.addEventListener("change", choiceChanged);
      label.appendChild(box);
      li.dataset.number = String(number);
    }
    label.appendChild(document.createTextNode(notes ? `${title} (${notes})` : title));
    li.appendChild(label);
    toc.appendChild(li);
  }
  $("toc-count").textContent = String(edition.tableOfContents.length);
  show("toc-box", offered.size > 0);
  show("toc-note", offered.size === 0);

  // Narration speaks the book's own text: only an uploaded document has it.
  const narration = edition.source === "document";
  $("mode-narration").disabled = !narration;
  show("mode-hint", !narration);
  if (!narration) $("mode-summary").checked = true;
  showError("process-error", null);
  show("book");
  choiceChanged();
}

function tickedChapters() {
  return [...$("toc").querySelectorAll("input[type=checkbox]:checked")].map((box) => Number(box.value));
}

function chosenMode() { return $("mode-narration").checked ? "narration" : "summary"; }

// The body of /process and /estimate for what the page shows now.
function choice() {
  const body = { editionId: state.edition.editionId, mode: chosenMode() };
  const voice = $("voice").value.trim();
  if (voice) body.voice = voice;
  if ($("toc").querySelector("input[type=checkbox]")) body.chapters = tickedChapters();
  const words = $("summary-words").value.trim();
  if (body.mode === "summary" && words) body.summaryWords = Number(words);
  return body;
}

function setTicks(which) {
  for (const box of $("toc").querySelectorAll("input[type=checkbox]")) {
    box.checked = which === "all" ? true : which === "none" ? false : box.dataset.default === "true";
  }
  choiceChanged();
}
$("toc-all").addEventListener("click", () => setTicks("all"));
$("toc-none").addEventListener("click", () => setTicks("none"));
$("toc-default").addEventListener("click", () => setTicks("default"));
for (const id of ["mode-summary", "mode-narration", "voice"]) $(id).addEventListener("change", choiceChanged);
$("summary-words").addEventListener("input", choiceChanged);

// Whatever changes, the estimate follows (debounced, and only the latest answer is shown).
let estimateTimer = null;
let estimateRequest = 0;
function choiceChanged() {
  show("summary-words-box", chosenMode() === "summary");
  showAddChapters();
  if (!state.edition) return;
  const none = $("toc").querySelector("input[type=checkbox]") && tickedChapters().length === 0;
  $("process").disabled = !!none;
  clearTimeout(estimateTimer);
  if (none) {
    $("estimate").classList.remove("stale");
    $("estimate-text").textContent = "Tick at least one chapter.";
    clear($("estimate-notes"));
    showError("estimate-error", null);
    return;
  }
  // The last figures stay, dimmed, until the new ones come: no flicker while ticking boxes.
  $("estimate").classList.add("stale");
  estimateTimer = setTimeout(estimate, 300);
}

async function estimate() {
  const ticket = ++estimateRequest;
  try {
    const result = await request("/books/estimate", { method: "POST", body: JSON.stringify(choice()) });
    if (ticket !== estimateRequest) return;
    $("estimate").classList.remove("stale");
    showError("estimate-error", null);
    showEstimate(result);
  } catch (error) {
    if (ticket !== estimateRequest) return;
    $("estimate").classList.remove("stale");
    $("estimate-text").textContent = "";
    clear($("estimate-notes"));
    showError("estimate-error", error);
  }
}

function showEstimate(e) {
  const count = e.chapters.length || e.assumedChapters || 0;
  const plural = count === 1 ? "chapter" : "chapters";
  const chapters = e.chapters.length ? `${count} ${plural}` : `about ${count} ${plural} (assumed)`;
  const tokens = e.llmCalls ? `${e.llmCalls} model calls, ${(e.inputTokens + e.outputTokens).toLocaleString()} tokens` : "no model calls";
  const cost = e.cost == null ? "no price known" : `${e.cost.toLocaleString(undefined, { maximumFractionDigits: 4 })} ${e.currency}`;
  $("estimate-text").textContent = [chapters, tokens, `${e.speechCharacters.toLocaleString()} characters to speak`, `about ${formatSeconds(e.seconds)}`, cost].join(" · ");
  $("estimate-text").className = "";
  const notes = $("estimate-notes");
  clear(notes);
  for (const note of e.notes) notes.appendChild(item(note));
}

function formatSeconds(seconds) {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// 4. Create and watch
$("process-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("process-error", null);
  $("process").disabled = true;
  try {
    const started = await request("/books/process", { method: "POST", body: JSON.stringify(choice()) });
    state.audioBookId = started.audioBookId;
    // Chapter 1 plays as soon as its first sentences are spoken, while the rest is being made.
    state.listenFirst = started.audioBookId;
    watch(started.jobId);
  } catch (error) {
    if (error.problem.code === "AUDIOBOOK_EXISTS" && error.problem.audioBookId) {
      // Already made in this mode (or being made): open it, and follow its job if one is working on it.
      await openAudioBook(error.problem.audioBookId);
    } else {
      showError("process-error", error);
    }
  } finally {
    $("process").disabled = false;
  }
});

// Adds the ticked chapters the open audiobook does not have yet, without redoing the others.
function chaptersToAdd() {
  if (!state.book || !state.edition || state.book.edition.editionId !== state.edition.editionId) return [];
  const have = new Set(state.book.chapters.map((c) => c.number));
  return tickedChapters().filter((n) => !have.has(n));
}

function showAddChapters() {
  const missing = chaptersToAdd();
  const busy = state.book && ["Pending", "Processing"].includes(state.book.status);
  show("add-box", missing.length > 0);
  $("add-chapters").disabled = !!busy;
  $("add-text").textContent = missing.length ? `ticked but not in this audiobook: ${missing.join(", ")}` : "";
}

$("add-chapters").addEventListener("click", async () => {
  showError("add-error", null);
  $("add-chapters").disabled = true;
  try {
    const started = await request(`/books/${state.book.id}/refresh`, { method: "POST", body: JSON.stringify({ chapters: chaptersToAdd() }) });
    watch(started.jobId);
  } catch (error) {
    showError("add-error", error);
    $("add-chapters").disabled = false;
  }
});

function watch(jobId) {
  if (state.events) state.events.abort();
  show("job");
  showError("job-error", null);
  loadJobs();
  const controller = new AbortController();
  state.events = controller;
  streamJob(jobId, controller.signal).catch((error) => {
    if (!controller.signal.aborted) showError("job-error", error);
  });
}

// The job's server-sent events, read with fetch because EventSource cannot send the API key. The stream
// starts with the job as it is and ends at Completed or Failed; a stream that drops before is opened again.
async function streamJob(jobId, signal) {
  // Five failed connections in a row end it; a stream that delivered events before it dropped starts the count again.
  for (let failures = 0; ;) {
    const response = await fetch(`${api}/jobs/${jobId}/events`, { headers: withKey({ "Accept": "text/event-stream" }), signal })
      .catch((error) => { if (signal.aborted) throw error; return null; });
    if (response && !response.ok) throw problem(response, await response.json().catch(() => null));
    const outcome = response ? await readEvents(response.body, signal, onJob) : { finished: false, delivered: 0 };
    if (outcome.finished) return;
    failures = outcome.delivered > 0 ? 1 : failures + 1;
    if (failures === 5) throw new Error("Lost the progress stream.");
    await new Promise((resolve) => setTimeout(resolve, 1000 * failures));
  }
}

// Calls onData with each event's JSON until it returns true or the stream ends; says which, and how many events came.
async function readEvents(body, signal, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let delivered = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { finished: false, delivered };
      buffer += value.replace(/\r\n?/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).replace(/^ /, "")).join("\n");
        if (!data) continue;
        delivered++;
        if (onData(JSON.parse(data))) { reader.cancel().catch(() => {}); return { finished: true, delivered }; }
      }
    }
  } catch (error) {
    return { finished: signal.aborted, delivered };
  }
}

function onJob(job) {
  showJob(job);
  if (job.audioBookId) refreshChapters(job.audioBookId);
  if (!["Completed", "Failed", "Cancelled"].includes(job.status)) return false;
  state.events = null;
  loadLibrary();
  loadJobs();
  return true;
}

// Deleting asks first; a job still at work on the book is cancelled with it. The edition stays, so it can be made again.
$("delete-book").addEventListener("click", async () => {
  const book = state.book;
  if (!book || !confirm(`Delete the audiobook "${book.edition.title}" and all its audio? The book itself stays, so it can be made again.`)) return;
  showError("delete-error", null);
  $("delete-book").disabled = true;
  try {
    await request(`/audiobooks/${book.id}?cancel=true`, { method: "DELETE" });
    if (state.events) { state.events.abort(); state.events = null; }
    localStorage.removeItem(positionKey(book.id));
    stopPlayer();
    state.book = null;
    state.audioBookId = null;
    show("player-section", false);
    show("job", false);
    loadLibrary();
  } catch (error) {
    showError("delete-error", error);
  } finally {
    $("delete-book").disabled = false;
  }
});

$("cancel-job").addEventListener("click", async () => {
  showError("job-error", null);
  $("cancel-job").disabled = true;
  try {
    const job = await request(`/jobs/${state.jobId}/cancel`, { method: "POST" });
    if (state.events) { state.events.abort(); state.events = null; }
    onJob(job);
  } catch (error) {
    showError("job-error", error);
  } finally {
    $("cancel-job").disabled = false;
  }
});

function showJob(job) {
  $("progress").value = job.progress;
  $("progress-text").textContent = `${job.progress}%`;
  // The last step of a finished job is its status again; show it once.
  $("step").textContent = job.currentStep && job.currentStep !== job.status ? job.currentStep : "";
  $("job-status").textContent = job.status;
  // A job still waiting or running can be cancelled; what it stored is kept.
  state.jobId = job.id;
  $("cancel-job").hidden = !["Pending", "Processing"].includes(job.status);
  // A failed attempt waiting for its retry is not a silent "Pending": say why and when.
  if (job.status === "Pending" && job.nextAttemptAt) {
    const when = new Date(job.nextAttemptAt).toLocaleTimeString();
    $("step").textContent = `attempt ${job.attempt} of ${job.maxAttempts} failed (${job.errorCode || "error"}: ${job.errorMessage || ""}); retrying at ${when}`;
  }
  if (job.status === "Failed") showError("job-error", new Error(`${job.errorCode || "FAILED"}: ${job.errorMessage || "the job failed"}`));
}

// One read of the audiobook at a time; an event that comes during one asks for another after it, so the last
// event's state (a finished job, a package just made) is never lost to a read that started before it.
let refreshing = null;
let refreshAgain = false;
function refreshChapters(audioBookId) {
  if (refreshing) { refreshAgain = true; return refreshing; }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false;
        const book = await request(`/audiobooks/${audioBookId}`).catch(() => null); // the next event retries
        if (book && state.audioBookId === book.id) showChapters(book);
      } while (refreshAgain);
    } finally { refreshing = null; }
  })();
  return refreshing;
}

const activeJob = (book) => (book.job && ["Pending", "Processing"].includes(book.job.status) ? book.job : null);

// Opens an audiobook in the player; a job still at work on it (making, refreshing, packaging) is followed.
async function openAudioBook(audioBookId) {
  state.audioBookId = audioBookId;
  const book = await request(`/audiobooks/${audioBookId}`);
  if (!state.edition || state.edition.editionId !== book.edition.editionId) showEdition(book.edition);
  showChapters(book);
  const job = activeJob(book);
  if (job) {
    watch(job.id);
  } else {
    if (state.events) { state.events.abort(); state.events = null; }
    show("job", false);
  }
}

const modeNames = { summary: "Summary", narration: "Narration" };
const groundingNames = { text: "from the book's text", model: "from the model's memory" };
const statusNames = { Pending: "Pending", Processing: "Being made", Completed: "Completed", PartiallyCompleted: "Partly made", Failed: "Failed" };
const speeds = [0.75, 1, 1.25, 1.5, 1.75, 2];

// 5. Listen
function showChapters(book) {
  const opened = !state.book || state.book.id !== book.id;
  if (opened) stopPlayer();
  state.audioBookId = book.id;
  state.book = book;
  state.chapters = book.chapters;
  const title = book.edition.title;
  $("book-title").textContent = title;
  $("book-status").textContent = statusNames[book.status] || book.status;
  $("book-status").dataset.status = book.status;
  $("book-mode").textContent = [modeNames[book.mode] || book.mode, groundingNames[book.grounding] || book.grounding, book.summaryWords && `${book.summaryWords} words a chapter`].filter(Boolean).join(" · ");
  if (opened) {
    $("book-cover").replaceWith(cover(book.coverUrl, title, "book-cover", ""));
    $("bar-cover").replaceWith(cover(book.coverUrl, title, "bar-cover", "small"));
    $("now-book").textContent = title;
  }
  showAddChapters();
  const list = $("chapters");
  clear(list);
  book.chapters.forEach((chapter, index) => {
    const li = document.createElement("li");
    li.dataset.number = String(chapter.number);
    if (index === state.current) li.className = "playing";
    const play = document.createElement("button");
    play.type = "button";
    const live = !chapter.audioUrl && !!chapter.liveAudioUrl;
    play.textContent = live ? "▶ Listen" : "▶ Play";
    play.setAttribute("aria-label", `${live ? "Listen to" : "Play"} chapter ${chapter.number}: ${chapter.title}${live ? " while it is made" : ""}`);
    play.disabled = !audioOf(chapter);
    play.addEventListener("click", () => loadChapter(index));
    const name = document.createElement("strong");
    name.textContent = chapter.title;
    const status = document.createElement("span");
    status.className = "muted";
    status.textContent = chapter.audioUrl
      ? ` · ${formatDuration(chapter.durationSeconds)}`
      : live ? " · being made: listen as it is spoken"
      : ` · ${chapter.status}${chapter.errorMessage ? ": " + chapter.errorMessage : ""}`;
    const summary = document.createElement("span");
    summary.className = "summary";
    summary.textContent = chapter.summary ? chapter.summary.slice(0, 180) + (chapter.summary.length > 180 ? "…" : "") : "";
    li.append(play, name, status, summary);
    list.appendChild(li);
  });
  showRepair(book);
  showKeep(book);
  updateSteps();
  const visible = book.chapters.length > 0;
  show("player-section", visible);
  show("player-bar", book.chapters.some(audioOf));
  if (opened) restorePosition(book);
  if (state.listenFirst === book.id && state.current < 0 && book.chapters.length > 0 && audioOf(book.chapters[0])) {
    state.listenFirst = null;
    loadChapter(0);
  }
}

// A chapter's audio: its stored file, or — while it is being made — the stream of its segments as they are spoken.
const audioOf = (chapter) => chapter.audioUrl || chapter.liveAudioUrl || null;

// A failed or partly made book is not a dead end: redo what is missing, or build it again as a new version.
function showRepair(book) {
  const broken = ["Failed", "PartiallyCompleted"].includes(book.status) && !activeJob(book);
  show("repair-box", broken);
  if (!broken) return;
  const made = book.chapters.filter((c) => c.audioUrl).length;
  const why = book.job && book.job.status === "Failed" && book.job.errorMessage ? ` (${book.job.errorCode || "FAILED"}: ${book.job.errorMessage})` : "";
  $("repair-text").textContent = book.status === "Failed"
    ? `Making this audiobook failed${why}.`
    : `${made} of ${book.chapters.length} chapters were made${why}.`;
  $("retry").disabled = false;
  $("new-version").disabled = false;
}

async function refresh(body, button) {
  showError("repair-error", null);
  $("retry").disabled = $("new-version").disabled = true;
  try {
    const started = await request(`/books/${state.book.id}/refresh`, { method: "POST", body: JSON.stringify(body) });
    show("repair-box", false);
    watch(started.jobId);
  } catch (error) {
    showError("repair-error", error);
    if (error.problem.code === "JOB_IN_PROGRESS" && error.problem.jobId) watch(error.problem.jobId);
    $("retry").disabled = $("new-version").disabled = false;
    button.focus();
  }
}
$("retry").addEventListener("click", () => refresh({ force: false }, $("retry")));
$("new-version").addEventListener("click", () => refresh({ force: true }, $("new-version")));

// What a listener keeps: the one-file M4B/MP3 (made on request when the book has none yet) and the podcast feed.
function showKeep(book) {
  const files = book.package ? book.package.files : [];
  for (const format of ["m4b", "mp3"]) {
    const link = $(`download-${format}`);
    const file = files.find((f) => f.format === format);
    link.hidden = !file;
    if (file) {
      link.href = file.url;
      link.title = `${format.toUpperCase()}, ${formatBytes(file.sizeBytes)}`;
    } else {
      link.removeAttribute("href");
    }
  }
  const job = activeJob(book);
  const stored = book.chapters.filter((c) => c.audioUrl).map((c) => c.number);
  const missing = book.package ? stored.filter((n) => !book.package.chapters.includes(n)) : stored;
  const make = $("make-package");
  const packaging = job && job.jobType === "AudiobookPackaging";
  // A finished book's packaging waits a few seconds (a refresh asked meanwhile supersedes it): it can be asked for now.
  const waiting = packaging && job.status === "Pending";
  make.hidden = (!!job && !waiting) || stored.length === 0 || (missing.length === 0 && !waiting);
  make.textContent = waiting ? "Make M4B / MP3 now" : book.package ? "Make M4B / MP3 again with every chapter" : "Make M4B / MP3";
  make.disabled = false;
  // While it is made, the book is read again now and then, so the download buttons come when the files do.
  clearTimeout(state.keepTimer);
  if (packaging) state.keepTimer = setTimeout(() => refreshChapters(book.id), 3000);
  $("keep-state").textContent = waiting ? "The M4B and MP3 are made in a moment…" : packaging ? "Making the M4B and MP3…"
    : book.package && !book.package.complete ? `The files hold chapters ${book.package.chapters.join(", ")}.`
    : stored.length === 0 ? "Downloads come once a chapter is made." : "";
  // With API keys on, the feed URL carries the book's private token: shown, so it can be copied by hand and kept safe.
  const feed = new URL(book.feedUrl, location.href).href;
  $("feed-url").value = feed;
  const secret = /[?&]token=/.test(book.feedUrl);
  $("feed-label").textContent = secret ? "Private podcast feed URL (its token opens this book: keep it to yourself)" : "Podcast feed URL";
  if (secret) show("feed-box");
}

$("make-package").addEventListener("click", async () => {
  showError("keep-error", null);
  $("make-package").disabled = true;
  try {
    const started = await request(`/audiobooks/${state.book.id}/package`, { method: "POST", body: JSON.stringify({}) });
    $("make-package").hidden = true;
    $("keep-state").textContent = "Making the M4B and MP3…";
    watch(started.jobId);
  } catch (error) {
    showError("keep-error", error);
    $("make-package").disabled = false;
  }
});

// A link cannot send the key: without a token in its URL the file is fetched with the key and saved from memory.
for (const format of ["m4b", "mp3"]) {
  $(`download-${format}`).addEventListener("click", async (event) => {
    const link = event.currentTarget;
    if (!needsKey(link.href)) return;
    event.preventDefault();
    showError("keep-error", null);
    try {
      const source = await mediaSource(link.href);
      const save = document.createElement("a");
      save.href = source;
      save.download = `${state.book.edition.title}.${format}`;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(source), 60_000);
    } catch (error) {
      showError("keep-error", error);
    }
  });
}

let copiedTimer = null;
$("copy-feed").addEventListener("click", async () => {
  const url = $("feed-url").value;
  showError("keep-error", null);
  try {
    if (!navigator.clipboard) throw new Error("no clipboard");
    await navigator.clipboard.writeText(url);
    $("copy-feed").textContent = "Copied ✓";
    $("keep-state").textContent = "The feed URL is on the clipboard.";
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => { $("copy-feed").textContent = "Copy podcast feed URL"; }, 2500);
  } catch {
    // The clipboard was refused (permissions, an insecure origin): the URL is shown, selected, to copy by hand.
    show("feed-box");
    $("feed-url").focus();
    $("feed-url").select();
    $("keep-state").textContent = "Copy the feed URL below.";
  }
});

function formatBytes(bytes) {
  if (bytes == null) return "";
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// The player: the chapter playing, its position and speed are remembered per book (localStorage), so reopening
// the book (also after a reload) puts it back where it was, paused.
const positionKey = (id) => `bookbytes.position.${id}`;

function savedPosition(id) {
  try { return JSON.parse(localStorage.getItem(positionKey(id))); } catch { return null; }
}

function savePosition() {
  if (!state.book || state.current < 0 || state.restoring) return;
  const chapter = state.chapters[state.current];
  if (!chapter) return;
  const player = $("player");
  const time = Number.isFinite(player.currentTime) ? Math.round(player.currentTime * 10) / 10 : 0;
  try {
    localStorage.setItem(positionKey(state.book.id), JSON.stringify({ chapter: chapter.number, time, speed: state.speed }));
  } catch { /* storage full or refused: the position is simply not kept */ }
}

function restorePosition(book) {
  const saved = savedPosition(book.id) || {};
  setSpeed(speeds.includes(saved.speed) ? saved.speed : 1, false);
  const index = book.chapters.findIndex((c) => c.number === saved.chapter && c.audioUrl);
  if (index >= 0) loadChapter(index, { play: false, at: Number(saved.time) || 0 });
}

function setSpeed(speed, save = true) {
  state.speed = speed;
  const player = $("player");
  // The default rate too: loading the next chapter resets the rate to it.
  player.defaultPlaybackRate = speed;
  player.playbackRate = speed;
  $("speed").value = String(speed);
  if (save) savePosition();
}
$("speed").addEventListener("change", () => setSpeed(Number($("speed").value)));

function stopPlayer() {
  state.playing++;
  state.current = -1;
  state.restoring = false;
  const player = $("player");
  player.pause();
  for (const track of player.querySelectorAll("track")) track.remove();
  player.removeAttribute("src");
  player.load();
  if (state.audioBlob) URL.revokeObjectURL(state.audioBlob);
  state.audioBlob = null;
  $("now-playing").textContent = "Pick a chapter.";
  clear($("transcript"));
  $("transcript-state").textContent = "Play a chapter to follow its words.";
  show("transcript-state");
}

// Loads a chapter into the player and plays it, or (restoring) only seeks to where the listener left it.
async function loadChapter(index, { play = true, at = 0 } = {}) {
  const chapter = state.chapters[index];
  if (!chapter || !audioOf(chapter)) return;
  const ticket = ++state.playing; // a later click wins over a fetch still under way
  showError("player-error", null);
  let source;
  try {
    source = await mediaSource(audioOf(chapter));
  } catch (error) {
    if (ticket === state.playing) showError("player-error", error);
    return;
  }
  if (ticket !== state.playing) {
    if (source.startsWith("blob:")) URL.revokeObjectURL(source);
    return;
  }
  const player = $("player");
  const previous = state.audioBlob;
  state.audioBlob = source.startsWith("blob:") ? source : null;
  state.current = index;
  state.restoring = at > 0;
  if (at > 0) {
    player.addEventListener("loadedmetadata", () => {
      if (ticket !== state.playing) return;
      player.currentTime = Number.isFinite(player.duration) ? Math.min(at, Math.max(0, player.duration - 1)) : at;
      state.restoring = false;
    }, { once: true });
  }
  player.src = source;
  player.defaultPlaybackRate = state.speed;
  player.playbackRate = state.speed;
  if (previous && previous !== source) URL.revokeObjectURL(previous);
  loadTranscript(chapter, ticket);
  if (play) player.play().catch(() => { /* the user can press play on the control */ });
  $("now-playing").textContent = `Chapter ${chapter.number}: ${chapter.title}`;
  for (const li of $("chapters").children) {
    const playing = li.dataset.number === String(chapter.number);
    li.classList.toggle("playing", playing);
    if (playing) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
  }
  updateSteps();
  savePosition();
}

// The chapter with audio before or after the one playing (the first one when none is).
function neighbour(delta) {
  for (let i = state.current + delta; i >= 0 && i < state.chapters.length; i += delta) {
    if (audioOf(state.chapters[i])) return i;
  }
  return -1;
}

function updateSteps() {
  $("prev").disabled = state.current < 0 || neighbour(-1) < 0;
  $("next").disabled = neighbour(1) < 0;
}
$("prev").addEventListener("click", () => { const i = neighbour(-1); if (i >= 0) loadChapter(i); });
$("next").addEventListener("click", () => { const i = neighbour(1); if (i >= 0) loadChapter(i); });

const needsKey = (url) => !!apiKey() && !/[?&]token=/.test(url);

// A URL the page's elements can load. Without a key, or with the book's token in the URL (BookBytes:Host:FeedSecret),
// the element loads it itself (seeking uses Range requests). An element cannot send a header, so with a key and no
// token the file is fetched with the key and served from memory.
async function mediaSource(url) {
  if (!needsKey(url)) return url;
  const response = await fetch(url, { headers: withKey() }).catch(() => {
    throw new Error("Could not fetch the audio. With S3 storage the server redirects to the bucket, whose CORS rules must then allow this page's origin and the X-Api-Key header.");
  });
  if (!response.ok) throw problem(response, await response.json().catch(() => null));
  return URL.createObjectURL(await response.blob());
}

// The transcript: the chapter's WebVTT as a hidden text track; its cues are listed, the one being spoken is marked
// (cuechange) and kept in view, and a click on a cue seeks there.
async function loadTranscript(chapter, ticket) {
  const player = $("player");
  for (const old of player.querySelectorAll("track")) old.remove();
  if (state.trackBlob) URL.revokeObjectURL(state.trackBlob);
  state.trackBlob = null;
  clear($("transcript"));
  show("transcript-state");
  if (!chapter.transcriptUrl) {
    $("transcript-state").textContent = chapter.liveAudioUrl ? "The transcript comes once the chapter is made." : "This chapter has no transcript.";
    return;
  }
  $("transcript-state").textContent = "Loading the transcript…";
  let source;
  try {
    source = await mediaSource(chapter.transcriptUrl);
  } catch {
    if (ticket === state.playing) $("transcript-state").textContent = "The transcript could not be loaded.";
    return;
  }
  if (ticket !== state.playing) { if (source.startsWith("blob:")) URL.revokeObjectURL(source); return; }
  if (source.startsWith("blob:")) state.trackBlob = source;
  const element = document.createElement("track");
  element.kind = "subtitles";
  element.label = "Transcript";
  element.srclang = (state.book.edition.language || "en").slice(0, 2);
  element.default = true;
  element.src = source;
  element.addEventListener("load", () => { if (ticket === state.playing) showCues(element.track); });
  element.addEventListener("error", () => { if (ticket === state.playing) $("transcript-state").textContent = "The transcript could not be loaded."; });
  player.appendChild(element);
  element.track.mode = "hidden"; // loads it and fires cuechange, without drawing captions
  element.track.addEventListener("cuechange", () => { if (ticket === state.playing) markCue(element.track); });
}

const cueItems = new Map();
function showCues(track) {
  const list = $("transcript");
  clear(list);
  cueItems.clear();
  const cues = [...(track.cues || [])];
  show("transcript-state", cues.length === 0);
  $("transcript-state").textContent = cues.length ? "" : "The transcript is empty.";
  for (const cue of cues) {
    const li = document.createElement("li");
    const seek = document.createElement("button");
    seek.type = "button";
    seek.className = "cue";
    seek.dataset.start = String(cue.startTime);
    seek.textContent = cue.text;
    seek.title = `Play from ${formatDuration(cue.startTime)}`;
    seek.addEventListener("click", () => {
      const player = $("player");
      player.currentTime = cue.startTime;
      if (player.paused) player.play().catch(() => {});
    });
    li.appendChild(seek);
    list.appendChild(li);
    cueItems.set(cue, li);
  }
  markCue(track);
}

function markCue(track) {
  const active = new Set(track.activeCues ? [...track.activeCues] : []);
  let first = null;
  for (const [cue, li] of cueItems) {
    const on = active.has(cue);
    li.classList.toggle("active", on);
    if (on) li.firstChild.setAttribute("aria-current", "true"); else li.firstChild.removeAttribute("aria-current");
    if (on && !first) first = li;
  }
  // Scrolls the list only, never the page under the reader.
  const list = $("transcript");
  if (first && (first.offsetTop < list.scrollTop || first.offsetTop + first.offsetHeight > list.scrollTop + list.clientHeight)) {
    list.scrollTop = first.offsetTop - list.clientHeight / 3;
  }
}

const player = $("player");
player.addEventListener("ended", () => {
  const next = neighbour(1);
  if (next >= 0) { loadChapter(next); return; }
  $("now-playing").textContent = "Finished.";
});
let lastSave = 0;
player.addEventListener("timeupdate", () => {
  if (Date.now() - lastSave < 1000) return;
  lastSave = Date.now();
  savePosition();
});
for (const name of ["pause", "seeked"]) player.addEventListener(name, savePosition);
player.addEventListener("ratechange", () => {
  // The control's own speed menu changes it too: the choice follows, unless a load only reset it to the default.
  if (player.playbackRate !== state.speed && player.playbackRate > 0) {
    state.speed = player.playbackRate;
    if (speeds.includes(state.speed)) $("speed").value = String(state.speed);
    savePosition();
  }
});
window.addEventListener("pagehide", savePosition);

function formatDuration(seconds) {
  if (seconds == null) return "";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// A cover image, or a neutral placeholder with the title's first letter when there is none or it fails to load.
function cover(url, title, id, size) {
  const box = document.createElement("span");
  if (id) box.id = id;
  box.className = `cover ${size || ""}`.trim();
  box.setAttribute("aria-hidden", "true");
  const placeholder = () => {
    clear(box);
    box.classList.add("placeholder");
    box.textContent = (title || "?").trim().charAt(0).toUpperCase() || "?";
  };
  if (!url) { placeholder(); return box; }
  const img = document.createElement("img");
  img.alt = "";
  img.addEventListener("error", placeholder, { once: true });
  box.appendChild(img);
  mediaSource(url).then((source) => {
    if (source.startsWith("blob:")) img.addEventListener("load", () => URL.revokeObjectURL(source), { once: true });
    img.src = source;
  }).catch(placeholder);
  return box;
}

// Library: a card per audiobook, newest first; opening one puts it in the player and follows its job if one is at work.
async function loadLibrary() {
  try {
    const page = await request("/audiobooks?page=1&pageSize=20");
    const list = $("library-list");
    clear(list);
    showError("library-error", null);
    if (page.items.length === 0) { list.appendChild(item("Nothing yet.", "muted")); return; }
    for (const book of page.items) {
      const title = book.edition ? book.edition.title : book.id;
      const li = document.createElement("li");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "book-card";
      open.dataset.id = book.id;
      const name = document.createElement("strong");
      name.className = "title";
      name.textContent = title;
      const status = document.createElement("span");
      status.className = "muted";
      status.textContent = [modeNames[book.mode] || book.mode, statusNames[book.status] || book.status, book.totalDurationSeconds ? formatDuration(book.totalDurationSeconds) : ""].filter(Boolean).join(" · ");
      open.append(cover(book.coverUrl, title), name, status);
      open.addEventListener("click", async () => {
        showError("library-error", null);
        try {
          await openAudioBook(book.id);
          $("player-section").scrollIntoView({ behavior: "smooth", block: "start" });
        } catch (error) {
          showError("library-error", error);
        }
      });
      li.appendChild(open);
      list.appendChild(li);
    }
  } catch { /* a missing key opens the key box; the library is optional */ }
}

// Jobs: the newest first, a page at a time, filtered by status; a waiting or running one can be cancelled here.
const jobsView = { page: 1, pageSize: 10 };
const jobKindNames = { AudiobookGeneration: "Make", AudiobookRefresh: "Refresh", AudiobookPackaging: "Package" };
const formatTime = (value) => (value ? new Date(value).toLocaleString() : "");

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function loadJobs() {
  const status = $("jobs-status").value;
  const query = new URLSearchParams({ page: jobsView.page, pageSize: jobsView.pageSize });
  if (status) query.set("status", status);
  try {
    const page = await request(`/jobs?${query}`);
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    // A filter or a sweep can leave the page past the end: go back to the last one.
    if (page.items.length === 0 && jobsView.page > 1) { jobsView.page = pages; return loadJobs(); }
    const list = $("jobs-list");
    clear(list);
    showError("jobs-error", null);
    for (const job of page.items) list.appendChild(jobRow(job));
    show("jobs-empty", page.items.length === 0);
    $("jobs-page").textContent = `page ${page.page} of ${pages} · ${page.total} job${page.total === 1 ? "" : "s"}`;
    $("jobs-prev").disabled = page.page <= 1;
    $("jobs-next").disabled = page.page >= pages;
  } catch (error) {
    showError("jobs-error", error);
  }
}

function jobRow(job) {
  const tr = document.createElement("tr");
  tr.dataset.id = job.id;
  tr.dataset.status = job.status;
  const kind = cell(jobKindNames[job.jobType] || job.jobType);
  kind.title = job.id;
  const status = cell("");
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.dataset.status = job.status;
  badge.textContent = job.status;
  status.appendChild(badge);
  if (job.errorCode) {
    const error = document.createElement("span");
    error.className = job.status === "Failed" ? "error job-error" : "muted job-error";
    error.textContent = `${job.errorCode}: ${job.errorMessage || ""}`;
    status.appendChild(error);
  }
  const u = job.usage || { inputTokens: 0, outputTokens: 0, ttsCharacters: 0 };
  const usage = cell(`${(u.inputTokens + u.outputTokens).toLocaleString()} tokens · ${u.ttsCharacters.toLocaleString()} chars`, "muted");
  usage.title = `${u.inputTokens} in, ${u.outputTokens} out; ${u.ttsCharacters} characters spoken`;
  const actions = cell("");
  if (["Pending", "Processing"].includes(job.status)) {
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try {
        await request(`/jobs/${job.id}/cancel`, { method: "POST" });
      } catch (error) {
        // 409 JOB_ENDED: it finished meanwhile; the reload shows how.
        if (error.status !== 409) showError("jobs-error", error);
      }
      loadJobs();
    });
    actions.appendChild(cancel);
  }
  tr.append(kind, status, cell(`${job.progress}%`), cell(`${job.attempt} / ${job.maxAttempts}`), usage,
    cell(`${formatTime(job.createdAt)} · ${formatTime(job.updatedAt)}`, "muted"), actions);
  return tr;
}

$("jobs-status").addEventListener("change", () => { jobsView.page = 1; loadJobs(); });
$("jobs-refresh").addEventListener("click", () => loadJobs());
$("jobs-prev").addEventListener("click", () => { jobsView.page = Math.max(1, jobsView.page - 1); loadJobs(); });
$("jobs-next").addEventListener("click", () => { jobsView.page += 1; loadJobs(); });

showKeyState();
loadLibrary();
loadVoices();
loadJobs();
