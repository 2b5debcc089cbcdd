// BookBytes page: plain JavaScript over the REST API, no build step.
"use strict";

const api = "/api/v1";
const $ = (id) => document.getElementById(id);
const state = { edition: null, audioBookId: null, book: null, chapters: [], current: -1, events: null, audioBlob: null, playing: 0 };

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
    watch(started.jobId);
  } catch (error) {
    if (error.problem.code === "AUDIOBOOK_EXISTS" && error.problem.audioBookId) {
      // Already made in this mode (or being made): open it, and follow its job if one is working on it.
      await openAudioBook(error.problem.audioBookId);
      if (error.problem.jobId) watch(error.problem.jobId);
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
  if (job.status !== "Completed" && job.status !== "Failed") return false;
  state.events = null;
  loadLibrary();
  return true;
}

function showJob(job) {
  $("progress").value = job.progress;
  $("progress-text").textContent = `${job.progress}%`;
  // The last step of a finished job is its status again; show it once.
  $("step").textContent = job.currentStep && job.currentStep !== job.status ? job.currentStep : "";
  $("job-status").textContent = job.status;
  // A failed attempt waiting for its retry is not a silent "Pending": say why and when.
  if (job.status === "Pending" && job.nextAttemptAt) {
    const when = new Date(job.nextAttemptAt).toLocaleTimeString();
    $("step").textContent = `attempt ${job.attempt} of ${job.maxAttempts} failed (${job.errorCode || "error"}: ${job.errorMessage || ""}); retrying at ${when}`;
  }
  if (job.status === "Failed") showError("job-error", new Error(`${job.errorCode || "FAILED"}: ${job.errorMessage || "the job failed"}`));
}

let refreshing = null;
async function refreshChapters(audioBookId) {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const book = await request(`/audiobooks/${audioBookId}`);
      showChapters(book);
    } catch { /* the next event retries */ } finally { refreshing = null; }
  })();
  return refreshing;
}

async function openAudioBook(audioBookId) {
  state.audioBookId = audioBookId;
  const book = await request(`/audiobooks/${audioBookId}`);
  if (!state.edition || state.edition.editionId !== book.edition.editionId) showEdition(book.edition);
  showChapters(book);
  const job = ["Pending", "Processing"].includes(book.status);
  if (!job) { show("job", false); }
}

const modeNames = { summary: "Summary", narration: "Narration" };
const groundingNames = { text: "from the book's text", model: "from the model's memory" };

// 5. Listen
function showChapters(book) {
  state.audioBookId = book.id;
  state.book = book;
  state.chapters = book.chapters;
  $("book-mode").textContent = [modeNames[book.mode] || book.mode, groundingNames[book.grounding] || book.grounding, book.summaryWords && `${book.summaryWords} words a chapter`, book.edition.title].filter(Boolean).join(" · ");
  showAddChapters();
  const list = $("chapters");
  clear(list);
  book.chapters.forEach((chapter, index) => {
    const li = document.createElement("li");
    li.dataset.number = String(chapter.number);
    if (index === state.current) li.className = "playing";
    const play = document.createElement("button");
    play.type = "button";
    play.textContent = "▶ Play";
    play.disabled = !chapter.audioUrl;
    play.addEventListener("click", () => playChapter(index));
    const title = document.createElement("strong");
    title.textContent = chapter.title;
    const status = document.createElement("span");
    status.className = "muted";
    status.textContent = chapter.audioUrl
      ? ` · ${formatDuration(chapter.durationSeconds)}`
      : ` · ${chapter.status}${chapter.errorMessage ? ": " + chapter.errorMessage : ""}`;
    const summary = document.createElement("span");
    summary.className = "summary";
    summary.textContent = chapter.summary ? chapter.summary.slice(0, 180) + (chapter.summary.length > 180 ? "…" : "") : "";
    li.append(play, title, status, summary);
    list.appendChild(li);
  });
  show("player-section", book.chapters.length > 0);
}

async function playChapter(index) {
  const chapter = state.chapters[index];
  if (!chapter || !chapter.audioUrl) return;
  const request = ++state.playing; // a later click wins over a fetch still under way
  showError("player-error", null);
  let source;
  try {
    source = await audioSource(chapter.audioUrl);
  } catch (error) {
    if (request === state.playing) showError("player-error", error);
    return;
  }
  if (request !== state.playing) {
    if (source.startsWith("blob:")) URL.revokeObjectURL(source);
    return;
  }
  const player = $("player");
  const previous = state.audioBlob;
  state.audioBlob = source.startsWith("blob:") ? source : null;
  state.current = index;
  player.src = source;
  if (previous && previous !== source) URL.revokeObjectURL(previous);
  player.play().catch(() => { /* the user can press play on the control */ });
  $("now-playing").textContent = `Chapter ${chapter.number}: ${chapter.title}`;
  for (const li of $("chapters").children) li.classList.toggle("playing", li.dataset.number === String(chapter.number));
}

// Without a key the player streams the URL itself (seeking uses Range requests). An audio element cannot
// send a header, so with a key the chapter is fetched with it and played from memory.
async function audioSource(url) {
  if (!apiKey()) return url;
  const response = await fetch(url, { headers: withKey() }).catch(() => {
    throw new Error("Could not fetch the audio. With S3 storage the server redirects to the bucket, whose CORS rules must then allow this page's origin and the X-Api-Key header.");
  });
  if (!response.ok) throw problem(response, await response.json().catch(() => null));
  return URL.createObjectURL(await response.blob());
}

$("player").addEventListener("ended", () => {
  // Advance to the next chapter that has audio.
  for (let next = state.current + 1; next < state.chapters.length; next++) {
    if (state.chapters[next].audioUrl) { playChapter(next); return; }
  }
  $("now-playing").textContent = "Finished.";
});

function formatDuration(seconds) {
  if (seconds == null) return "";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// Library
async function loadLibrary() {
  try {
    const page = await request("/audiobooks?page=1&pageSize=20");
    const list = $("library-list");
    clear(list);
    if (page.items.length === 0) { list.appendChild(item("Nothing yet.", "muted")); return; }
    for (const book of page.items) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = book.edition ? book.edition.title : book.id;
      link.addEventListener("click", (event) => { event.preventDefault(); openAudioBook(book.id).catch((e) => showError("lookup-error", e)); });
      const status = document.createElement("span");
      status.className = "muted";
      status.textContent = ` · ${book.mode} · ${book.status}`;
      li.append(link, status);
      list.appendChild(li);
    }
  } catch { /* a missing key opens the key box; the library is optional */ }
}

showKeyState();
loadLibrary();
loadVoices();
