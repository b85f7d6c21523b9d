// ratings: the rating form works without JavaScript; this sends it without leaving the page,
// and remembers the reader's own rating in their browser (the cached page never knows it).
(function () {
  "use strict";
  var box = document.querySelector(".rating[data-article]");
  var form = box && box.querySelector(".rating-form");
  if (!form || !window.fetch) return;
  var storageKey = "minbar:rating:" + box.getAttribute("data-article");
  var status = form.querySelector(".rating-status");

  function remembered() {
    try { return window.localStorage.getItem(storageKey); } catch (e) { return null; }
  }
  function remember(score) {
    try { window.localStorage.setItem(storageKey, String(score)); } catch (e) { /* private mode: nothing kept */ }
  }
  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("rating-error", !!isError);
  }

  var own = remembered();
  var ownInput = own && form.querySelector('input[name="score"][value="' + own.replace(/[^1-5]/g, "") + '"]');
  if (ownInput && !form.querySelector('input[name="score"]:checked')) {
    ownInput.checked = true;
    say(box.getAttribute("data-rated-note"));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.ok) {
          remember(answer.score);
          var summary = box.querySelector(".rating-summary");
          if (summary && answer.html) summary.outerHTML = answer.html;
        }
        say(answer.message, !answer.ok);
      })
      .catch(function () { say(box.getAttribute("data-failed"), true); })
      .then(function () { button.disabled = false; });
  });
})();
