// comments: progressive enhancement of forms that work without JavaScript.
// The cached page holds nothing about the reader; what is theirs (their votes,
// the edit links of their comments, their chosen order) lives in localStorage.
(() => {
  "use strict";
  const section = document.getElementById("comments");
  if (!section || !window.fetch) return;
  const form = document.getElementById("comment-form");
  const formHome = form && form.parentNode;
  const formNext = form && form.nextSibling;
  const KEYS = { votes: "minbar:comment-votes", edits: "minbar:comment-edits", order: "minbar:comment-order" };

  const load = (key) => {
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  };
  const save = (key, value) => {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: per page only */ }
  };

  const send = (url, body) => fetch(url, {
    method: "POST",
    body: new URLSearchParams(body),
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  }).then((response) => response.json().catch(() => ({ ok: false, message: section.dataset.failed })))
    .catch(() => ({ ok: false, message: section.dataset.failed }));

  // Numbers in the digits the site uses (the page tells which: data-digits is its zero).
  const digits = (number) => (section.dataset.digits === "٠"
    ? String(number).replace(/\d/g, (digit) => "٠١٢٣٤٥٦٧٨٩"[digit]) : String(number));

  const say = (box, message, isError) => {
    if (!box) return;
    box.textContent = message || "";
    box.classList.toggle("error", !!isError);
  };

  // Votes and edit links for this reader, on comments shown now.
  const decorate = () => {
    const votes = load(KEYS.votes);
    section.querySelectorAll(".comment-vote").forEach((voteForm) => {
      const id = voteForm.closest("[data-comment]").dataset.comment;
      voteForm.querySelector(".vote-up").setAttribute("aria-pressed", String(votes[id] === 1));
      voteForm.querySelector(".vote-down").setAttribute("aria-pressed", String(votes[id] === -1));
    });
    const edits = load(KEYS.edits);
    const now = Date.now();
    Object.keys(edits).forEach((id) => {
      if (edits[id].expires < now) { delete edits[id]; return; }
      const actions = section.querySelector(`#comment-${CSS.escape(id)} > .comment-box .comment-actions`);
      if (actions && !actions.querySelector(".comment-edit")) {
        const link = document.createElement("a");
        link.className = "comment-edit";
        link.href = edits[id].url;
        link.textContent = section.dataset.editLabel;
        actions.append(link);
      }
    });
    save(KEYS.edits, edits);
  };

  // Replace the list with the one on another address (order, show all) of the same page.
  const showList = (url) => resetReply() || fetch(url, { credentials: "same-origin" })
    .then((response) => response.text())
    .then((html) => {
      const fresh = new DOMParser().parseFromString(html, "text/html");
      ["comment-list"].forEach((id) => {
        const incoming = fresh.getElementById(id);
        if (incoming) document.getElementById(id).replaceWith(incoming);
      });
      const tools = fresh.querySelector("#comments .comment-tools");
      if (tools) section.querySelector(".comment-tools").replaceWith(tools);
      decorate();
    })
    .catch(() => { window.location.href = url; });

  const resetReply = () => {
    if (!form) return;
    form.elements.parent.value = "";
    form.querySelector(".replying-to").hidden = true;
    if (form.parentNode !== formHome) formHome.insertBefore(form, formNext);
  };

  const showErrors = (errors) => {
    form.querySelectorAll(".field-error.live").forEach((node) => node.remove());
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    Object.keys(errors || {}).forEach((name) => {
      const field = form.elements[name];
      if (!field || !field.type || field.type === "hidden") return;
      const note = document.createElement("span");
      note.className = "field-error live";
      note.id = `${field.id}-live-error`;
      note.textContent = errors[name][0];
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", note.id);
      field.after(note);
    });
  };

  const addComment = (result) => {
    const template = document.createElement("template");
    template.innerHTML = result.html.trim();
    const item = template.content.firstElementChild;
    let list;
    if (result.parent) {
      const parent = document.getElementById(`comment-${result.parent}`);
      list = parent && (parent.querySelector(":scope > .comment-replies") || parent.appendChild(document.createElement("ol")));
      if (list) list.className = "comment-replies";
    }
    if (!list) {
      const holder = document.getElementById("comment-list");
      list = holder.querySelector(":scope > .comment-list");
      if (!list) {
        holder.querySelectorAll(":scope > .empty").forEach((node) => node.remove());
        list = document.createElement("ol");
        list.className = "comment-list";
        holder.prepend(list);
      }
    }
    list.append(item);
  };

  section.addEventListener("submit", (event) => {
    const target = event.target;
    if (target === form) {
      event.preventDefault();
      const status = form.querySelector(".form-status");
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      send(form.action, new FormData(form)).then((result) => {
        button.disabled = false;
        say(status, result.message, !result.ok);
        showErrors(result.errors);
        if (!result.ok) return;
        if (result.edit_token) {
          const edits = load(KEYS.edits);
          edits[result.comment] = { url: result.edit_url, expires: result.edit_expires };
          save(KEYS.edits, edits);
        }
        form.elements.text.value = "";
        if (result.html) addComment(result);
        if (result.heading) document.getElementById("comments-heading").textContent = result.heading;
        resetReply();
        decorate();
        const added = document.getElementById(`comment-${result.comment}`);
        if (added) added.scrollIntoView({ block: "nearest" });
      });
    } else if (target.classList.contains("comment-vote")) {
      event.preventDefault();
      const id = target.closest("[data-comment]").dataset.comment;
      const votes = load(KEYS.votes);
      const wanted = event.submitter && event.submitter.value === "down" ? -1 : 1;
      // Pressing one's current vote again takes it back.
      const value = votes[id] === wanted ? "none" : (wanted === 1 ? "up" : "down");
      send(target.action, { value }).then((result) => {
        const score = target.querySelector(".comment-score");
        if (result.ok) {
          votes[id] = result.value;
          if (!result.value) delete votes[id];
          save(KEYS.votes, votes);
          score.textContent = digits(result.score);
          decorate();
        }
        let note = target.querySelector(".vote-message");
        if (!note) {
          note = document.createElement("span");
          note.className = "vote-message";
          note.setAttribute("role", "status");
          target.append(note);
        }
        say(note, result.ok ? "" : result.message, !result.ok);
      });
    }
  });

  section.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (event.target.closest(".cancel-reply")) {
      resetReply();
      return;
    }
    if (!link) return;
    if (link.matches(".comment-reply") && form) {
      event.preventDefault();
      const box = link.closest(".comment-box");
      box.after(form);
      form.elements.parent.value = link.dataset.replyTo;
      form.querySelector(".replying-to-name").textContent = link.dataset.replyName;
      form.querySelector(".replying-to").hidden = false;
      form.elements.text.focus();
    } else if (link.closest(".comment-order") || link.closest(".show-all")) {
      event.preventDefault();
      if (link.dataset.order) save(KEYS.order, { order: link.dataset.order });
      showList(link.href);
    }
  });

  // The reader's remembered order, unless the address names one.
  const remembered = load(KEYS.order).order;
  if (remembered && remembered !== section.dataset.order && !("orderChosen" in section.dataset)) {
    const link = section.querySelector(`.comment-order a[data-order="${CSS.escape(remembered)}"]`);
    if (link) showList(link.href);
  }
  decorate();
})();
